package amd64

import (
	"fmt"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// Features is a set of optional x86-64 instruction-set extensions. The bit
// values are stable: a compiled module records the set its code uses, and
// the loader refuses to run it on a CPU that lacks any of them
// (CheckHost).
type Features uint32

// Feature bits. SSE2 is part of x86-64 itself but is listed so that every
// instruction in the table names what it needs.
const (
	FeatSSE2 Features = 1 << iota
	FeatSSE3
	FeatSSSE3
	FeatSSE41
	FeatSSE42
	FeatPOPCNT
	FeatLZCNT
	FeatBMI1 // also TZCNT
	FeatBMI2
	FeatAVX
	FeatAVX2
)

// Baseline is x86-64-v2, the least the JIT targets: SSE up to 4.2 and
// POPCNT. Code assembled for Baseline runs on any x86-64-v2 CPU; tests
// assemble for it to cover the fallback paths on newer hosts.
const Baseline = FeatSSE2 | FeatSSE3 | FeatSSSE3 | FeatSSE41 | FeatSSE42 | FeatPOPCNT

// All is every feature the encoder knows.
const All = Baseline | FeatLZCNT | FeatBMI1 | FeatBMI2 | FeatAVX | FeatAVX2

var featureNames = []struct {
	f    Features
	name string
	id   cpuid.FeatureID
}{
	{FeatSSE2, "sse2", cpuid.SSE2},
	{FeatSSE3, "sse3", cpuid.SSE3},
	{FeatSSSE3, "ssse3", cpuid.SSSE3},
	{FeatSSE41, "sse4.1", cpuid.SSE4},
	{FeatSSE42, "sse4.2", cpuid.SSE42},
	{FeatPOPCNT, "popcnt", cpuid.POPCNT},
	{FeatLZCNT, "lzcnt", cpuid.LZCNT},
	{FeatBMI1, "bmi1", cpuid.BMI1},
	{FeatBMI2, "bmi2", cpuid.BMI2},
	{FeatAVX, "avx", cpuid.AVX},
	{FeatAVX2, "avx2", cpuid.AVX2},
}

// Detect returns the features of the host CPU that the encoder knows.
// AVX and AVX2 are reported only when the operating system saves the YMM
// state (cpuid checks OSXSAVE and XCR0).
func Detect() Features {
	var f Features
	for _, n := range featureNames {
		if cpuid.CPU.Supports(n.id) {
			f |= n.f
		}
	}
	return f
}

// Has reports whether f includes every feature in g.
func (f Features) Has(g Features) bool { return f&g == g }

// String lists the features, comma-separated ("sse4.1,popcnt,bmi2").
func (f Features) String() string {
	var names []string
	for _, n := range featureNames {
		if f&n.f != 0 {
			names = append(names, n.name)
		}
	}
	if rest := f &^ All; rest != 0 {
		names = append(names, fmt.Sprintf("unknown(%#x)", uint32(rest)))
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}

// ErrUnsupportedCPU is wrapped by CheckHost's error.
var ErrUnsupportedCPU = fmt.Errorf("amd64: code needs CPU features this host lacks")

// Check returns an error naming the features in required that host lacks,
// or nil. A compiled module calls it with the features it recorded before
// its code may run.
func Check(required, host Features) error {
	if missing := required &^ host; missing != 0 {
		return fmt.Errorf("%w: %v", ErrUnsupportedCPU, missing)
	}
	return nil
}

// CheckHost is Check against the detected host features.
func CheckHost(required Features) error { return Check(required, Detect()) }
