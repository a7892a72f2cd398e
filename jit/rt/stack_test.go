//go:build linux && (amd64 || arm64)

package rt

import (
	"runtime"
	"sync"
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
		{"DepthLeft", unsafe.Offsetof(c.DepthLeft), CtxDepthLeft},
		{"Links", unsafe.Offsetof(c.Links), CtxLinks},
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

// withGC runs f on goroutines goroutines while another collects garbage
// in a loop: nothing machine code does may disturb the runtime.
func withGC(goroutines int, f func(g uint64)) {
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
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g uint64) {
			defer wg.Done()
			f(g)
		}(uint64(g))
	}
	wg.Wait()
	close(stop)
	gc.Wait()
}

// onStacks is withGC with a 64 KiB machine stack for each goroutine.
func onStacks(t *testing.T, goroutines int, f func(g uint64, s *Stack)) {
	withGC(goroutines, func(g uint64) {
		s, err := NewStack(64 << 10)
		if err != nil {
			t.Error(err)
			return
		}
		defer s.Close()
		f(g, s)
	})
}

// checkCallExitResume runs fn, which exits with ExitCall (Payload 7, Args
// at its first slot) and after the resume returns the sum of its two
// arguments, n times on each of three goroutines under GC; Go's
// "callee" doubles the first argument.
func checkCallExitResume(t *testing.T, fn, resume uintptr, n uint64) {
	onStacks(t, 3, func(g uint64, s *Stack) {
		for i := uint64(0); i < n; i++ {
			args := s.Slots(2)
			args[0], args[1] = i, g
			code := s.Call(fn, 2)
			if code != ExitCall || s.Ctx().Payload != 7 {
				t.Errorf("exit %v payload %d, want call 7", code, s.Ctx().Payload)
				return
			}
			s.CallArgs(1)[0] *= 2
			if code := s.Resume(resume); code != ExitReturn {
				t.Errorf("after resume: exit %v", code)
				return
			}
			if got := s.Slots(1)[0]; got != 2*i+g {
				t.Errorf("got %d, want %d", got, 2*i+g)
				return
			}
		}
	})
}
