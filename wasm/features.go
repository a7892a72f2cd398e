package wasm

import "strings"

// Features is a set of WebAssembly proposals. The zero value is the MVP;
// Features2 is WebAssembly 2.0, kiln's default; Features3 is WebAssembly 3.0.
type Features uint64

// Feature flags. The first group is standardised in WebAssembly 2.0.
const (
	FeatureMutableGlobals Features = 1 << iota
	FeatureSignExtension
	FeatureSaturatingConversions
	FeatureMultiValue
	FeatureBulkMemory
	FeatureReferenceTypes
	FeatureSIMD

	// Later proposals, opt-in.
	FeatureThreads
	FeatureTailCall
	FeatureExtendedConst
	FeatureMultiMemory
	FeatureMemory64
	FeatureExceptions
	FeatureFunctionReferences
	FeatureGC
	FeatureRelaxedSIMD
)

// Features2 is the feature set of WebAssembly 2.0.
const Features2 = FeatureMutableGlobals | FeatureSignExtension | FeatureSaturatingConversions |
	FeatureMultiValue | FeatureBulkMemory | FeatureReferenceTypes | FeatureSIMD

// Features3 is the feature set of WebAssembly 3.0: 2.0 with tail calls,
// extended constant expressions, multiple memories, memory64 and table64,
// exception handling, typed function references, GC and relaxed SIMD.
// Threads (atomics and shared memories) is a separate proposal.
const Features3 = Features2 | FeatureTailCall | FeatureExtendedConst | FeatureMultiMemory |
	FeatureMemory64 | FeatureExceptions | FeatureFunctionReferences | FeatureGC | FeatureRelaxedSIMD

var featureNames = []struct {
	f    Features
	name string
}{
	{FeatureMutableGlobals, "mutable-globals"},
	{FeatureSignExtension, "sign-extension"},
	{FeatureSaturatingConversions, "saturating-conversions"},
	{FeatureMultiValue, "multi-value"},
	{FeatureBulkMemory, "bulk-memory"},
	{FeatureReferenceTypes, "reference-types"},
	{FeatureSIMD, "simd"},
	{FeatureThreads, "threads"},
	{FeatureTailCall, "tail-call"},
	{FeatureExtendedConst, "extended-const"},
	{FeatureMultiMemory, "multi-memory"},
	{FeatureMemory64, "memory64"},
	{FeatureExceptions, "exceptions"},
	{FeatureFunctionReferences, "function-references"},
	{FeatureGC, "gc"},
	{FeatureRelaxedSIMD, "relaxed-simd"},
}

// WithImplied returns f with the features its proposals build on: GC
// extends typed function references, which extend reference types, as do
// exception handling's exnref and tail calls' return_call_ref.
func (f Features) WithImplied() Features {
	if f.Has(FeatureGC) {
		f |= FeatureFunctionReferences
	}
	if f.Has(FeatureFunctionReferences) || f.Has(FeatureExceptions) {
		f |= FeatureReferenceTypes
	}
	return f
}

// Has reports whether every feature in g is enabled in f.
func (f Features) Has(g Features) bool { return f&g == g }

// String lists the enabled features by name, separated by '|'.
func (f Features) String() string {
	var parts []string
	for _, n := range featureNames {
		if f.Has(n.f) {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, "|")
}

// FeatureByName returns the feature with the given name (as listed by
// String), and whether it exists.
func FeatureByName(name string) (Features, bool) {
	for _, n := range featureNames {
		if n.name == name {
			return n.f, true
		}
	}
	return 0, false
}
