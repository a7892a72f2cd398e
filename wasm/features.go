package wasm

import "strings"

// Features is a set of WebAssembly proposals. The zero value is the MVP;
// Features2 is WebAssembly 2.0; Features3 is WebAssembly 3.0, the default of
// kiln's runtime; FeaturesAll adds the threads proposal.
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

	// Later proposals: WebAssembly 3.0 and threads.
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

// FeaturesAll is every proposal kiln implements: WebAssembly 3.0 and threads.
const FeaturesAll = Features3 | FeatureThreads

// featureNames gives each feature its text name and its Go identifier, in
// the order of the constants.
var featureNames = []struct {
	f          Features
	name, goID string
}{
	{FeatureMutableGlobals, "mutable-globals", "FeatureMutableGlobals"},
	{FeatureSignExtension, "sign-extension", "FeatureSignExtension"},
	{FeatureSaturatingConversions, "saturating-conversions", "FeatureSaturatingConversions"},
	{FeatureMultiValue, "multi-value", "FeatureMultiValue"},
	{FeatureBulkMemory, "bulk-memory", "FeatureBulkMemory"},
	{FeatureReferenceTypes, "reference-types", "FeatureReferenceTypes"},
	{FeatureSIMD, "simd", "FeatureSIMD"},
	{FeatureThreads, "threads", "FeatureThreads"},
	{FeatureTailCall, "tail-call", "FeatureTailCall"},
	{FeatureExtendedConst, "extended-const", "FeatureExtendedConst"},
	{FeatureMultiMemory, "multi-memory", "FeatureMultiMemory"},
	{FeatureMemory64, "memory64", "FeatureMemory64"},
	{FeatureExceptions, "exceptions", "FeatureExceptions"},
	{FeatureFunctionReferences, "function-references", "FeatureFunctionReferences"},
	{FeatureGC, "gc", "FeatureGC"},
	{FeatureRelaxedSIMD, "relaxed-simd", "FeatureRelaxedSIMD"},
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

// GoString lists the enabled features as Go identifiers of this package
// joined by '|' (e.g. "wasm.FeatureThreads|wasm.FeatureMemory64"), the
// form to add to a configuration.
func (f Features) GoString() string {
	var parts []string
	for _, n := range featureNames {
		if f.Has(n.f) {
			parts = append(parts, "wasm."+n.goID)
		}
	}
	return strings.Join(parts, "|")
}

// List returns the single features enabled in f, in the order of the
// constants.
func (f Features) List() []Features {
	var out []Features
	for _, n := range featureNames {
		if f.Has(n.f) {
			out = append(out, n.f)
		}
	}
	return out
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
