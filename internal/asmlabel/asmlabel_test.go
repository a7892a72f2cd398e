package asmlabel

import (
	"strings"
	"testing"
)

func TestTable(t *testing.T) {
	var tab Table
	a, b := tab.New(), tab.New()
	if a != 1 || b != 2 || tab.Known(0) || tab.Known(3) || !tab.Known(b) {
		t.Fatalf("ids %d %d", a, b)
	}
	if _, ok := tab.Pos(a); ok {
		t.Error("a fresh label is bound")
	}
	if err := tab.Bind(a, 10); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{tab.Bind(a, 11), "bound twice"},
		{tab.Bind(3, 0), "unknown label 3"},
		{tab.Bind(0, 0), "unknown label 0"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("err %v, want %q", c.err, c.want)
		}
	}
	if _, err := tab.Offset(a, false); err == nil || !strings.Contains(err.Error(), "only after Finish") {
		t.Errorf("offset before finish: %v", err)
	}
	if _, err := tab.Offset(b, true); err == nil || !strings.Contains(err.Error(), "label 2 is not bound") {
		t.Errorf("offset of unbound: %v", err)
	}
	tab.Move(func(p int) int { return 2 * p })
	if p, err := tab.Offset(a, true); err != nil || p != 20 {
		t.Errorf("moved offset %d, %v", p, err)
	}
	if _, ok := tab.Pos(b); ok {
		t.Error("Move bound an unbound label")
	}
	tab.Reset()
	if tab.Known(a) || tab.New() != 1 {
		t.Error("Reset kept labels")
	}
}
