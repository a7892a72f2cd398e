package validator

import "github.com/kilnrt/kiln/wasm"

// matches reports whether a value of type a may be used where type b is
// expected. In WebAssembly 2.0 that is equality (or Unknown on either
// side); typed function references add subtyping: (ref $t) <: (ref null $t)
// <: funcref, where $t is a function type.
func (mc *moduleChecker) matches(a, b wasm.ValType) bool {
	if a == b || a == Unknown || b == Unknown {
		return true
	}
	if !a.IsRef() || !b.IsRef() {
		return false
	}
	if a.Nullable() && !b.Nullable() {
		return false
	}
	ha, hb := a.Heap(), b.Heap()
	switch {
	case ha == hb:
		return true
	case ha >= 0 && hb == wasm.HeapFunc:
		return true // every defined type is a function type
	case ha >= 0 && hb >= 0:
		types := mc.m.Types
		if uint64(ha) < uint64(len(types)) && uint64(hb) < uint64(len(types)) {
			return types[ha].Equal(&types[hb])
		}
	}
	return false
}

// matchesAll reports whether values of types as may be used where types bs
// are expected.
func (mc *moduleChecker) matchesAll(as, bs []wasm.ValType) bool {
	if len(as) != len(bs) {
		return false
	}
	for i, a := range as {
		if !mc.matches(a, bs[i]) {
			return false
		}
	}
	return true
}

// refFuncType is the type of ref.func x: funcref in WebAssembly 2.0, the
// non-nullable reference to the function's type with typed function
// references.
func (mc *moduleChecker) refFuncType(idx uint32) wasm.ValType {
	if mc.features.Has(wasm.FeatureFunctionReferences) && uint64(idx) < uint64(len(mc.funcTypeIdx)) {
		return wasm.RefType(false, wasm.HeapType(mc.funcTypeIdx[idx]))
	}
	return wasm.FuncRef
}
