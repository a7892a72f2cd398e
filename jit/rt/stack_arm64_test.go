//go:build linux

package rt

import (
	"testing"
	"unsafe"
)

const poison = 0x5ee5a1ed5ee5a1ed // what enter leaves in the registers machine code allocates

const (
	rCtx = Arm64RegCtx
	rMem = Arm64RegMemBase
)

// stubs emits the exit and resume stubs as a back end would: exit
// pushes the exiting function's {X29, X30} record, saves SP in
// Ctx.resumeSP and returns to the trampoline through the record enter
// left at Ctx.entrySP; resume reloads that SP, pops the record and
// returns to the instruction after the exit's BL.
func stubs(p *prog) {
	p.bind("exit")
	p.emit(stpPre(fp, lr, sp, -16),
		addImm(x16, sp, 0),
		str(x16, rCtx, CtxResumeSP),
		ldr(x16, rCtx, CtxEntrySP),
		addImm(sp, x16, 0),
		ldp(fp, lr, sp, 0),
		ret)
	p.bind("resume")
	p.emit(ldr(x16, rCtx, CtxResumeSP),
		addImm(sp, x16, 0),
		ldpPost(fp, lr, sp, 16),
		ret)
}

// exitWith stores code in Ctx.Exit and calls the exit stub.
func exitWith(p *prog, code ExitCode) {
	p.emit(movz(x16, uint32(code), 0), strw(x16, rCtx, CtxExit))
	p.bl("exit")
}

// Functions are entered with the trampoline's frame record at [SP] and
// argument slot i at [SP+16+8i]; the ones below push a 16-byte record
// {X29, X30} of their own, so the slots are at [SP+32+8i] in their body.
const slot0 = 32

// buildFuncs returns code for the stack tests, each function a label:
//
//	addAfterCall: exits with ExitCall (Payload 7, Args = slot 0), then
//	  returns slot0+slot1 in slot 0.
//	pins: the registers enter set: X25, X26, X29, the address of slot 0,
//	  the frame record at [SP] and X30, in slots 0 to 5.
//	poisoned: sets X5 and D9 to 123, exits with ExitInterrupt, and returns
//	  both in slots 0 and 1 after the resume.
//	count: counts to slot 0 charging one unit of Ctx.Budget per step and
//	  exiting with ExitBudget when it is 0; returns the count.
//	clobber: clobbers every register machine code may and returns.
//	recurse: recursion in frames of recFrame bytes to depth slot 0, with
//	  the prologue's stack-limit check (trap: depth reached in Aux); at the
//	  bottom exits with ExitCall (Payload = depth), then returns the sum of
//	  the depths of every frame.
func buildFuncs(t *testing.T) map[string]uintptr {
	p := newProg()
	stubs(p)
	enterFrame := func() { p.emit(stpPre(fp, lr, sp, -16), addImm(fp, sp, 0)) }
	leaveFrame := func() { p.emit(ldpPost(fp, lr, sp, 16), ret) }

	p.bind("addAfterCall")
	enterFrame()
	p.emit(movz(x16, 7, 0), str(x16, rCtx, CtxPayload), addImm(x16, sp, slot0), str(x16, rCtx, CtxArgs))
	exitWith(p, ExitCall)
	p.emit(ldr(0, sp, slot0), ldr(1, sp, slot0+8), addReg(0, 0, 1), str(0, sp, slot0))
	leaveFrame()

	p.bind("pins")
	p.emit(str(rMem, sp, 16), str(rCtx, sp, 24), str(fp, sp, 32), addImm(0, sp, 16), str(0, sp, 40),
		ldp(0, 1, sp, 0), str(0, sp, 48), str(1, sp, 56), str(lr, sp, 64), ret)

	p.bind("poisoned")
	enterFrame()
	p.emit(movz(5, 123, 0), fmovToD(9, 5))
	exitWith(p, ExitInterrupt)
	p.emit(str(5, sp, slot0), fmovFromD(5, 9), str(5, sp, slot0+8))
	leaveFrame()

	p.bind("count")
	p.emit(stpPre(fp, lr, sp, -32), addImm(fp, sp, 0), ldr(0, sp, 48), movz(1, 0, 0))
	p.bind("count.loop")
	p.emit(cmpReg(1, 0))
	p.bcond(condEQ, "count.done")
	p.emit(ldr(2, rCtx, CtxBudget), cmpReg(2, xzr))
	p.bcond(condNE, "count.pay")
	p.emit(str(0, sp, 16), str(1, sp, 24)) // live across the exit
	exitWith(p, ExitBudget)
	p.emit(ldr(0, sp, 16), ldr(1, sp, 24))
	p.b("count.loop")
	p.bind("count.pay")
	p.emit(subImm(2, 2, 1), str(2, rCtx, CtxBudget), addImm(1, 1, 1))
	p.b("count.loop")
	p.bind("count.done")
	p.emit(str(1, sp, 48), ldpPost(fp, lr, sp, 32), ret)

	p.bind("clobber") // returns with X29 clobbered too: enter restores it
	enterFrame()
	p.emit(setRegs(0x0badc0de0badc0de, rMem, rCtx, fp, lr)...)
	p.emit(ldpPost(x17, lr, sp, 16), movReg(fp, x16), ret)

	p.bind("recEntry")
	enterFrame()
	p.emit(movz(0, 0, 0), ldr(1, sp, slot0))
	p.bl("rec")
	p.emit(str(0, sp, slot0))
	leaveFrame()
	p.bind("rec") // X0 = depth so far, X1 = depth wanted
	p.emit(ldr(x16, rCtx, CtxStackLimit), subImm(x17, sp, recFrame), cmpReg(x17, x16))
	p.bcond(condLO, "rec.overflow")
	p.emit(stpPre(fp, lr, sp, -recFrame), addImm(fp, sp, 0), addImm(0, 0, 1), str(0, sp, 16), cmpReg(0, 1))
	p.bcond(condEQ, "rec.bottom")
	p.bl("rec")
	p.bind("rec.unwind") // X0 = the sum of the frames below
	p.emit(ldr(2, sp, 16), addReg(0, 0, 2), ldpPost(fp, lr, sp, recFrame), ret)
	p.bind("rec.bottom")
	p.emit(str(0, rCtx, CtxPayload))
	exitWith(p, ExitCall)
	p.emit(movz(0, 0, 0))
	p.b("rec.unwind")
	p.bind("rec.overflow")
	p.emit(str(0, rCtx, CtxAux), movz(x16, uint32(TrapCallStackExhausted), 0), str(x16, rCtx, CtxPayload))
	exitWith(p, ExitTrap)
	p.emit(0) // never resumed: an undefined instruction

	_, addrs := p.mapped(t)
	return addrs
}

