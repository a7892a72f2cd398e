//go:build linux && (amd64 || arm64)

package rt

import (
	"testing"
	"unsafe"
)

func TestCtxOffsets(t *testing.T) {
	var c Ctx
	for _, f := range []struct {
		name      string
		got, want uintptr
	}{
		{"MemBase", unsafe.Offsetof(c.MemBase), CtxMemBase},
		{"MemLen", unsafe.Offsetof(c.MemLen), CtxMemLen},
		{"Globals", unsafe.Offsetof(c.Globals), CtxGlobals},
		{"Budget", unsafe.Offsetof(c.Budget), CtxBudget},
		{"Interrupt", unsafe.Offsetof(c.Interrupt), CtxInterrupt},
		{"Exit", unsafe.Offsetof(c.Exit), CtxExit},
		{"Payload", unsafe.Offsetof(c.Payload), CtxPayload},
		{"StackLimit", unsafe.Offsetof(c.StackLimit), CtxStackLimit},
		{"Tables", unsafe.Offsetof(c.Tables), CtxTables},
		{"Args", unsafe.Offsetof(c.Args), CtxArgs},
		{"entrySP", unsafe.Offsetof(c.entrySP), CtxEntrySP},
		{"resumeSP", unsafe.Offsetof(c.resumeSP), CtxResumeSP},
		{"Aux", unsafe.Offsetof(c.Aux), CtxAux},
	} {
		if f.got != f.want {
			t.Errorf("Ctx.%s at offset %d, constant says %d", f.name, f.got, f.want)
		}
	}
}

func TestStackErrors(t *testing.T) {
	s, err := NewStack(4096)
	if err != nil {
		t.Fatal(err)
	}
	if code := s.Call(0, 1<<20); code != ExitTrap || TrapCode(s.Ctx().Payload) != TrapCallStackExhausted {
		t.Errorf("a call with more slots than the stack: %v %v", code, TrapCode(s.Ctx().Payload))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err == nil {
		t.Error("second Close succeeded")
	}
	if ExitGrow.String() != "memory.grow" || TrapDivideByZero.String() != "integer divide by zero" {
		t.Error("names")
	}
}
