package jitengine

import "testing"

// Handles are interned (a loop of table.get does not grow the table),
// 0 is null, values that cannot be map keys still get handles, and reset
// lets every reference go.
func TestRefTable(t *testing.T) {
	var rt refTable
	a, b := &struct{ n int }{1}, &struct{ n int }{2}
	if rt.handle(nil) != 0 || rt.ref(0) != nil {
		t.Error("null is not handle 0")
	}
	ha := rt.handle(a)
	for i := 0; i < 100; i++ {
		if rt.handle(a) != ha {
			t.Fatal("the same reference got a new handle")
		}
	}
	hb := rt.handle(b)
	if ha == 0 || hb == ha || rt.ref(ha) != a || rt.ref(hb) != b || len(rt.vals) != 2 {
		t.Errorf("handles %d %d for %d values", ha, hb, len(rt.vals))
	}
	s := []int{1}
	hs := rt.handle(s)
	if got, ok := rt.ref(hs).([]int); hs == 0 || !ok || &got[0] != &s[0] {
		t.Errorf("a slice's handle %d gives %v", hs, rt.ref(hs))
	}
	if rt.ref(1000) != nil {
		t.Error("a handle never given resolves")
	}
	rt.reset()
	if len(rt.vals) != 0 || len(rt.index) != 0 || rt.ref(ha) != nil {
		t.Error("reset kept references")
	}
	if rt.handle(b) != 1 {
		t.Error("handles do not restart after reset")
	}
}
