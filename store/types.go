package store

import (
	"encoding/binary"
	"sync"

	"github.com/kilnrt/kiln/wasm"
)

// Type is a defined type at run time, canonical under the iso-recursive
// type equivalence of the GC proposal: two modules that define equivalent
// recursion groups share the same *Type values, so type identity is pointer
// (or ID) identity, and a declared subtype relation is a walk up Super.
type Type struct {
	ID    uint32
	Kind  wasm.CompositeKind
	Final bool
	// Super is the declared supertype, or nil; Depth is the length of the
	// chain of supertypes above this type.
	Super *Type
	Depth int
	// Func is the signature of a function type (in the terms of the first
	// module that defined it: concrete type indices are that module's).
	Func *wasm.FuncType
	// Fields are the fields of a struct or the element of an array, with
	// their layout in a GC object.
	Fields []Field
	// Bytes and Refs are the sizes of a struct's numeric and reference
	// storage.
	Bytes, Refs int
}

// Field is a struct field or array element: its storage type (i8 and i16
// packed), mutability, and where its value lives in the object (a byte
// offset into the numeric storage, or an index into the references).
type Field struct {
	Type    wasm.ValType
	Mutable bool
	Offset  int
	Size    int // in bytes; 0 for reference fields
}

// IsRef reports whether the field holds a reference.
func (f *Field) IsRef() bool { return f.Type.IsRef() }

// SubOf reports whether t is declared (transitively) a subtype of u.
func (t *Type) SubOf(u *Type) bool {
	for t != nil && t.Depth >= u.Depth {
		if t == u {
			return true
		}
		t = t.Super
	}
	return false
}

// Types interns defined types: equivalent recursion groups get the same
// canonical *Type values. It is safe for concurrent use.
type Types struct {
	mu     sync.Mutex
	groups map[string][]*Type
	n      uint32
}

// ID returns the canonical identifier of the function type ft, as a final
// function type without supertypes in a recursion group of its own (the
// form of every WebAssembly 2.0 type and of host function types).
func (t *Types) ID(ft *wasm.FuncType) uint32 {
	return t.Func(ft).ID
}

// Func returns the canonical type of ft (see ID).
func (t *Types) Func(ft *wasm.FuncType) *Type {
	sub := []wasm.SubType{{Kind: wasm.CompFunc, Final: true, RecSize: 1}}
	return t.group(sub, []wasm.FuncType{*ft}, 0, 1, nil)[0]
}

// Module returns the canonical type of each type defined by m, in index
// order.
func (t *Types) Module(m *wasm.Module) []*Type {
	out := make([]*Type, len(m.Types))
	for i := 0; i < len(m.Types); {
		start, size := i, 1
		if i < len(m.SubTypes) {
			start, size = int(m.SubTypes[i].RecStart), int(m.SubTypes[i].RecSize)
		}
		if start != i || size < 1 || start+size > len(m.Types) {
			start, size = i, 1
		}
		subs := m.SubTypes
		if len(subs) < len(m.Types) {
			// A module built without SubTypes: plain function types.
			subs = make([]wasm.SubType, len(m.Types))
			for j := range subs {
				subs[j] = wasm.SubType{Kind: wasm.CompFunc, Final: true, RecStart: uint32(j), RecSize: 1}
			}
		}
		copy(out[start:], t.group(subs, m.Types, start, size, out))
		i = start + size
	}
	return out
}

// group interns the recursion group of types start..start+size-1; outer
// holds the canonical types of the module's earlier types.
func (t *Types) group(subs []wasm.SubType, funcs []wasm.FuncType, start, size int, outer []*Type) []*Type {
	key := groupKey(subs, funcs, start, size, outer)
	t.mu.Lock()
	defer t.mu.Unlock()
	if g, ok := t.groups[string(key)]; ok {
		return g
	}
	if t.groups == nil {
		t.groups = map[string][]*Type{}
	}
	g := make([]*Type, size)
	for k := range g {
		g[k] = &Type{ID: t.n}
		t.n++
	}
	resolve := func(idx uint32) *Type {
		if int(idx) >= start && int(idx) < start+size {
			return g[int(idx)-start]
		}
		if int(idx) < len(outer) {
			return outer[idx]
		}
		return nil
	}
	for k, ty := range g {
		st := &subs[start+k]
		ty.Kind, ty.Final = st.Kind, st.Final
		if len(st.Supers) > 0 {
			ty.Super = resolve(st.Supers[0])
		}
		if ty.Kind == wasm.CompFunc {
			ft := funcs[start+k]
			ty.Func = &ft
			continue
		}
		for _, f := range st.Fields {
			fl := Field{Type: f.Type, Mutable: f.Mutable}
			if f.Type.IsRef() {
				fl.Offset = ty.Refs
				ty.Refs++
			} else {
				fl.Size = f.Type.ByteSize()
				ty.Bytes = (ty.Bytes + fl.Size - 1) &^ (fl.Size - 1) // natural alignment
				fl.Offset = ty.Bytes
				ty.Bytes += fl.Size
			}
			ty.Fields = append(ty.Fields, fl)
		}
	}
	// Depths: supertypes precede their subtypes (validation guarantees
	// it), but members of one group may refer to each other in any order.
	var depth func(ty *Type, n int) int
	depth = func(ty *Type, n int) int {
		if ty.Super == nil || n > len(g)+1 {
			return 0
		}
		return depth(ty.Super, n+1) + 1
	}
	for _, ty := range g {
		ty.Depth = depth(ty, 0)
	}
	t.groups[string(key)] = g
	return g
}

// groupKey serialises a recursion group so that equivalent groups have
// equal keys: references to types of the group are relative to it,
// references to earlier types use their canonical IDs.
func groupKey(subs []wasm.SubType, funcs []wasm.FuncType, start, size int, outer []*Type) []byte {
	var b []byte
	u32 := func(v uint32) { b = binary.LittleEndian.AppendUint32(b, v) }
	idx := func(i uint32) {
		switch {
		case int(i) >= start && int(i) < start+size:
			b = append(b, 'L')
			u32(i - uint32(start))
		case int(i) < len(outer) && outer[i] != nil:
			b = append(b, 'C')
			u32(outer[i].ID)
		default:
			b = append(b, '?')
			u32(i)
		}
	}
	val := func(v wasm.ValType) {
		if v.IsRef() && v.Heap() >= 0 {
			b = append(b, 'r')
			if v.Nullable() {
				b = append(b, 'n')
			}
			idx(uint32(v.Heap()))
			return
		}
		b = append(b, 'v')
		u32(uint32(v))
	}
	for k := 0; k < size; k++ {
		st := &subs[start+k]
		b = append(b, '{', byte(st.Kind))
		if st.Final {
			b = append(b, 'f')
		}
		for _, s := range st.Supers {
			b = append(b, 's')
			idx(s)
		}
		if st.Kind == wasm.CompFunc {
			ft := &funcs[start+k]
			for _, p := range ft.Params {
				val(p)
			}
			b = append(b, ':')
			for _, r := range ft.Results {
				val(r)
			}
		} else {
			for _, f := range st.Fields {
				val(f.Type)
				if f.Mutable {
					b = append(b, 'm')
				}
			}
		}
		b = append(b, '}')
	}
	return b
}
