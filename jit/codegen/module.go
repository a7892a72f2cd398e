package codegen

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/internal/par"
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
	Sites   []Site // every return address in Code, by offset (sites.go)
	Entries []int  // by function index: entry offset, -1 when not compiled
	Sizes   []int  // by function index: code size in bytes (0 when not compiled)
	Resume  int    // offset of the resume stub (rt.Stack.Resume)
	Used    amd64.Features
	// Loops are the baseline's loop entries (rt.LoopEntry), by function
	// index; At is relative to Code.
	Loops []rt.LoopEntry
}

// Check reports whether Compile can lower f.
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

// module holds what the functions of one Compile share.
type module struct {
	target   amd64.Features
	compiled []bool    // by function index
	asms     sync.Pool // of *amd64.Assembler for target, reused across functions
	links    uintptr   // CompileLinked's table, or 0
	baseOut  int32     // Baseline's outgoing slot bytes (EnableBaseline), 0: not enabled
	opts     Options
}

// symExit is the extern symbol of the module's exit stub; the others are
// function indices.
const symExit = -1

// callExit calls the module's exit stub.
func (g *gen) callExit() {
	g.a.CallExtern(symExit)
	g.markSite(SiteCall)
}

// funcCode is one function's machine code before linking.
type funcCode struct {
	code  []byte
	refs  []amd64.ExternRef
	used  amd64.Features
	sites []Site         // relative to code
	loops []rt.LoopEntry // relative to code
	err   error
}

// Compile lowers funcs (indexed by function index; nil for functions
// not compiled, which calls reach by exiting with rt.ExitCall) into one
// block of machine code for target. Every non-nil function must pass
// Check. Functions are compiled in parallel, each by its own assembler,
// then linked in index order (the result does not depend on the
// scheduling).
func Compile(funcs []*ir.Func, target amd64.Features) (*Module, error) {
	return compile(funcs, target, 0, Options{})
}

func compile(funcs []*ir.Func, target amd64.Features, links uintptr, opts Options) (*Module, error) {
	compiled := make([]bool, len(funcs))
	for i, f := range funcs {
		compiled[i] = f != nil
	}
	s, err := newStream(compiled, target, links, opts)
	if err != nil {
		return nil, err
	}
	each := par.For
	if opts.Serial {
		each = serial
	}
	each(len(funcs), func(i int) {
		if f := funcs[i]; f != nil {
			_ = s.Compile(i, f) // Link reports the error
		}
	})
	return s.Link()
}

// serial calls f(i) for every i in [0, n), in order (Options.Serial).
func serial(n int, f func(i int)) {
	for i := 0; i < n; i++ {
		f(i)
	}
}

// link lays out the stubs and then every function (16-byte aligned, in
// index order) and patches the calls between them.
func link(target amd64.Features, fcs []funcCode, opts Options) (*Module, error) {
	mem := opts.Mem
	a := amd64.NewAssembler(target)
	exit, resume := a.NewLabel(), a.NewLabel()
	ctx := func(off int32) amd64.Mem { return amd64.Ptr(amd64.R15, off) }
	// Exit stub: remember where to resume, return to the trampoline.
	a.Bind(exit)
	a.MR(amd64.MOV, amd64.W64, ctx(rt.CtxResumeSP), amd64.RSP)
	a.RM(amd64.MOV, amd64.W64, amd64.RSP, ctx(rt.CtxEntrySP))
	a.Op0(amd64.RET, amd64.WNone)
	// Resume stub: back to the instruction after the exit's call.
	a.Bind(resume)
	a.RM(amd64.MOV, amd64.W64, amd64.RSP, ctx(rt.CtxResumeSP))
	a.Op0(amd64.RET, amd64.WNone)
	stubs, err := a.Finish()
	if err != nil {
		return nil, fmt.Errorf("codegen: %w", err)
	}
	out := &Module{Entries: make([]int, len(fcs)), Sizes: make([]int, len(fcs)), Used: a.Used()}
	exitAt, _ := a.Offset(exit)
	if out.Resume, err = a.Offset(resume); err != nil {
		return nil, err
	}
	size, nsites := len(stubs), 0
	for i, fc := range fcs {
		out.Entries[i] = -1
		if fc.code != nil {
			size = align16(size)
			out.Entries[i] = size
			out.Sizes[i] = len(fc.code)
			size += len(fc.code)
			nsites += len(fc.sites)
		}
	}
	var code []byte
	if mem == nil {
		code = make([]byte, size)
	} else if code, err = mem(size); err != nil {
		return nil, fmt.Errorf("codegen: %w", err)
	}
	out.Sites = make([]Site, 0, nsites)
	for i, fc := range fcs {
		if fc.code == nil {
			continue
		}
		for _, s := range fc.sites {
			s.Ret += out.Entries[i]
			out.Sites = append(out.Sites, s)
		}
		for _, l := range fc.loops {
			l.At += out.Entries[i]
			out.Loops = append(out.Loops, l)
		}
		out.Used |= fc.used
		for _, r := range fc.refs {
			if r.Sym != symExit && (r.Sym < 0 || r.Sym >= len(fcs) || out.Entries[r.Sym] < 0) {
				return nil, fmt.Errorf("codegen: function %d calls function %d, which is not compiled", i, r.Sym)
			}
		}
	}
	end := copy(code, stubs)
	// The copies (megabytes for a large module) run on every core, each
	// on a run of functions and the gap before each (but for a
	// background compile, Options.Serial).
	chunks := par.Chunks
	if opts.Serial {
		chunks = func(n int, f func(lo, hi int)) { f(0, n) }
	}
	chunks(len(fcs), func(lo, hi int) {
		prev := end
		for i := lo - 1; i >= 0 && lo > 0; i-- {
			if fcs[i].code != nil {
				prev = out.Entries[i] + len(fcs[i].code)
				break
			}
		}
		for i := lo; i < hi; i++ {
			fc := fcs[i]
			if fc.code == nil {
				continue
			}
			base := out.Entries[i]
			fillINT3(code[prev:base]) // between functions
			prev = base + copy(code[base:], fc.code)
			for _, r := range fc.refs {
				target := exitAt
				if r.Sym != symExit {
					target = out.Entries[r.Sym]
				}
				binary.LittleEndian.PutUint32(code[base+r.At:], uint32(int32(target-(base+r.At+4))))
			}
		}
	})
	out.Code = code
	return out, nil
}

// fillINT3 fills the gaps between functions with INT3.
func fillINT3(gap []byte) {
	for i := range gap {
		gap[i] = 0xCC
	}
}

func align16(n int) int { return (n + 15) &^ 15 }
