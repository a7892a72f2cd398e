package validator

import (
	"strconv"
	"strings"

	"github.com/kilnrt/kiln/wasm"
)

// matches reports whether a value of type a may be used where type b is
// expected. In WebAssembly 2.0 that is equality (or Unknown on either
// side); typed function references and GC add subtyping of reference
// types: nullability ((ref t) <: (ref null t)) and heap subtyping (see
// heapMatches).
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
	return mc.heapMatches(a.Heap(), b.Heap())
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

// kindOf returns the composite kind of defined type idx.
func (mc *moduleChecker) kindOf(idx wasm.HeapType) wasm.CompositeKind {
	if uint64(idx) < uint64(len(mc.m.SubTypes)) {
		return mc.m.SubTypes[idx].Kind
	}
	return wasm.CompFunc
}

// heapMatches implements heap subtyping: the abstract hierarchies
// none <: i31, struct, array <: eq <: any; nofunc <: func; noextern <:
// extern; noexn <: exn; a defined type is below struct, array or func by
// its kind, and below its declared supertypes; equivalent defined types
// (same canonical recursion group and position) match both ways.
func (mc *moduleChecker) heapMatches(a, b wasm.HeapType) bool {
	if a == b {
		return true
	}
	if a >= 0 && b >= 0 {
		return mc.typeMatches(uint32(a), uint32(b))
	}
	if b < 0 {
		switch b {
		case wasm.HeapAny:
			switch a {
			case wasm.HeapEq, wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray, wasm.HeapNone:
				return true
			}
			return a >= 0 && mc.kindOf(a) != wasm.CompFunc
		case wasm.HeapEq:
			switch a {
			case wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray, wasm.HeapNone:
				return true
			}
			return a >= 0 && mc.kindOf(a) != wasm.CompFunc
		case wasm.HeapI31:
			return a == wasm.HeapNone
		case wasm.HeapStruct:
			return a == wasm.HeapNone || a >= 0 && mc.kindOf(a) == wasm.CompStruct
		case wasm.HeapArray:
			return a == wasm.HeapNone || a >= 0 && mc.kindOf(a) == wasm.CompArray
		case wasm.HeapFunc:
			return a == wasm.HeapNoFunc || a >= 0 && mc.kindOf(a) == wasm.CompFunc
		case wasm.HeapExtern:
			return a == wasm.HeapNoExtern
		case wasm.HeapExn:
			return a == wasm.HeapNoExn
		}
		return false
	}
	// a is abstract, b a defined type: only the bottom types match.
	switch a {
	case wasm.HeapNone:
		return mc.kindOf(b) != wasm.CompFunc
	case wasm.HeapNoFunc:
		return mc.kindOf(b) == wasm.CompFunc
	}
	return false
}

// typeMatches reports whether defined type a is a subtype of defined type
// b: equivalent, or b is reached by following a's declared supertypes.
func (mc *moduleChecker) typeMatches(a, b uint32) bool {
	n := uint32(len(mc.canon))
	if a >= n || b >= n {
		return false
	}
	subs := mc.m.SubTypes
	for steps := 0; steps <= len(subs); steps++ {
		if mc.canon[a] == mc.canon[b] {
			return true
		}
		if uint64(a) >= uint64(len(subs)) || len(subs[a].Supers) == 0 {
			return false
		}
		next := subs[a].Supers[0]
		if next >= a {
			return false // not validated yet (or invalid): no cycles
		}
		a = next
	}
	return false
}

// topHeap returns the top of the hierarchy h belongs to: any, func, extern
// or exn.
func (mc *moduleChecker) topHeap(h wasm.HeapType) wasm.HeapType {
	switch h {
	case wasm.HeapFunc, wasm.HeapNoFunc:
		return wasm.HeapFunc
	case wasm.HeapExtern, wasm.HeapNoExtern:
		return wasm.HeapExtern
	case wasm.HeapExn, wasm.HeapNoExn:
		return wasm.HeapExn
	}
	if h >= 0 && mc.kindOf(h) == wasm.CompFunc {
		return wasm.HeapFunc
	}
	return wasm.HeapAny
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

// canonicalize computes the canonical id of the types of the recursion
// group starting at first: types are equivalent when their groups have the
// same structure, references inside the group being compared by relative
// position and references outside by canonical id. Earlier groups must be
// canonical already.
func (mc *moduleChecker) canonicalize(first, size uint32) {
	var b strings.Builder
	ref := func(h wasm.HeapType) {
		switch {
		case h < 0:
			b.WriteString("a" + strconv.Itoa(int(h)))
		case uint32(h) >= first && uint32(h) < first+size:
			b.WriteString("r" + strconv.Itoa(int(uint32(h)-first)))
		case uint64(h) < uint64(len(mc.canon)):
			b.WriteString("c" + strconv.Itoa(int(mc.canon[h])))
		default:
			b.WriteString("?" + strconv.Itoa(int(h)))
		}
	}
	val := func(t wasm.ValType) {
		if t.IsRef() {
			if t.Nullable() {
				b.WriteString("n")
			}
			ref(t.Heap())
		} else {
			b.WriteString("v" + strconv.Itoa(int(t)))
		}
		b.WriteByte(',')
	}
	for i := first; i < first+size; i++ {
		st := &mc.m.SubTypes[i]
		ft := &mc.m.Types[i]
		b.WriteString("|k" + strconv.Itoa(int(st.Kind)))
		if st.Final {
			b.WriteString("f")
		}
		for _, s := range st.Supers {
			b.WriteString("s")
			ref(wasm.HeapType(s))
		}
		b.WriteString("p")
		for _, t := range ft.Params {
			val(t)
		}
		b.WriteString("r")
		for _, t := range ft.Results {
			val(t)
		}
		for _, f := range st.Fields {
			if f.Mutable {
				b.WriteString("m")
			}
			val(f.Type)
		}
	}
	key := b.String()
	base, ok := mc.canonGroups[key]
	if !ok {
		base = first
		mc.canonGroups[key] = base
	}
	for i := uint32(0); i < size; i++ {
		mc.canon = append(mc.canon, base+i)
	}
}

// fieldMatches reports whether field a may stand for field b in a subtype:
// same mutability; immutable fields covariant, mutable ones invariant.
func (mc *moduleChecker) fieldMatches(a, b wasm.FieldType) bool {
	if a.Mutable != b.Mutable {
		return false
	}
	if a.Type == wasm.PackedI8 || a.Type == wasm.PackedI16 || b.Type == wasm.PackedI8 || b.Type == wasm.PackedI16 {
		return a.Type == b.Type
	}
	if !mc.matches(a.Type, b.Type) {
		return false
	}
	return !a.Mutable || mc.matches(b.Type, a.Type)
}

// subTypeMatches checks the structural rule for a declared supertype: sub
// type i must match super type s.
func (mc *moduleChecker) subTypeMatches(i, s uint32) bool {
	a, b := &mc.m.SubTypes[i], &mc.m.SubTypes[s]
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case wasm.CompFunc:
		fa, fb := &mc.m.Types[i], &mc.m.Types[s]
		return mc.matchesAll(fb.Params, fa.Params) && mc.matchesAll(fa.Results, fb.Results)
	case wasm.CompStruct:
		if len(a.Fields) < len(b.Fields) {
			return false
		}
		for j, f := range b.Fields {
			if !mc.fieldMatches(a.Fields[j], f) {
				return false
			}
		}
		return true
	case wasm.CompArray:
		return len(a.Fields) == 1 && len(b.Fields) == 1 && mc.fieldMatches(a.Fields[0], b.Fields[0])
	}
	return false
}
