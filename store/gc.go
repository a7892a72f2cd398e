package store

import (
	"encoding/binary"

	"github.com/kilnrt/kiln/wasm"
)

// GC objects (garbage collection proposal) are ordinary Go heap objects
// referenced from reference slots, so Go's collector manages them.
//
// Representation of reference values (an `any`): nil is null in every
// hierarchy; a *Function is a function reference; *Struct and *Array are
// GC objects; I31 is an unboxed scalar (ref i31); *Exception is an exnref;
// any other Go value is a host (extern) value. extern.convert_any and
// any.convert_extern leave the value unchanged: a host value seen as
// anyref only matches the heap type any, a GC value seen as externref
// only matches extern.

// Struct is a struct instance: numeric fields in Bytes (little-endian at
// their Field.Offset), reference fields in Refs.
type Struct struct {
	Type  *Type
	Bytes []byte
	Refs  []any
}

// Array is an array instance: numeric elements packed in Bytes (element i
// at i*Size), or reference elements in Refs.
type Array struct {
	Type  *Type
	Len   uint32
	Bytes []byte
	Refs  []any
}

// I31 is a ref.i31 value: the low 31 bits hold the integer.
type I31 uint32

// NewStruct returns a struct of type t with every field zero or null.
func NewStruct(t *Type) *Struct {
	s := &Struct{Type: t}
	if t.Bytes > 0 {
		s.Bytes = make([]byte, t.Bytes)
	}
	if t.Refs > 0 {
		s.Refs = make([]any, t.Refs)
	}
	return s
}

// NewArray returns an array of type t with n zero or null elements.
func NewArray(t *Type, n uint32) *Array {
	a := &Array{Type: t, Len: n}
	if e := &t.Fields[0]; e.IsRef() {
		a.Refs = make([]any, n)
	} else {
		a.Bytes = make([]byte, int(n)*e.Size)
	}
	return a
}

// HeapMatches reports whether the non-null reference r belongs to heap type
// h, whose concrete type indices are resolved in types.
func HeapMatches(r any, h wasm.HeapType, types []*Type) bool {
	if h >= 0 {
		want := types[h]
		switch v := r.(type) {
		case *Function:
			return v.Canon != nil && v.Canon.SubOf(want)
		case *Struct:
			return v.Type.SubOf(want)
		case *Array:
			return v.Type.SubOf(want)
		}
		return false
	}
	switch h {
	case wasm.HeapFunc:
		_, ok := r.(*Function)
		return ok
	case wasm.HeapExtern:
		return true
	case wasm.HeapExn:
		_, ok := r.(*Exception)
		return ok
	case wasm.HeapAny:
		return true
	case wasm.HeapEq:
		switch r.(type) {
		case I31, *Struct, *Array:
			return true
		}
	case wasm.HeapI31:
		_, ok := r.(I31)
		return ok
	case wasm.HeapStruct:
		_, ok := r.(*Struct)
		return ok
	case wasm.HeapArray:
		_, ok := r.(*Array)
		return ok
	}
	return false // the bottom types have no values
}

// HeapSub reports whether heap type a (concrete indices resolved in at) is
// a subtype of heap type b (resolved in bt).
func HeapSub(a wasm.HeapType, at []*Type, b wasm.HeapType, bt []*Type) bool {
	if a >= 0 && b >= 0 {
		return at[a].SubOf(bt[b])
	}
	top := func(h wasm.HeapType, ts []*Type) wasm.HeapType {
		if h >= 0 {
			switch ts[h].Kind {
			case wasm.CompFunc:
				return wasm.HeapFunc
			case wasm.CompStruct:
				return wasm.HeapStruct
			}
			return wasm.HeapArray
		}
		return h
	}
	if a < 0 && a == b {
		return true
	}
	ka, kb := top(a, at), top(b, bt)
	switch a {
	case wasm.HeapNone:
		return kb == wasm.HeapAny || kb == wasm.HeapEq || kb == wasm.HeapI31 || kb == wasm.HeapStruct || kb == wasm.HeapArray || kb == wasm.HeapNone
	case wasm.HeapNoFunc:
		return kb == wasm.HeapFunc || kb == wasm.HeapNoFunc
	case wasm.HeapNoExtern:
		return kb == wasm.HeapExtern || kb == wasm.HeapNoExtern
	case wasm.HeapNoExn:
		return kb == wasm.HeapExn || kb == wasm.HeapNoExn
	}
	if b >= 0 {
		return false // an abstract type below a concrete one is a bottom type
	}
	switch b {
	case wasm.HeapAny:
		return ka == wasm.HeapAny || ka == wasm.HeapEq || ka == wasm.HeapI31 || ka == wasm.HeapStruct || ka == wasm.HeapArray
	case wasm.HeapEq:
		return ka == wasm.HeapEq || ka == wasm.HeapI31 || ka == wasm.HeapStruct || ka == wasm.HeapArray
	}
	return ka == b
}

