package amd64

import "testing"

// TestCallExtern checks that an external call's reference follows the
// code when a branch before it is shortened.
func TestCallExtern(t *testing.T) {
	a := NewAssembler(Baseline)
	l := a.NewLabel()
	a.Jmp(l) // forward: 5 bytes, shortened to 2 by Finish
	a.Bind(l)
	a.CallExtern(7)
	a.Op0(RET, WNone)
	if got := a.Externs(); got != nil {
		t.Fatalf("Externs before Finish = %v, want nil", got)
	}
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	refs := a.Externs()
	if len(refs) != 1 || refs[0].Sym != 7 {
		t.Fatalf("Externs = %v, want one reference to 7", refs)
	}
	at := refs[0].At
	if at != 3 || code[at-1] != 0xE8 || len(code) != at+5 || code[at+4] != 0xC3 {
		t.Fatalf("code % x, reference at %d: want EB 00 E8 <rel32> C3 with the reference at 3", code, at)
	}
}

// TestReset checks that a reset assembler assembles as a new one does.
func TestReset(t *testing.T) {
	emit := func(a *Assembler) []byte {
		l := a.NewLabel()
		a.Bind(l)
		a.RI(ADD, W64, RAX, 1)
		a.Jcc(CondNE, l)
		a.CallExtern(3)
		code, err := a.Finish()
		if err != nil {
			t.Fatal(err)
		}
		return append([]byte(nil), code...)
	}
	a := NewAssembler(Baseline)
	first := emit(a)
	a.Reset()
	if again := emit(a); string(again) != string(first) || len(a.Externs()) != 1 {
		t.Fatalf("after Reset: % x, %v; first: % x", again, a.Externs(), first)
	}
}
