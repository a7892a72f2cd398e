//go:build linux && amd64

package codegen

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// errSkip marks a call that reaches a function with no IR.
var errSkip = errors.New("needs a function the IR does not have")

// fuelChunk is how much budget machine code gets at a time.
const fuelChunk = 3

// errFuel is the harness's budget running out.
var errFuel = errors.New("budget exhausted")

// native runs a module's functions: those Compile took as machine code,
// the others (and anything they call) on their IR with ir.Run.
type native struct {
	funcs   []*ir.Func // by function index: the IR, nil when there is none
	mod     *Module
	code    *rt.Code
	stack   *rt.Stack
	globals *rt.Words
	mem     *memory // nil without a memory
	budget  int     // ir.Run's block budget for exits to the IR
	used    uint64  // budget units the last native call spent
}

// compileNative compiles every function of funcs that passes Check.
func compileNative(t testing.TB, funcs []*ir.Func, nglobals int, mem *memory, target amd64.Features) (*native, int) {
	t.Helper()
	take := make([]*ir.Func, len(funcs))
	n := 0
	for i, f := range funcs {
		if f != nil && Check(f) == nil {
			take[i] = f
			n++
		}
	}
	mod, err := Compile(take, target)
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
	e := &native{funcs: funcs, mod: mod, code: code, stack: stack, globals: globals, mem: mem}
	t.Cleanup(func() {
		errs := []error{code.Close(), stack.Close(), globals.Close()}
		if mem != nil {
			errs = append(errs, mem.close())
		}
		for _, err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	})
	return e, n
}

func (e *native) isNative(fn uint32) bool {
	return int(fn) < len(e.mod.Entries) && e.mod.Entries[fn] >= 0
}

// mask clears the upper half of 32-bit values, as the IR and Go expect
// (vs are slots: a v128 takes two).
func mask(ts []ir.Type, vs []uint64) {
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

// call runs fn natively when it was compiled, on the IR otherwise.
func (e *native) call(fn uint32, args []uint64, budget uint64) ([]uint64, error) {
	if !e.isNative(fn) {
		return e.Call(fn, args)
	}
	f := e.funcs[fn]
	n := max(ir.SlotCount(f.Sig.Params), ir.SlotCount(f.Sig.Results))
	copy(e.stack.Slots(n), args)
	ctx := e.stack.Ctx()
	ctx.Globals = e.globals.Addr()
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
			e.used = budget - left - ctx.Budget
			res := append([]uint64(nil), e.stack.Slots(n)[:ir.SlotCount(f.Sig.Results)]...)
			mask(f.Sig.Results, res)
			return res, nil
		case rt.ExitTrap:
			return nil, &ir.TrapError{Message: rt.TrapCode(uint32(ctx.Payload)).String()}
		case rt.ExitBudget:
			if !refill() {
				return nil, errFuel
			}
		case rt.ExitCallIndirect:
			return nil, errSkip // the harness has no tables (jit/jitengine's tests run them)
		case rt.ExitGrow:
			ctx.Payload = uint64(uint32(e.GrowMemory(uint32(ctx.Payload))))
		case rt.ExitCall:
			callee := uint32(ctx.Payload)
			if e.funcs[callee] == nil {
				return nil, errSkip
			}
			sig := e.funcs[callee].Sig
			slots := e.stack.CallArgs(max(ir.SlotCount(sig.Params), ir.SlotCount(sig.Results)))
			res, err := e.Call(callee, append([]uint64(nil), slots[:ir.SlotCount(sig.Params)]...))
			if err != nil {
				return nil, err
			}
			mask(sig.Results, res)
			copy(slots, res)
			ctx.Payload = 0 // the call is made
			e.setMemory()   // the callee may have grown it
		case rt.ExitMemoryFill, rt.ExitMemoryCopy:
			if err := e.bulk(code); err != nil {
				return nil, err
			}
		case rt.ExitMemoryInit, rt.ExitDataDrop, rt.ExitTableGet, rt.ExitTableSet, rt.ExitTableSize,
			rt.ExitTableGrow, rt.ExitTableFill, rt.ExitTableCopy, rt.ExitTableInit, rt.ExitElemDrop, rt.ExitRefFunc:
			return nil, errSkip // no segments or tables here (jit/jitengine's tests run them)
		default:
			return nil, fmt.Errorf("unexpected exit %v", code)
		}
		code = e.stack.Resume(e.code.Addr() + uintptr(e.mod.Resume))
	}
}

// Call, GlobalGet and GlobalSet make native an ir.Env for the functions
// run on their IR (which call the IR of every function, native or not).
func (e *native) Call(fn uint32, args []uint64) ([]uint64, error) {
	if int(fn) >= len(e.funcs) || e.funcs[fn] == nil {
		return nil, errSkip
	}
	res, err := ir.Run(e.funcs[fn], e, args, &e.budget)
	if errors.Is(err, ir.ErrFuel) {
		return nil, errFuel
	}
	if errors.Is(err, ir.ErrNoTable) {
		return nil, errSkip
	}
	return res, err
}

func (e *native) GlobalGet(i uint32) (uint64, error) {
	if rt.GlobalWords*int(i) >= len(e.globals.W) {
		return 0, errSkip
	}
	return e.globals.W[rt.GlobalWords*i], nil
}

func (e *native) GlobalSet(i uint32, v uint64) error {
	if rt.GlobalWords*int(i) >= len(e.globals.W) {
		return errSkip
	}
	e.globals.W[rt.GlobalWords*i] = v
	return nil
}

// setMemory tells machine code where the memory is and how long.
func (e *native) setMemory() {
	ctx := e.stack.Ctx()
	ctx.MemBase, ctx.MemLen = 0, 0
	if e.mem != nil {
		ctx.MemBase, ctx.MemLen = e.mem.base(), uint64(len(e.mem.cur))
	}
}

func (e *native) Memory() []byte {
	if e.mem == nil {
		return nil
	}
	return e.mem.cur
}

func (e *native) GrowMemory(delta uint32) int32 {
	if e.mem == nil {
		return -1
	}
	old := e.mem.grow(delta)
	e.setMemory()
	return old
}

// bulk serves memory.fill and memory.copy as ir.Run does them.
func (e *native) bulk(code rt.ExitCode) error {
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
