package arm64gen

import (
	"errors"
	"fmt"

	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/internal/par"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// Required is the least CPU the back end compiles for: ARMv8.0-A with
// Advanced SIMD (CNT and ADDV for popcnt), which every AArch64 Linux
// system has.
const Required = arm64.Baseline

// ErrUnsupported is wrapped by Check's errors: the function uses
// something the back end does not lower yet.
var ErrUnsupported = errors.New("arm64gen: not supported by the arm64 back end")

// Module is the machine code of a module's compiled functions, with the
// offsets Go needs to enter it.
type Module struct {
	Code    []byte
	Sites   []rt.Site // every return address in Code, by offset
	Entries []int     // by function index: entry offset, -1 when not compiled
	Sizes   []int     // by function index: code size in bytes (0 when not compiled)
	Resume  int       // offset of the resume stub (rt.Stack.Resume)
	Used    arm64.Features
}

// SiteAt returns the site whose return address is at offset ret of Code.
func (m *Module) SiteAt(ret int) (rt.Site, bool) { return rt.SiteAt(m.Sites, ret) }

// Options are the code generation choices of one compilation.
type Options struct {
	// CountDepth makes every function count its activation in
	// Ctx.DepthLeft (see jit/codegen's Options).
	CountDepth bool
}

// Check reports whether Compile can lower f: every operation it has is
// lowered, its SIMD ones in simdLowered's tables.
func Check(f *ir.Func) error {
	ok := func(t ir.Type) bool { return t <= ir.V128 }
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
			if (v.Op == ir.OpCall || v.Op == ir.OpCallIndirect) && (!allOK(v.Sig.Params, ok) || !allOK(v.Sig.Results, ok)) {
				return fmt.Errorf("%w: %v with a v128 in its signature", ErrUnsupported, v.Op)
			}
			if !lowered(v.Op) {
				return fmt.Errorf("%w: %v", ErrUnsupported, v.Op)
			}
			if err := checkSIMD(v); err != nil {
				return err
			}
		}
	}
	return nil
}

func allOK(ts []ir.Type, ok func(ir.Type) bool) bool {
	for _, t := range ts {
		if !ok(t) {
			return false
		}
	}
	return true
}

// module holds what the functions of one Compile share.
type module struct {
	target   arm64.Features
	compiled []bool  // by function index
	links    uintptr // CompileLinked's table, or 0
	opts     Options
}

// symExit is the extern symbol of the module's exit stub; the others are
// function indices.
const symExit = -1

// funcCode is one function's machine code before linking.
type funcCode struct {
	code  []byte
	refs  []arm64.ExternRef
	used  arm64.Features
	sites []rt.Site // relative to code
	err   error
}

// Compile lowers funcs (indexed by function index; nil for functions
// not compiled, which calls reach by exiting with rt.ExitCall) into one
// block of machine code for target. Every non-nil function must pass
// Check. Functions are compiled in parallel and linked in index order.
func Compile(funcs []*ir.Func, target arm64.Features) (*Module, error) {
	return CompileWith(funcs, target, 0, Options{})
}

// CompileLinked is Compile for code compiled in parts: a call to a
// function not in funcs first reads word fn of the table at links and
// calls that entry when it is not zero (see jit/codegen.CompileLinked).
func CompileLinked(funcs []*ir.Func, target arm64.Features, links uintptr) (*Module, error) {
	return CompileWith(funcs, target, links, Options{})
}

// CompileWith is Compile (links == 0) or CompileLinked with options.
func CompileWith(funcs []*ir.Func, target arm64.Features, links uintptr, opts Options) (*Module, error) {
	compiled := make([]bool, len(funcs))
	for i, f := range funcs {
		compiled[i] = f != nil
	}
	s, err := newStream(compiled, target, links, opts)
	if err != nil {
		return nil, err
	}
	par.For(len(funcs), func(i int) {
		if f := funcs[i]; f != nil {
			_ = s.Compile(i, f) // Link reports the error
		}
	})
	return s.Link()
}

// Stream compiles a module's functions one at a time, on any goroutines,
// in any order, then links them (see jit/codegen.Stream): calls between
// the functions marked compiled are direct, so Link fails when one of
// them was called that never got its code.
type Stream struct {
	m   *module
	out []funcCode
}

// NewStream starts compiling functions indexed like compiled (function
// indices), of which those marked will be compiled, for target.
func NewStream(compiled []bool, target arm64.Features, opts Options) (*Stream, error) {
	return newStream(compiled, target, 0, opts)
}

func newStream(compiled []bool, target arm64.Features, links uintptr, opts Options) (*Stream, error) {
	if !target.Has(Required) {
		return nil, fmt.Errorf("arm64gen: target %v lacks the required %v", target, Required)
	}
	m := &module{target: target, compiled: compiled, links: links, opts: opts}
	return &Stream{m: m, out: make([]funcCode, len(compiled))}, nil
}

