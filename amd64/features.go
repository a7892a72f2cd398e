package amd64

import (
	"fmt"

	"github.com/kilnrt/kiln/internal/cpufeat"
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

var featureTable = cpufeat.Table{
	{Bit: uint32(FeatSSE2), Name: "sse2", ID: cpuid.SSE2},
	{Bit: uint32(FeatSSE3), Name: "sse3", ID: cpuid.SSE3},
	{Bit: uint32(FeatSSSE3), Name: "ssse3", ID: cpuid.SSSE3},
	{Bit: uint32(FeatSSE41), Name: "sse4.1", ID: cpuid.SSE4},
	{Bit: uint32(FeatSSE42), Name: "sse4.2", ID: cpuid.SSE42},
	{Bit: uint32(FeatPOPCNT), Name: "popcnt", ID: cpuid.POPCNT},
	{Bit: uint32(FeatLZCNT), Name: "lzcnt", ID: cpuid.LZCNT},
	{Bit: uint32(FeatBMI1), Name: "bmi1", ID: cpuid.BMI1},
	{Bit: uint32(FeatBMI2), Name: "bmi2", ID: cpuid.BMI2},
	{Bit: uint32(FeatAVX), Name: "avx", ID: cpuid.AVX},
	{Bit: uint32(FeatAVX2), Name: "avx2", ID: cpuid.AVX2},
}

// Detect returns the features of the host CPU that the encoder knows.
// AVX and AVX2 are reported only when the operating system saves the YMM
// state (cpuid checks OSXSAVE and XCR0).
func Detect() Features { return Features(featureTable.Detect()) }

// Has reports whether f includes every feature in g.
func (f Features) Has(g Features) bool { return f&g == g }

// String lists the features, comma-separated ("sse4.1,popcnt,bmi2").
func (f Features) String() string { return featureTable.Format(uint32(f), "none") }

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
