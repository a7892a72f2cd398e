package store

import (
	"context"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/wasm"
)

func addr[T any](p *T) uint64 { return uint64(uintptr(unsafe.Pointer(p))) }

// indexWorld is an instance with two tables, three functions of its own
// (two types), another instance's function and a host function.
func indexWorld(t *testing.T) (inst, other *Instance, host *Function) {
	t.Helper()
	other = &Instance{Name: "other"}
	other.Funcs = []*Function{{TypeID: 7, Module: other}}
	host = &Function{TypeID: 7, Module: &Instance{Name: "host"}, Host: func(ctx context.Context, c *Instance, s []uint64, r []any) error { return nil }}
	inst = &Instance{Name: "inst", TypeIDs: []uint32{7, 9}}
	inst.Funcs = []*Function{other.Funcs[0]} // imported: index 0
	for i, id := range []uint32{7, 9, 7} {
		inst.Funcs = append(inst.Funcs, &Function{TypeID: id, Module: inst, Index: uint32(1 + i)})
	}
	for i := 0; i < 2; i++ {
		tab, err := NewTable(wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 4}}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		inst.Tables = append(inst.Tables, tab)
	}
	return inst, other, host
}

// view returns table i's view words as machine code finds them: the
// array whose address the header holds.
func view(t *testing.T, ci *CallIndex, i int) []uint64 {
	t.Helper()
	v := ci.views[i]
	if got := ci.Header[(rt.IndexTables+8*i)/8]; got != addr(&v.words[0]) {
		t.Fatalf("header word of table %d is %#x, the view is at %#x", i, got, addr(&v.words[0]))
	}
	return v.words[:1+v.words[rt.ViewLen/8]]
}

func elemWord(f *Function) uint64 { return uint64(f.TypeID) | uint64(f.Index+1)<<32 }

// The call index has the layout jit/rt documents, and every table
// write (Wrote, Grow) reaches every instance's view of the table.
func TestCallIndexLayout(t *testing.T) {
	inst, other, host := indexWorld(t)
	tab := inst.Tables[0]
	tab.Elems[0], tab.Elems[1], tab.Elems[2], tab.Elems[3] = inst.Funcs[1], other.Funcs[0], host, inst.Funcs[2]
	ci := inst.CallIndex(func(f *Function) uintptr {
		if f.TypeID == 7 {
			return 0x100 + uintptr(f.Index)
		}
		return 0
	})
	if inst.CallIndex(nil) != ci {
		t.Fatal("a second CallIndex built another index")
	}
	if ci.Header[rt.IndexTypeIDs/8] != addr(&ci.typeIDs[0]) || ci.typeIDs[0] != 7 || ci.typeIDs[1] != 9 {
		t.Errorf("type IDs: header %#x, array at %#x holds %v", ci.Header[0], addr(&ci.typeIDs[0]), ci.typeIDs)
	}
	if ci.Header[rt.IndexEntries/8] != addr(&ci.entries[0]) || len(ci.entries) != 1+len(inst.Funcs) {
		t.Errorf("entries: header %#x, array at %#x of %d words", ci.Header[1], addr(&ci.entries[0]), len(ci.entries))
	}
	want := []uint64{4, elemWord(inst.Funcs[1]), 0, 0, elemWord(inst.Funcs[2])}
	if got := view(t, ci, 0); !equal(got, want) {
		t.Errorf("table 0's view %#x, want %#x", got, want)
	}
	if got := view(t, ci, 1); !equal(got, []uint64{4, 0, 0, 0, 0}) {
		t.Errorf("table 1's view %#x, want four nulls", got)
	}
	if want := []uint64{0, 0, 0x101, 0, 0x103}; !equal(ci.entries, want) {
		t.Errorf("first entries %#x, want %#x (the imported function's is not the instance's)", ci.entries, want)
	}
	ci.SetEntry(2, 0x1234)
	if ci.entries[0] != 0 || ci.entries[3] != 0x1234 || ci.Entry(2) != 0x1234 {
		t.Errorf("SetEntry(2): entries %#x", ci.entries)
	}
	ci.SetEntry(99, 1) // out of range: ignored

	// Writes: one element, a range, growth (moving the view).
	tab.Elems[1] = inst.Funcs[3]
	tab.Wrote(1, 1)
	tab.Elems[2], tab.Elems[3] = nil, other.Funcs[0]
	tab.Wrote(2, 2)
	tab.Wrote(3, 100) // clipped to the table
	old := ci.Header[rt.IndexTables/8]
	if _, ok := tab.Grow(100, inst.Funcs[2]); !ok {
		t.Fatal("grow failed")
	}
	got := view(t, ci, 0)
	if ci.Header[rt.IndexTables/8] == old || len(ci.views[0].old) != 1 {
		t.Error("growing by 100 did not move the view (or dropped the old array)")
	}
	if len(got) != 105 || got[0] != 104 || got[1] != elemWord(inst.Funcs[1]) || got[2] != elemWord(inst.Funcs[3]) ||
		got[3] != 0 || got[4] != 0 || got[5] != elemWord(inst.Funcs[2]) || got[104] != elemWord(inst.Funcs[2]) {
		t.Errorf("after writes and growth: %#x", got[:6])
	}
	if _, ok := tab.Grow(1, nil); !ok || view(t, ci, 0)[0] != 105 {
		t.Error("growth within capacity did not publish the length")
	}
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A table shared by two instances has a view per instance, each naming
// only that instance's functions; the view of an instance that is gone
// leaves the table.
func TestCallIndexSharedTable(t *testing.T) {
	a, _, _ := indexWorld(t)
	b := &Instance{Name: "b", Tables: []*Table{a.Tables[0]}}
	b.Funcs = []*Function{{TypeID: 7, Module: b}}
	tab := a.Tables[0]
	tab.Elems[0], tab.Elems[1] = a.Funcs[1], b.Funcs[0]
	ca, cb := a.CallIndex(nil), b.CallIndex(nil)
	if got := view(t, ca, 0); got[1] != elemWord(a.Funcs[1]) || got[2] != 0 {
		t.Errorf("a's view %#x", got)
	}
	if got := view(t, cb, 0); got[1] != 0 || got[2] != elemWord(b.Funcs[0]) {
		t.Errorf("b's view %#x", got)
	}
	tab.Elems[2] = b.Funcs[0]
	tab.Wrote(2, 1)
	if view(t, ca, 0)[3] != 0 || view(t, cb, 0)[3] != elemWord(b.Funcs[0]) {
		t.Error("a write did not reach both views")
	}
	if n := len(*tab.views.Load()); n != 2 {
		t.Fatalf("%d views, want 2", n)
	}
	tab.Elems[1], tab.Elems[2] = nil, nil // b's functions kept it alive
	tab.Wrote(1, 2)
	b, cb = nil, nil
	deadline := time.Now().Add(5 * time.Second)
	for len(*tab.views.Load()) != 1 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if n := len(*tab.views.Load()); n != 1 {
		t.Errorf("%d views after b is gone, want 1", n)
	}
	runtime.KeepAlive(ca)
}
