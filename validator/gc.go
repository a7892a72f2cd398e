package validator

import (
	"fmt"

	"github.com/kilnrt/kiln/wasm"
)

// heapRefType returns the reference type (ref null? h) after checking that
// h is an abstract heap type or an existing type index.
func (mc *moduleChecker) heapRefType(h wasm.HeapType, nullable bool) (wasm.ValType, error) {
	if h < 0 {
		if !h.IsAbstract() {
			return 0, fmt.Errorf("unknown heap type %s", h)
		}
		return wasm.RefType(nullable, h), nil
	}
	if uint64(h) >= uint64(len(mc.m.Types)) {
		return 0, fmt.Errorf("unknown type %d", h)
	}
	return wasm.RefType(nullable, h), nil
}

// checkRefType checks the heap type of a reference type.
func (mc *moduleChecker) checkRefType(t wasm.ValType) error {
	if !t.IsRef() {
		return nil
	}
	_, err := mc.heapRefType(t.Heap(), true)
	return err
}

// compositeAt returns defined type idx, which must be of the given kind.
func (mc *moduleChecker) compositeAt(idx uint32, kind wasm.CompositeKind) (*wasm.SubType, error) {
	if uint64(idx) >= uint64(len(mc.m.Types)) {
		return nil, fmt.Errorf("unknown type %d", idx)
	}
	st := &mc.m.SubTypes[idx]
	if st.Kind == wasm.CompArray && len(st.Fields) != 1 {
		return nil, fmt.Errorf("array type %d must have one element type, it has %d", idx, len(st.Fields))
	}
	if st.Kind != kind {
		what := map[wasm.CompositeKind]string{wasm.CompFunc: "function", wasm.CompStruct: "struct", wasm.CompArray: "array"}[kind]
		return nil, fmt.Errorf("type mismatch: type %d is not a %s type", idx, what)
	}
	return st, nil
}

// maxNewFixed bounds the operand count of array.new_fixed (the limit of the
// JavaScript embedding), so that a hostile count cannot make the validator
// allocate.
const maxNewFixed = 10000

// defaultable reports whether a storage type has a default value (numbers,
// vectors, nullable references).
func defaultable(t wasm.ValType) bool { return !t.IsRef() || t.Nullable() }

// allocOperands returns the operand types and result of struct.new,
// struct.new_default, array.new, array.new_default and array.new_fixed
// (the instructions allowed in constant expressions too).
func (mc *moduleChecker) allocOperands(in *wasm.Instr) ([]wasm.ValType, wasm.ValType, error) {
	kind := wasm.CompStruct
	if in.Op != wasm.OpStructNew && in.Op != wasm.OpStructNewDefault {
		kind = wasm.CompArray
	}
	st, err := mc.compositeAt(in.Index, kind)
	if err != nil {
		return nil, 0, err
	}
	out := wasm.RefType(false, wasm.HeapType(in.Index))
	var ins []wasm.ValType
	switch in.Op {
	case wasm.OpStructNew:
		for _, f := range st.Fields {
			ins = append(ins, f.Type.Unpacked())
		}
	case wasm.OpStructNewDefault, wasm.OpArrayNewDefault:
		for _, f := range st.Fields {
			if !defaultable(f.Type) {
				return nil, 0, fmt.Errorf("field type is not defaultable")
			}
		}
		if in.Op == wasm.OpArrayNewDefault {
			ins = []wasm.ValType{wasm.I32}
		}
	case wasm.OpArrayNew:
		ins = []wasm.ValType{st.Fields[0].Type.Unpacked(), wasm.I32}
	case wasm.OpArrayNewFixed:
		if in.Index2 > maxNewFixed {
			return nil, 0, fmt.Errorf("array.new_fixed of %d elements exceeds the implementation limit %d", in.Index2, maxNewFixed)
		}
		t := st.Fields[0].Type.Unpacked()
		for i := uint32(0); i < in.Index2; i++ {
			ins = append(ins, t)
		}
	}
	return ins, out, nil
}
