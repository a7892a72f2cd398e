package kiln

import (
	"fmt"
	"strings"

	"github.com/kilnrt/kiln/wasm"
)

// DefaultFeatures is the feature set of a RuntimeConfig whose Features is
// zero: the WebAssembly 3.0 standard. Threads is a separate proposal, opt-in.
const DefaultFeatures = wasm.Features3

// FeatureError is a compile error caused by proposals the runtime does not
// enable: with Missing added to RuntimeConfig.Features, the module decodes
// and validates. It wraps the error under the configured features, so
// errors.Is(err, wasm.ErrMalformed) and wasm.ErrInvalid still hold.
type FeatureError struct {
	// Missing are the proposals the module needs beyond the enabled ones.
	Missing wasm.Features
	// Err is the decoding or validation error under the enabled features.
	Err error
}

func (e *FeatureError) Error() string {
	return fmt.Sprintf("%v: %s (add %#v to RuntimeConfig.Features)", e.Err, e.Reason(), e.Missing)
}

// Reason says which proposals are missing, in words ("the module uses
// threads, which is not enabled"), for callers that name their own way of
// enabling them.
func (e *FeatureError) Reason() string {
	var names []string
	for _, f := range e.Missing.List() {
		names = append(names, f.String())
	}
	if len(names) == 1 {
		return "the module uses " + names[0] + ", which is not enabled"
	}
	last := len(names) - 1
	return "the module uses " + strings.Join(names[:last], ", ") + " and " + names[last] + ", which are not enabled"
}

// Unwrap returns the error under the configured features.
func (e *FeatureError) Unwrap() error { return e.Err }
