//go:build linux

package rt

import (
	"runtime"
	"sync"
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

	stop := make(chan struct{})
	var gc sync.WaitGroup
	gc.Add(1)
	go func() {
		defer gc.Done()
		for {
			select {
			case <-stop:
				return
			default:
				runtime.GC()
			}
		}
	}()
	var wg sync.WaitGroup
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func(g uint64) {
			defer wg.Done()
			s, err := NewStack(64 << 10)
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close()
			for i := uint64(0); i < 20_000; i++ {
				args := s.Slots(2)
				args[0], args[1] = i, g
				code := s.Call(fn, 2)
				if code != ExitCall || s.Ctx().Payload != 7 {
					t.Errorf("exit %v payload %d, want call 7", code, s.Ctx().Payload)
					return
				}
				ca := s.CallArgs(1)
				ca[0] *= 2
				if code := s.Resume(resume); code != ExitReturn {
					t.Errorf("after resume: exit %v", code)
					return
				}
				if got := s.Slots(1)[0]; got != 2*i+g {
					t.Errorf("got %d, want %d", got, 2*i+g)
					return
				}
			}
		}(uint64(g))
	}
	wg.Wait()
	close(stop)
	gc.Wait()
}
