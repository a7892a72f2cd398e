package store

import (
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// recModule returns a module with one recursion group of two struct types
// that refer to each other, the second a subtype of super (a type index
// before the group, or -1 for none).
func recModule(fieldType wasm.ValType) *wasm.Module {
	ref := func(i int) wasm.ValType { return wasm.RefType(true, wasm.HeapType(i)) }
	return &wasm.Module{
		Types: make([]wasm.FuncType, 3),
		SubTypes: []wasm.SubType{
			{Kind: wasm.CompFunc, Final: true, RecStart: 0, RecSize: 1},
			{Kind: wasm.CompStruct, Fields: []wasm.FieldType{{Type: ref(2)}}, RecStart: 1, RecSize: 2},
			{Kind: wasm.CompStruct, Supers: []uint32{1}, Fields: []wasm.FieldType{{Type: ref(2)}, {Type: fieldType}}, RecStart: 1, RecSize: 2},
		},
	}
}

func TestTypesCanonicalisation(t *testing.T) {
	var reg Types
	a := reg.Module(recModule(wasm.I32))
	b := reg.Module(recModule(wasm.I32))
	c := reg.Module(recModule(wasm.I64))
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("type %d: equivalent groups got different canonical types", i)
		}
	}
	if a[1] == c[1] || a[2] == c[2] {
		t.Error("groups that differ in one field share canonical types")
	}
	if !a[2].SubOf(a[1]) || a[1].SubOf(a[2]) || !a[1].SubOf(a[1]) {
		t.Error("declared subtyping is not reflected by SubOf")
	}
	if a[2].SubOf(c[1]) {
		t.Error("a type is a subtype of a type of another, inequivalent group")
	}
	// A plain function type agrees with the host function form.
	ft := wasm.FuncType{Params: []wasm.ValType{wasm.I32}}
	m := &wasm.Module{Types: []wasm.FuncType{ft}, SubTypes: []wasm.SubType{{Kind: wasm.CompFunc, Final: true, RecSize: 1}}}
	if got, want := reg.Module(m)[0].ID, reg.ID(&ft); got != want {
		t.Errorf("module function type ID %d, host ID %d", got, want)
	}
	// Struct layout: the reference field is in Refs, the number in Bytes.
	if f := a[2].Fields; f[0].Offset != 0 || !f[0].IsRef() || f[1].Size != 4 || a[2].Bytes != 4 || a[2].Refs != 1 {
		t.Errorf("layout of %+v", a[2])
	}
}

func TestHeapSubtyping(t *testing.T) {
	var reg Types
	ts := reg.Module(recModule(wasm.I32))
	cases := []struct {
		a, b wasm.HeapType
		want bool
	}{
		{wasm.HeapI31, wasm.HeapEq, true},
		{wasm.HeapStruct, wasm.HeapAny, true},
		{wasm.HeapAny, wasm.HeapEq, false},
		{wasm.HeapNone, 1, true},
		{2, wasm.HeapStruct, true},
		{2, 1, true},
		{1, 2, false},
		{0, wasm.HeapFunc, true},
		{0, wasm.HeapAny, false},
		{wasm.HeapNoFunc, 0, true},
		{wasm.HeapNoExtern, wasm.HeapExtern, true},
		{wasm.HeapExtern, wasm.HeapAny, false},
	}
	for _, c := range cases {
		if got := HeapSub(c.a, ts, c.b, ts); got != c.want {
			t.Errorf("HeapSub(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if !HeapMatches(I31(3), wasm.HeapEq, ts) || HeapMatches(I31(3), wasm.HeapStruct, ts) {
		t.Error("i31 values match the wrong heap types")
	}
	s := NewStruct(ts[2])
	if !HeapMatches(s, 1, ts) || HeapMatches(NewStruct(ts[1]), 2, ts) {
		t.Error("struct values do not follow declared subtyping")
	}
}
