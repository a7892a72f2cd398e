package wast

import "github.com/kilnrt/kiln/wasm"

var errMalformedSentinel = wasm.ErrMalformed