// ValSub reports whether value type a (concrete indices resolved in at) is
// a subtype of b (resolved in bt).
func ValSub(a wasm.ValType, at []*Type, b wasm.ValType, bt []*Type) bool {
	if !a.IsRef() || !b.IsRef() {
		return a == b
	}
	if a.Nullable() && !b.Nullable() {
		return false
	}
	return HeapSub(a.Heap(), at, b.Heap(), bt)
}

// ValEq reports whether value types a and b are equivalent.
func ValEq(a wasm.ValType, at []*Type, b wasm.ValType, bt []*Type) bool {
	return ValSub(a, at, b, bt) && ValSub(b, bt, a, at)
}

// getBytes reads a numeric value of size bytes (zero-extended; a v128 as
// lo and hi).
func getBytes(b []byte, size int) (lo, hi uint64) {
	switch size {
	case 1:
		return uint64(b[0]), 0
	case 2:
		return uint64(binary.LittleEndian.Uint16(b)), 0
	case 4:
		return uint64(binary.LittleEndian.Uint32(b)), 0
	case 8:
		return binary.LittleEndian.Uint64(b), 0
	}
	return binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
}

// putBytes writes a numeric value of size bytes (truncating packed ones).
func putBytes(b []byte, size int, lo, hi uint64) {
	switch size {
	case 1:
		b[0] = byte(lo)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(lo))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(lo))
	case 8:
		binary.LittleEndian.PutUint64(b, lo)
	default:
		binary.LittleEndian.PutUint64(b, lo)
		binary.LittleEndian.PutUint64(b[8:], hi)
	}
}

// Get returns field i: numeric fields zero-extended in lo (a v128 in lo
// and hi), reference fields in ref.
func (s *Struct) Get(i int) (lo, hi uint64, ref any) {
	f := &s.Type.Fields[i]
	if f.IsRef() {
		return 0, 0, s.Refs[f.Offset]
	}
	lo, hi = getBytes(s.Bytes[f.Offset:], f.Size)
	return lo, hi, nil
}

// Set stores field i (packed fields are truncated).
func (s *Struct) Set(i int, lo, hi uint64, ref any) {
	f := &s.Type.Fields[i]
	if f.IsRef() {
		s.Refs[f.Offset] = ref
		return
	}
	putBytes(s.Bytes[f.Offset:], f.Size, lo, hi)
}

// Get returns element i (see Struct.Get); i must be below Len.
func (a *Array) Get(i uint32) (lo, hi uint64, ref any) {
	if a.Refs != nil || a.Type.Fields[0].IsRef() {
		return 0, 0, a.Refs[i]
	}
	size := a.Type.Fields[0].Size
	lo, hi = getBytes(a.Bytes[int(i)*size:], size)
	return lo, hi, nil
}

// Set stores element i (see Struct.Set); i must be below Len.
func (a *Array) Set(i uint32, lo, hi uint64, ref any) {
	if a.Type.Fields[0].IsRef() {
		a.Refs[i] = ref
		return
	}
	size := a.Type.Fields[0].Size
	putBytes(a.Bytes[int(i)*size:], size, lo, hi)
}
