//go:build linux && (amd64 || arm64)

package gentest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// Backend is a code generator under test.
type Backend interface {
	// Check reports whether the back end lowers f.
	Check(f *ir.Func) error
	// Compile compiles funcs (nil: not compiled) for the host.
	Compile(funcs []*ir.Func) (*Compiled, error)
	String() string
}

// Compiled is a module's linked machine code.
type Compiled struct {
	Code    []byte
	Entries []int // by function index; -1 when not compiled
	Resume  int   // the resume stub
}

// ErrSkip marks a call that reaches a function with no IR.
var ErrSkip = errors.New("needs a function the IR does not have")

// fuelChunk is how much budget machine code gets at a time.
const fuelChunk = 3

// ErrFuel is the harness's budget running out.
var ErrFuel = errors.New("budget exhausted")

// Native runs a module's functions: those Compile took as machine code,
// the others (and anything they call) on their IR with ir.Run.
type Native struct {
	Funcs   []*ir.Func // by function index: the IR, nil when there is none
	mod     *Compiled
	code    *rt.Code
	stack   *rt.Stack
	Globals *rt.Words
	Mem     *Memory // nil without a memory
	Budget  int     // ir.Run's block budget for exits to the IR
	Used    uint64  // budget units the last native call spent
}

// Compile compiles every function of funcs that the back end's Check
// takes, with nglobals globals and memory mem (or nil), and reports how
// many it compiled.
func Compile(t testing.TB, b Backend, funcs []*ir.Func, nglobals int, mem *Memory) (*Native, int) {
	t.Helper()
	take := make([]*ir.Func, len(funcs))
	n := 0
	for i, f := range funcs {
		if f != nil && b.Check(f) == nil {
			take[i] = f
			n++
		}
	}
	mod, err := b.Compile(take)
	if err != nil {
		t.Fatal(err)
	}
	code, err := rt.Map(mod.Code)
	if err != nil {
		t.Fatal(err)
	}
	stack, err := rt.NewStack(4 << 20)
	if err != nil {
		t.Fatal(err)
	}
	globals, err := rt.NewWords(rt.GlobalWords * nglobals)
	if err != nil {
		t.Fatal(err)
	}
	e := &Native{Funcs: funcs, mod: mod, code: code, stack: stack, Globals: globals, Mem: mem}
	t.Cleanup(func() {
		errs := []error{code.Close(), stack.Close(), globals.Close()}
		if mem != nil {
			errs = append(errs, mem.Close())
		}
		for _, err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	})
	return e, n
}

// IsNative reports whether function fn was compiled.
func (e *Native) IsNative(fn uint32) bool {
	return int(fn) < len(e.mod.Entries) && e.mod.Entries[fn] >= 0
}

// Mask clears the unused upper half of i32 and f32 values.
func Mask(ts []ir.Type, vs []uint64) {
	i := 0
	for _, t := range ts {
		switch t {
		case ir.I32, ir.F32:
			vs[i] = uint64(uint32(vs[i]))
		case ir.V128:
			i++
		}
		i++
	}
}

