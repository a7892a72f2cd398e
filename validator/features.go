package validator

import (
	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/wasm"
)

// MissingFeatures explains a module that failed to decode or validate
// under the enabled features: it returns the smallest set of further
// proposals (found greedily) with which the binary decodes and validates,
// or zero when no proposal kiln implements would make it acceptable. It
// decodes and validates the binary up to once per disabled feature, so
// callers use it only after a failure, to name what to enable.
func MissingFeatures(bin []byte, enabled wasm.Features) wasm.Features {
	enabled = enabled.WithImplied()
	accepts := func(f wasm.Features) bool {
		m, err := decoder.Decode(bin, f)
		return err == nil && ValidateModule(m, f, nil) == nil
	}
	have := wasm.FeaturesAll | enabled
	if have == enabled || !accepts(have) {
		return 0
	}
	// Drop the disabled features one at a time, later proposals first, so
	// that one built on another (GC on typed function references) goes
	// before the one it implies.
	list := (have &^ enabled).List()
	for i := len(list) - 1; i >= 0; i-- {
		if f := have &^ list[i]; accepts(f) {
			have = f
		}
	}
	return have &^ enabled
}