// recFrame is the frame size of the recursion test function.
const recFrame = 256

func newStack(t *testing.T, size int) *Stack {
	t.Helper()
	s, err := NewStack(size)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// The registers and stack layout machine code is entered with.
func TestArm64Entry(t *testing.T) {
	fn := buildFuncs(t)
	s := newStack(t, 64<<10)
	s.Ctx().MemBase = 0x123456789a0
	if code := s.Call(fn["pins"], 7); code != ExitReturn {
		t.Fatalf("exit %v", code)
	}
	got := s.Slots(7)
	for i, w := range []struct {
		what string
		want uint64
	}{
		{"X25 (memory base)", 0x123456789a0},
		{"X26 (Ctx)", uint64(uintptr(unsafe.Pointer(s.Ctx())))},
		{"X29", 0},
		{"SP+16 (slot 0)", uint64(uintptr(unsafe.Pointer(&s.Slots(7)[0])))},
		{"[SP] (record's X29)", 0},
		{"[SP+8] (record's X30)", got[6]},
	} {
		if got[i] != w.want {
			t.Errorf("%s = %#x, want %#x", w.what, got[i], w.want)
		}
	}
	if got[6] == 0 || got[6] == poison {
		t.Errorf("X30 = %#x", got[6])
	}
	if e := uint64(s.Ctx().entrySP); e != got[3]-16 {
		t.Errorf("Ctx.entrySP = %#x, SP at entry %#x", e, got[3]-16)
	}
}

// An ExitCall and its resume, in a loop on several goroutines while the
// collector runs.
func TestArm64StackCallExitResume(t *testing.T) {
	fn := buildFuncs(t)
	checkCallExitResume(t, fn["addAfterCall"], fn["resume"], 5_000)
}

// Machine code may clobber every register but X26 (and never writes X18
// or X28); Go runs on.
func TestArm64ClobberUnderGC(t *testing.T) {
	fn := buildFuncs(t)
	onStacks(t, 3, func(_ uint64, s *Stack) {
		var keep [][]uint64
		for i := 0; i < 5_000; i++ {
			if code := s.Call(fn["clobber"], 0); code != ExitReturn {
				t.Errorf("exit %v", code)
				return
			}
			keep = append(keep, make([]uint64, i%64))
			if len(keep) > 32 {
				keep = keep[:0]
			}
		}
	})
}

// enter poisons what machine code has not saved across an exit.
func TestArm64Poisoned(t *testing.T) {
	fn := buildFuncs(t)
	s := newStack(t, 64<<10)
	if code := s.Call(fn["poisoned"], 2); code != ExitInterrupt {
		t.Fatalf("exit %v, want interrupt", code)
	}
	if code := s.Resume(fn["resume"]); code != ExitReturn {
		t.Fatalf("exit %v after resume", code)
	}
	if got := s.Slots(2); got[0] != poison || got[1] != poison {
		t.Errorf("X5 %#x, D9 %#x after an exit, want the poison %#x", got[0], got[1], uint64(poison))
	}
}

// A loop that exits for fuel again and again, its state on the stack.
func TestArm64BudgetExits(t *testing.T) {
	fn := buildFuncs(t)
	s := newStack(t, 64<<10)
	const n, refill = 10_000, 999
	s.Slots(1)[0] = n
	code, exits := s.Call(fn["count"], 1), 0
	for ; code == ExitBudget; code = s.Resume(fn["resume"]) {
		exits++
		s.Ctx().Budget = refill
	}
	if code != ExitReturn {
		t.Fatalf("exit %v", code)
	}
	if got := s.Slots(1)[0]; got != n {
		t.Errorf("counted %d, want %d", got, n)
	}
	if want := (n + refill - 1) / refill; exits != want || s.Ctx().Budget != uint64(exits*refill-n) {
		t.Errorf("%d exits, %d budget left, want %d and %d", exits, s.Ctx().Budget, want, want*refill-n)
	}
}

// maxDepth is how many recFrame frames fit on s by the prologue's check.
func maxDepth(s *Stack) uint64 {
	sp := s.top - 16 - 16 - 16 // slots (one, rounded to two), the trampoline's and recEntry's records
	d := uint64(0)
	for sp-recFrame >= s.ctx.StackLimit {
		sp -= recFrame
		d++
	}
	return d
}

// recurse runs the recursion test to depth want on s.
func recurse(t *testing.T, fn map[string]uintptr, s *Stack, want uint64) {
	t.Helper()
	s.Slots(1)[0] = want
	code := s.Call(fn["recEntry"], 1)
	if code != ExitCall || s.Ctx().Payload != want {
		t.Fatalf("exit %v payload %d, want call at depth %d", code, s.Ctx().Payload, want)
	}
	if code := s.Resume(fn["resume"]); code != ExitReturn {
		t.Fatalf("exit %v after resume", code)
	}
	if got := s.Slots(1)[0]; got != want*(want+1)/2 {
		t.Errorf("sum %d, want %d", got, want*(want+1)/2)
	}
}

// The prologue's check stops a runaway recursion exactly where the stack
// (down to StackLimit) is full, without touching the guard page; the
// stack can be used to the last frame that fits, with an exit and a
// resume at the bottom.
func TestArm64StackLimit(t *testing.T) {
	fn := buildFuncs(t)
	for _, size := range []int{64 << 10, 1 << 20} {
		s := newStack(t, size)
		s.Slots(1)[0] = 1 << 40
		code := s.Call(fn["recEntry"], 1)
		if code != ExitTrap || TrapCode(s.Ctx().Payload) != TrapCallStackExhausted {
			t.Fatalf("%d-byte stack: exit %v payload %d, want trap %v", size, code, s.Ctx().Payload, TrapCallStackExhausted)
		}
		d := maxDepth(s)
		if s.Ctx().Aux != d {
			t.Errorf("%d-byte stack: trapped at depth %d, want %d", size, s.Ctx().Aux, d)
		}
		recurse(t, fn, s, d)
		recurse(t, fn, s, 3)
	}
}

// A big machine stack, reserved and committed as used, filled to its
// limit.
func TestArm64BigStack(t *testing.T) {
	fn := buildFuncs(t)
	s := newStack(t, 64<<20)
	d := maxDepth(s)
	if d < (64<<20)/recFrame-4 {
		t.Fatalf("a 64 MiB stack holds %d frames of %d bytes", d, recFrame)
	}
	recurse(t, fn, s, d)
}