// Compile lowers f, function idx, which must pass Check. Calls for
// different indices may run concurrently; f is not used afterwards.
func (s *Stream) Compile(idx int, f *ir.Func) error {
	s.out[idx] = s.m.function(uint32(idx), f)
	return s.out[idx].err
}

// Link lays the compiled functions out in index order.
func (s *Stream) Link() (*Module, error) {
	for i := range s.out {
		if s.out[i].err != nil {
			return nil, s.out[i].err
		}
	}
	return link(s.m.target, s.out)
}

// link lays out the stubs and then every function (16-byte aligned, in
// index order) and patches the calls between them.
func link(target arm64.Features, fcs []funcCode) (*Module, error) {
	a := arm64.NewAssembler(target)
	exit, resume := a.NewLabel(), a.NewLabel()
	// Exit stub: push the exiting code's record, remember where to
	// resume, return to the trampoline through its record at entrySP.
	a.Bind(exit)
	a.Pair(arm64.STP, arm64.W64, arm64.FP, arm64.LR, arm64.PreIndex(arm64.RSP, -16))
	a.Mov(arm64.W64, rTmp, arm64.RSP)
	a.LoadStore(arm64.STR, arm64.S64, rTmp, ctxMem(rt.CtxResumeSP))
	a.LoadStore(arm64.LDR, arm64.S64, rTmp, ctxMem(rt.CtxEntrySP))
	a.Mov(arm64.W64, arm64.RSP, rTmp)
	a.LoadStore(arm64.LDR, arm64.S64, arm64.LR, arm64.Ptr(arm64.RSP, 8))
	a.RET(arm64.LR)
	// Resume stub: back to the instruction after the exit's BL.
	a.Bind(resume)
	a.LoadStore(arm64.LDR, arm64.S64, rTmp, ctxMem(rt.CtxResumeSP))
	a.Mov(arm64.W64, arm64.RSP, rTmp)
	a.Pair(arm64.LDP, arm64.W64, arm64.FP, arm64.LR, arm64.PostIndex(arm64.RSP, 16))
	a.RET(arm64.LR)
	stubs, err := a.Finish()
	if err != nil {
		return nil, fmt.Errorf("arm64gen: %w", err)
	}
	out := &Module{Entries: make([]int, len(fcs)), Sizes: make([]int, len(fcs)), Used: a.Used()}
	exitAt, _ := a.Offset(exit)
	if out.Resume, err = a.Offset(resume); err != nil {
		return nil, err
	}
	size := len(stubs)
	for i, fc := range fcs {
		out.Entries[i] = -1
		if fc.code != nil {
			size = (size + 15) &^ 15
			out.Entries[i] = size
			out.Sizes[i] = len(fc.code)
			size += len(fc.code)
		}
	}
	code := make([]byte, size) // zero words between functions: UDF #0
	copy(code, stubs)
	for i, fc := range fcs {
		if fc.code == nil {
			continue
		}
		base := out.Entries[i]
		copy(code[base:], fc.code)
		for _, s := range fc.sites {
			s.Ret += base
			out.Sites = append(out.Sites, s)
		}
		out.Used |= fc.used
		for _, r := range fc.refs {
			target := exitAt
			if r.Sym != symExit {
				if r.Sym < 0 || r.Sym >= len(fcs) || out.Entries[r.Sym] < 0 {
					return nil, fmt.Errorf("arm64gen: function %d calls function %d, which is not compiled", i, r.Sym)
				}
				target = out.Entries[r.Sym]
			}
			if err := arm64.PatchCall(code, base+r.At, target); err != nil {
				return nil, fmt.Errorf("arm64gen: function %d: %w", i, err)
			}
		}
	}
	out.Code = code
	return out, nil
}

// allocConfig gives the allocator arm64's registers (see doc.go).
var allocConfig = regalloc.Config{
	GPRs: []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 19, 20, 21, 22, 23, 24, 27},
	Vecs: []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29},
	// Every integer constant is rematerialised: MOVZ/MOVN and MOVKs, or
	// an immediate operand.
	Remat:       func(v *ir.Value) bool { return v.Op == ir.OpConst && v.Type.IsInt() },
	ReusesFirst: reusesFirst,
}

// reusesFirst: operations lowered as one instruction reading all its
// operands before it writes its result may take the register of a first
// operand whose last use they are.
func reusesFirst(v *ir.Value) bool {
	_, alu := aluOps[v.Op]
	_, fl := floatOps[v.Op]
	return alu || fl || v.Op == ir.OpRotl
}
