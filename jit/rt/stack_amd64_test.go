//go:build linux

package rt

import (
	"testing"

	"github.com/kilnrt/kiln/amd64"
)

// stubs are an exit stub and a resume stub as the back end emits them,
// and a function that adds its two arguments after an ExitCall exit whose
// "callee" (Go) doubles the first.
func stubs(a *amd64.Assembler) (exit, resume, fn amd64.Label) {
	exit, resume, fn = a.NewLabel(), a.NewLabel(), a.NewLabel()
	ctx := func(off int32) amd64.Mem { return amd64.Ptr(amd64.R15, off) }
	a.Bind(exit)
	a.MR(amd64.MOV, amd64.W64, ctx(CtxResumeSP), amd64.RSP)
	a.RM(amd64.MOV, amd64.W64, amd64.RSP, ctx(CtxEntrySP))
	a.Op0(amd64.RET, amd64.WNone)
	a.Bind(resume)
	a.RM(amd64.MOV, amd64.W64, amd64.RSP, ctx(CtxResumeSP))
	a.Op0(amd64.RET, amd64.WNone)
	a.Bind(fn)
	// exit: Args = &first argument slot, Payload = 7.
	a.MI(amd64.MOV, amd64.W32, ctx(CtxExit), int64(ExitCall))
	a.MI(amd64.MOV, amd64.W64, ctx(CtxPayload), 7)
	a.RM(amd64.LEA, amd64.W64, amd64.RAX, amd64.Ptr(amd64.RSP, 8))
	a.MR(amd64.MOV, amd64.W64, ctx(CtxArgs), amd64.RAX)
	a.Call(exit)
	a.RM(amd64.MOV, amd64.W64, amd64.RAX, amd64.Ptr(amd64.RSP, 8))
	a.RM(amd64.ADD, amd64.W64, amd64.RAX, amd64.Ptr(amd64.RSP, 16))
	a.MR(amd64.MOV, amd64.W64, amd64.Ptr(amd64.RSP, 8), amd64.RAX)
	a.Op0(amd64.RET, amd64.WNone)
	return
}

func TestStackCallExitResume(t *testing.T) {
	a := amd64.NewAssembler(amd64.Detect())
	_, resumeL, fnL := stubs(a)
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Map(code)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	off := func(l amd64.Label) uintptr {
		o, err := a.Offset(l)
		if err != nil {
			t.Fatal(err)
		}
		return c.Addr() + uintptr(o)
	}
	resume, fn := off(resumeL), off(fnL)

	checkCallExitResume(t, fn, resume, 20_000)
}