// Run runs fn natively when it was compiled, on the IR otherwise.
func (e *Native) Run(fn uint32, args []uint64, budget uint64) ([]uint64, error) {
	if !e.IsNative(fn) {
		return e.Call(fn, args)
	}
	f := e.Funcs[fn]
	n := max(ir.SlotCount(f.Sig.Params), ir.SlotCount(f.Sig.Results))
	copy(e.stack.Slots(n), args)
	ctx := e.stack.Ctx()
	ctx.Globals = e.Globals.Addr()
	// The budget comes in small chunks, so that code exits and resumes
	// often (registers must survive every exit).
	left := budget
	refill := func() bool {
		if left == 0 {
			return false
		}
		ctx.Budget = min(left, fuelChunk)
		left -= ctx.Budget
		return true
	}
	refill()
	e.setMemory()
	code := e.stack.Call(e.code.Addr()+uintptr(e.mod.Entries[fn]), n)
	for {
		switch code {
		case rt.ExitReturn:
			e.Used = budget - left - ctx.Budget
			res := append([]uint64(nil), e.stack.Slots(n)[:ir.SlotCount(f.Sig.Results)]...)
			Mask(f.Sig.Results, res)
			return res, nil
		case rt.ExitTrap:
			return nil, &ir.TrapError{Message: rt.TrapCode(uint32(ctx.Payload)).String()}
		case rt.ExitBudget:
			if !refill() {
				return nil, ErrFuel
			}
		case rt.ExitCallIndirect:
			return nil, ErrSkip // the harness has no tables (jit/jitengine's tests run them)
		case rt.ExitStack:
			// The harness's stack is all there is: the check traps.
		case rt.ExitGrow:
			ctx.Payload = uint64(uint32(e.GrowMemory(uint32(ctx.Payload))))
		case rt.ExitCall:
			callee := uint32(ctx.Payload)
			if e.Funcs[callee] == nil {
				return nil, ErrSkip
			}
			sig := e.Funcs[callee].Sig
			slots := e.stack.CallArgs(max(ir.SlotCount(sig.Params), ir.SlotCount(sig.Results)))
			res, err := e.Call(callee, append([]uint64(nil), slots[:ir.SlotCount(sig.Params)]...))
			if err != nil {
				return nil, err
			}
			Mask(sig.Results, res)
			copy(slots, res)
			ctx.Payload = 0 // the call is made
			e.setMemory()   // the callee may have grown it
		case rt.ExitMemoryFill, rt.ExitMemoryCopy:
			if err := e.bulk(code); err != nil {
				return nil, err
			}
		case rt.ExitMemoryInit, rt.ExitDataDrop, rt.ExitTableGet, rt.ExitTableSet, rt.ExitTableSize,
			rt.ExitTableGrow, rt.ExitTableFill, rt.ExitTableCopy, rt.ExitTableInit, rt.ExitElemDrop, rt.ExitRefFunc:
			return nil, ErrSkip // no segments or tables here (jit/jitengine's tests run them)
		default:
			return nil, fmt.Errorf("unexpected exit %v", code)
		}
		code = e.stack.Resume(e.code.Addr() + uintptr(e.mod.Resume))
	}
}

// Call, GlobalGet and GlobalSet make Native an ir.Env for the functions
// run on their IR (which call the IR of every function, native or not).
func (e *Native) Call(fn uint32, args []uint64) ([]uint64, error) {
	if int(fn) >= len(e.Funcs) || e.Funcs[fn] == nil {
		return nil, ErrSkip
	}
	res, err := ir.Run(e.Funcs[fn], e, args, &e.Budget)
	if errors.Is(err, ir.ErrFuel) {
		return nil, ErrFuel
	}
	if errors.Is(err, ir.ErrNoTable) {
		return nil, ErrSkip
	}
	return res, err
}

func (e *Native) GlobalGet(i uint32) (uint64, error) {
	if rt.GlobalWords*int(i) >= len(e.Globals.W) {
		return 0, ErrSkip
	}
	return e.Globals.W[rt.GlobalWords*i], nil
}

func (e *Native) GlobalSet(i uint32, v uint64) error {
	if rt.GlobalWords*int(i) >= len(e.Globals.W) {
		return ErrSkip
	}
	e.Globals.W[rt.GlobalWords*i] = v
	return nil
}

// setMemory tells machine code where the memory is and how long.
func (e *Native) setMemory() {
	ctx := e.stack.Ctx()
	ctx.MemBase, ctx.MemLen = 0, 0
	if e.Mem != nil {
		ctx.MemBase, ctx.MemLen = e.Mem.Base(), uint64(len(e.Mem.Cur))
	}
}

func (e *Native) Memory() []byte {
	if e.Mem == nil {
		return nil
	}
	return e.Mem.Cur
}

func (e *Native) GrowMemory(delta uint32) int32 {
	if e.Mem == nil {
		return -1
	}
	old := e.Mem.Grow(delta)
	e.setMemory()
	return old
}

// bulk serves memory.fill and memory.copy as ir.Run does them.
func (e *Native) bulk(code rt.ExitCode) error {
	args := e.stack.CallArgs(3)
	f := ir.NewFunc("bulk", ir.Signature{Params: []ir.Type{ir.I32, ir.I32, ir.I32}})
	b := f.Entry()
	op := ir.OpMemoryFill
	if code == rt.ExitMemoryCopy {
		op = ir.OpMemoryCopy
	}
	b.Append(op, ir.None, 0, b.Params...)
	b.Return()
	budget := 1
	_, err := ir.Run(f, e, []uint64{args[0], args[1], args[2]}, &budget)
	return err
}
