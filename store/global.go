package store

import "github.com/kilnrt/kiln/wasm"

// Global is a global variable. Numeric values are in Lo (i32 zero-extended,
// floats as IEEE bits); a v128 uses Lo and Hi; references use Ref.
type Global struct {
	Type wasm.GlobalType
	Lo   uint64
	Hi   uint64
	Ref  any
	// Types resolves the concrete type indices in Type (the defining
	// module's canonical types; nil for host globals).
	Types []*Type
}
