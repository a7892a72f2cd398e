package codegen

import (
	"errors"
	"fmt"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// Required is the least CPU the back end compiles for: x86-64-v2, whose
// SSE4.1 (ROUNDSS/ROUNDSD for ceil, floor, trunc, nearest) and POPCNT the
// lowering uses without a fallback. LZCNT and TZCNT (BMI1) are used when
// the target has them, BSR/BSF otherwise.
const Required = amd64.Baseline

// ErrUnsupported is wrapped by Check's errors: the function uses
// something the back end does not lower yet.
var ErrUnsupported = errors.New("codegen: not supported by the amd64 back end")

// Module is the machine code of a module's compiled functions, with the
// offsets Go needs to enter it.
type Module struct {
	Code    []byte
	Entries []int // by function index: entry offset, -1 when not compiled
	Resume  int   // offset of the resume stub (rt.Stack.Resume)
	Used    amd64.Features
}

// Check reports whether Compile can lower f.
func Check(f *ir.Func) error {
	ok := func(t ir.Type) bool { return t <= ir.F64 }
	for _, t := range f.Sig.Params {
		if !ok(t) {
			return fmt.Errorf("%w: parameter of type %v", ErrUnsupported, t)
		}
	}
	for _, t := range f.Sig.Results {
		if !ok(t) {
			return fmt.Errorf("%w: result of type %v", ErrUnsupported, t)
		}
	}
	for _, b := range f.Blocks {
		for _, v := range b.Params {
			if !ok(v.Type) {
				return fmt.Errorf("%w: block parameter of type %v", ErrUnsupported, v.Type)
			}
		}
		for _, v := range b.Insts {
			if !ok(v.Type) {
				return fmt.Errorf("%w: %v of type %v", ErrUnsupported, v.Op, v.Type)
			}
			for _, a := range v.Args {
				if !ok(a.Type) {
					return fmt.Errorf("%w: %v of a %v", ErrUnsupported, v.Op, a.Type)
				}
			}
			if !lowered(v.Op) {
				return fmt.Errorf("%w: %v", ErrUnsupported, v.Op)
			}
		}
	}
	return nil
}

// module holds what the functions of one Compile share.
type module struct {
	a      *amd64.Assembler
	entry  []amd64.Label // by function index; zero when not compiled
	exit   amd64.Label
	resume amd64.Label
}

// Compile lowers funcs (indexed by function index; nil for functions
// not compiled, which calls reach by exiting with rt.ExitCall) into one
// block of machine code for target. Every non-nil function must pass
// Check.
func Compile(funcs []*ir.Func, target amd64.Features) (*Module, error) {
	if !target.Has(Required) {
		return nil, fmt.Errorf("codegen: target %v lacks the required %v", target, Required)
	}
	m := &module{a: amd64.NewAssembler(target), entry: make([]amd64.Label, len(funcs))}
	a := m.a
	m.exit, m.resume = a.NewLabel(), a.NewLabel()
	for i, f := range funcs {
		if f != nil {
			if err := Check(f); err != nil {
				return nil, fmt.Errorf("function %d: %w", i, err)
			}
			m.entry[i] = a.NewLabel()
		}
	}
	ctx := func(off int32) amd64.Mem { return amd64.Ptr(amd64.R15, off) }
	// Exit stub: remember where to resume, return to the trampoline.
	a.Bind(m.exit)
	a.MR(amd64.MOV, amd64.W64, ctx(rt.CtxResumeSP), amd64.RSP)
	a.RM(amd64.MOV, amd64.W64, amd64.RSP, ctx(rt.CtxEntrySP))
	a.Op0(amd64.RET, amd64.WNone)
	// Resume stub: back to the instruction after the exit's call.
	a.Bind(m.resume)
	a.RM(amd64.MOV, amd64.W64, amd64.RSP, ctx(rt.CtxResumeSP))
	a.Op0(amd64.RET, amd64.WNone)
	for i, f := range funcs {
		if f == nil {
			continue
		}
		if err := m.function(uint32(i), f); err != nil {
			return nil, fmt.Errorf("function %d (%s): %w", i, f.Name, err)
		}
	}
	code, err := a.Finish()
	if err != nil {
		return nil, fmt.Errorf("codegen: %w", err)
	}
	out := &Module{Code: code, Entries: make([]int, len(funcs)), Used: a.Used()}
	if out.Resume, err = a.Offset(m.resume); err != nil {
		return nil, err
	}
	for i, f := range funcs {
		out.Entries[i] = -1
		if f != nil {
			if out.Entries[i], err = a.Offset(m.entry[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
