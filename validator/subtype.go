package validator

import (
	"crypto/sha256"
	"encoding/binary"

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
	return heapSub(a, b, mc.kindOf, mc.kindOf, mc.typeMatches)
}

// heapSub is the heap subtyping rule for a heap type a of one module and b
// of another (or the same): kindA and kindB give the kind of their defined
// types, typeSub decides between two defined types.
func heapSub(a, b wasm.HeapType, kindA, kindB func(wasm.HeapType) wasm.CompositeKind, typeSub func(a, b uint32) bool) bool {
	if a >= 0 && b >= 0 {
		return typeSub(uint32(a), uint32(b))
	}
	if a == b {
		return true // both abstract
	}
	if b < 0 {
		switch b {
		case wasm.HeapAny:
			switch a {
			case wasm.HeapEq, wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray, wasm.HeapNone:
				return true
			}
			return a >= 0 && kindA(a) != wasm.CompFunc
		case wasm.HeapEq:
			switch a {
			case wasm.HeapI31, wasm.HeapStruct, wasm.HeapArray, wasm.HeapNone:
				return true
			}
			return a >= 0 && kindA(a) != wasm.CompFunc
		case wasm.HeapI31:
			return a == wasm.HeapNone
		case wasm.HeapStruct:
			return a == wasm.HeapNone || a >= 0 && kindA(a) == wasm.CompStruct
		case wasm.HeapArray:
			return a == wasm.HeapNone || a >= 0 && kindA(a) == wasm.CompArray
		case wasm.HeapFunc:
			return a == wasm.HeapNoFunc || a >= 0 && kindA(a) == wasm.CompFunc
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
		return kindB(b) != wasm.CompFunc
	case wasm.HeapNoFunc:
		return kindB(b) == wasm.CompFunc
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
// position and references outside by their own canonical identity. Earlier
// groups must be canonical already.
func (mc *moduleChecker) canonicalize(first, size uint32) {
	mc.keys = appendGroupKeys(mc.keys, mc.m, first, size)
	if mc.canonIDs == nil {
		mc.canonIDs = map[TypeKey]uint32{}
	}
	for i := first; i < first+size; i++ {
		id, ok := mc.canonIDs[mc.keys[i]]
		if !ok {
			id = i
			mc.canonIDs[mc.keys[i]] = id
		}
		mc.canon = append(mc.canon, id)
	}
}

// TypeKey identifies a defined type up to equivalence, independently of
// the module: two types (of the same module or of different modules) are
// equivalent exactly when their keys are equal. It is a SHA-256 digest of
// the type's recursion group, with references to types outside the group
// replaced by their keys, and of the type's position in the group.
type TypeKey [sha256.Size]byte

// CanonicalTypes returns the key of every type defined by m, a module that
// validated: engines use it to compare signatures across modules
// (call_indirect, imports) and for the casts of GC.
func CanonicalTypes(m *wasm.Module) []TypeKey {
	var keys []TypeKey
	for i := 0; i < len(m.Types); {
		size := uint32(1)
		if i < len(m.SubTypes) && m.SubTypes[i].RecSize > 0 {
			size = m.SubTypes[i].RecSize
		}
		if uint64(i)+uint64(size) > uint64(len(m.Types)) {
			size = uint32(len(m.Types) - i)
		}
		keys = appendGroupKeys(keys, m, uint32(i), size)
		i += int(size)
	}
	return keys
}

// appendGroupKeys appends the keys of the types of the recursion group
// first..first+size-1 to keys, which holds those of the earlier types.
func appendGroupKeys(keys []TypeKey, m *wasm.Module, first, size uint32) []TypeKey {
	h := sha256.New()
	var buf []byte
	num := func(v uint64) { buf = binary.AppendUvarint(buf, v) }
	ref := func(t wasm.HeapType) {
		switch {
		case t < 0:
			buf = append(buf, 'a', byte(int32(t)+0x80))
		case uint32(t) >= first && uint32(t) < first+size:
			buf = append(buf, 'r')
			num(uint64(uint32(t) - first))
		case uint64(t) < uint64(len(keys)):
			buf = append(buf, 'c')
			buf = append(buf, keys[t][:]...)
		default:
			buf = append(buf, '?')
			num(uint64(t))
		}
	}
	val := func(t wasm.ValType) {
		if t.IsRef() {
			if t.Nullable() {
				buf = append(buf, 'n')
			}
			ref(t.Heap())
			return
		}
		buf = append(buf, 'v', byte(t))
	}
	num(uint64(size))
	for i := first; i < first+size; i++ {
		st := wasm.SubType{Final: true}
		if i < uint32(len(m.SubTypes)) {
			st = m.SubTypes[i]
		}
		ft := &m.Types[i]
		buf = append(buf, 'k', byte(st.Kind))
		if st.Final {
			buf = append(buf, 'f')
		}
		num(uint64(len(st.Supers)))
		for _, s := range st.Supers {
			ref(wasm.HeapType(s))
		}
		num(uint64(len(ft.Params)))
		for _, t := range ft.Params {
			val(t)
		}
		num(uint64(len(ft.Results)))
		for _, t := range ft.Results {
			val(t)
		}
		num(uint64(len(st.Fields)))
		for _, f := range st.Fields {
			if f.Mutable {
				buf = append(buf, 'm')
			}
			val(f.Type)
		}
		h.Write(buf)
		buf = buf[:0]
	}
	var group [sha256.Size]byte
	h.Sum(group[:0])
	for i := uint32(0); i < size; i++ {
		buf = append(append(buf[:0], group[:]...), 'p')
		num(uint64(i))
		keys = append(keys, sha256.Sum256(buf))
	}
	return keys
}

// fieldMatches reports whether field a may stand for field b in a subtype:
// same mutability; immutable fields covariant, mutable ones invariant.
func (mc *moduleChecker) fieldMatches(a, b wasm.FieldType) bool {
	if a.Mutable != b.Mutable {
		return false
	}
	if a.Type.IsPacked() || b.Type.IsPacked() {
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
