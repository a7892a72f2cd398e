package interp

import (
	"reflect"
	"testing"

	"github.com/kilnrt/kiln/store"
)

// TestRecordHoldsNoPointers: the collector never scans the frame stack.
func TestRecordHoldsNoPointers(t *testing.T) {
	typ := reflect.TypeOf(record{})
	for i := 0; i < typ.NumField(); i++ {
		switch k := typ.Field(i).Type.Kind(); k {
		case reflect.Int32, reflect.Uint32:
		default:
			t.Errorf("record.%s is a %v", typ.Field(i).Name, k)
		}
	}
	if frameBytes&(frameBytes-1) != 0 {
		t.Errorf("a record is %d bytes, not a power of two", frameBytes)
	}
}

// TestFnTable: every function entered gets one index, which resolves to
// it, past the table's linear search, whatever the cache keeps, and a
// reset forgets them all.
func TestFnTable(t *testing.T) {
	var tab fnTable
	fns := make([]*store.Function, 3*fnCacheSize)
	codes := make([]*Code, len(fns))
	for i := range fns {
		fns[i], codes[i] = &store.Function{Index: uint32(i)}, &Code{}
	}
	for round := 0; round < 2; round++ {
		ids := map[uint32]bool{}
		for i, f := range fns {
			id := tab.funcID(f, codes[i])
			if ids[id] {
				t.Fatalf("round %d: function %d got index %d twice", round, i, id)
			}
			ids[id] = true
		}
		for j := 0; j < 3; j++ { // again, in another order: the same indices
			for i := len(fns) - 1; i >= 0; i -= 1 + j {
				id := tab.funcID(fns[i], codes[i])
				if e := tab.fns[id]; e.fn != fns[i] || e.code != codes[i] {
					t.Fatalf("round %d: function %d's index %d resolves to function %d", round, i, id, e.fn.Index)
				}
			}
		}
		if len(tab.fns) != len(fns) {
			t.Fatalf("round %d: %d entries for %d functions", round, len(tab.fns), len(fns))
		}
		tab.resetFuncs()
		if len(tab.fns) != 0 || len(tab.index) != 0 || tab.cache != [fnCacheSize]fnCached{} {
			t.Fatalf("round %d: the reset left %d entries, %d indexed, a cache", round, len(tab.fns), len(tab.index))
		}
	}
}

// TestRefSlots: only functions that can hold a reference have reference
// slots.
func TestRefSlots(t *testing.T) {
	cases := []struct {
		fn   string
		want bool
	}{
		{`(func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))`, false},
		{`(func (local i64 f64 v128))`, false},
		{`(func (param funcref))`, true},
		{`(func (result externref) (ref.null extern))`, true},
		{`(func (local externref))`, true},
		{`(func (result i32) (ref.is_null (ref.null func)))`, true},
		{`(func (result i32) (ref.is_null (table.get 0 (i32.const 0))))`, true},
	}
	for _, c := range cases {
		codes := translate(t, `(module (table 1 funcref) `+c.fn+`)`)
		if got := codes[0].refSlots; got != c.want {
			t.Errorf("%s: refSlots %v, want %v", c.fn, got, c.want)
		}
	}
}
