package arm64

import (
	"fmt"

	"github.com/kilnrt/kiln/internal/cpufeat"
	"github.com/klauspost/cpuid/v2"
)

// Features is a set of optional AArch64 extensions. The bit values are
// stable: a compiled module records the set its code uses (Used) and the
// loader refuses to run it on a CPU that lacks any of them (CheckHost).
type Features uint32

// Feature bits. ARMv8.0 with FP and Advanced SIMD is the baseline and
// needs no bit.
const (
	FeatLSE   Features = 1 << iota // ARMv8.1 atomics: LDADD, LDCLR, LDEOR, LDSET, SWP, CAS
	FeatRCPC                       // ARMv8.3 load-acquire RCpc: LDAPR
	FeatFP16                       // half-precision scalar arithmetic
	FeatJSCVT                      // FJCVTZS
)

// Baseline is ARMv8.0-A with FP and Advanced SIMD: what every AArch64 Linux
// CPU has. Code assembled for Baseline uses exclusive-pair loops instead
// of the LSE atomics.
const Baseline Features = 0

// All is every feature the encoder knows.
const All = FeatLSE | FeatRCPC | FeatFP16 | FeatJSCVT

var featureTable = cpufeat.Table{
	{Bit: uint32(FeatLSE), Name: "lse", ID: cpuid.ATOMICS},
	{Bit: uint32(FeatRCPC), Name: "rcpc", ID: cpuid.LRCPC},
	{Bit: uint32(FeatFP16), Name: "fp16", ID: cpuid.FPHP},
	{Bit: uint32(FeatJSCVT), Name: "jscvt", ID: cpuid.JSCVT},
}

// Detect returns the features of the host CPU that the encoder knows, as
// cpuid reads them (on Linux from the kernel's HWCAP bits). On another
// architecture none of these is reported: Baseline.
func Detect() Features { return Features(featureTable.Detect()) }

// Has reports whether f includes every feature in g.
func (f Features) Has(g Features) bool { return f&g == g }

// String lists the features, comma-separated ("lse,rcpc"), or "baseline".
func (f Features) String() string { return featureTable.Format(uint32(f), "baseline") }

// ErrUnsupportedCPU is wrapped by Check's error.
var ErrUnsupportedCPU = fmt.Errorf("arm64: code needs CPU features this host lacks")

// Check returns an error naming the features in required that host lacks,
// or nil.
func Check(required, host Features) error {
	if missing := required &^ host; missing != 0 {
		return fmt.Errorf("%w: %v", ErrUnsupportedCPU, missing)
	}
	return nil
}

// CheckHost is Check against the detected host features.
func CheckHost(required Features) error { return Check(required, Detect()) }
