package validator

import "github.com/kilnrt/kiln/wasm"

// Types is the type context of a validated module, for comparing types
// across modules: linking checks that an import's type is matched by the
// exported entity's, and engines compare the signatures of functions from
// different modules (call_indirect) and the types of GC casts.
type Types struct {
	m    *wasm.Module
	keys []TypeKey
}

// NewTypes returns the type context of m, a module that validated.
func NewTypes(m *wasm.Module) *Types {
	return &Types{m: m, keys: CanonicalTypes(m)}
}

// Key returns the canonical key of defined type idx (the zero key when
// idx is out of range).
func (t *Types) Key(idx uint32) TypeKey {
	if uint64(idx) < uint64(len(t.keys)) {
		return t.keys[idx]
	}
	return TypeKey{}
}

func (t *Types) kind(h wasm.HeapType) wasm.CompositeKind {
	if uint64(h) < uint64(len(t.m.SubTypes)) {
		return t.m.SubTypes[h].Kind
	}
	return wasm.CompFunc
}

// TypeMatches reports whether defined type a of module ta is a subtype of
// defined type b of module tb: equivalent, or a declared supertype of a
// (transitively) is equivalent to b.
func TypeMatches(ta *Types, a uint32, tb *Types, b uint32) bool {
	if uint64(b) >= uint64(len(tb.keys)) {
		return false
	}
	want := tb.keys[b]
	subs := ta.m.SubTypes
	for steps := 0; steps <= len(ta.keys); steps++ {
		if uint64(a) >= uint64(len(ta.keys)) {
			return false
		}
		if ta.keys[a] == want {
			return true
		}
		if uint64(a) >= uint64(len(subs)) || len(subs[a].Supers) == 0 || subs[a].Supers[0] >= a {
			return false
		}
		a = subs[a].Supers[0]
	}
	return false
}

// ValTypeMatches reports whether a value of type a (whose type indices
// refer to module ta) may be used where type b of module tb is expected.
func ValTypeMatches(ta *Types, a wasm.ValType, tb *Types, b wasm.ValType) bool {
	if !a.IsRef() || !b.IsRef() {
		return a == b
	}
	if a.Nullable() && !b.Nullable() {
		return false
	}
	return heapSub(a.Heap(), b.Heap(), ta.kind, tb.kind, func(x, y uint32) bool { return TypeMatches(ta, x, tb, y) })
}

// ValTypesEquivalent reports whether a of module ta and b of module tb are
// the same type (mutable globals and tables require it).
func ValTypesEquivalent(ta *Types, a wasm.ValType, tb *Types, b wasm.ValType) bool {
	return ValTypeMatches(ta, a, tb, b) && ValTypeMatches(tb, b, ta, a)
}
