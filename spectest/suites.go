package spectest

import "github.com/kilnrt/kiln/wasm"

// suiteFeatures gives the feature set each directory of the official suite
// is written for.
var suiteFeatures = map[string]wasm.Features{
	"wasm-2.0": wasm.Features2,
	"wasm-3.0": wasm.Features3,
	// The threads scripts build on the MVP plus bulk memory: with reference
	// types on, their "multiple tables" assert_invalid modules are valid.
	"threads":           wasm.Features2&^wasm.FeatureReferenceTypes | wasm.FeatureThreads,
	"legacy-exceptions": wasm.Features3,
}

// SuiteFeatures returns the features of the suite directory named name
// (e.g. "wasm-3.0"), and whether the name is known.
func SuiteFeatures(name string) (wasm.Features, bool) {
	f, ok := suiteFeatures[name]
	return f, ok
}
