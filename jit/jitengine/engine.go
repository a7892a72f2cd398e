//go:build (amd64 || arm64) && unix

package jitengine

import (
	"errors"
	"runtime"
	"slices"
	"sync"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/internal/par"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/opt"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Engine is the JIT engine.
type Engine struct {
	fallback   engine.Engine
	target     target
	countDepth bool // see CountDepth
	baseline   bool // see Baseline
	tierUp     bool // baseline code calls through link tables and tiers up (NewTieredBaseline)
	perfMap    bool // see WritePerfMap
}

// New returns the JIT engine, leaving what it does not compile to
// fallback, or an error when the host CPU is below the back end's floor.
func New(fallback engine.Engine) (engine.Engine, error) {
	host, err := hostTarget()
	if err != nil {
		return nil, err
	}
	return &Engine{fallback: fallback, target: host}, nil
}

// Code is a function compiled to machine code.
type Code struct {
	mod      *module
	entry    uintptr
	nslots   int        // max(params, results)
	baseline bool       // compiled by the baseline compiler (Baseline)
	tier     *codeTier  // baseline code tiering may replace (tierup.go), or nil
	loops    *codeLoops // entries at loop heads (loops.go), or nil
}

// Baseline reports whether the baseline compiler compiled c (else the
// optimising pipeline did).
func (c *Code) Baseline() bool { return c.baseline }

// module is a module's machine code; it is unmapped when no Code refers
// to it any more.
type module struct {
	code   *rt.Code
	resume uintptr    // the resume stub
	links  *linkTable // the table the code reads, if any (kept alive)
	// ctxLinks: the code reads links at Ctx.Links (codegen.Options.CtxLinks),
	// not at an address in the code, so it can be cached.
	ctxLinks bool
	gen      *genModule // the back end's result but its Code: sites, features (serialize.go)
}

func (e *Engine) Name() string { return "jit" }

func (e *Engine) Owns(code any) bool { _, ok := code.(*Code); return ok }

func (e *Engine) CodeFormat() uint32 { return codeFormat }

var errNoCache = errors.New("jit: code compiled in parts (tiering) cannot be serialized")

func (e *Engine) NewCompiler(m *wasm.Module) engine.Compiler {
	return &compiler{e: e, m: m, fb: e.fallback.NewCompiler(m), fronts: make([]*tee, len(m.Funcs))}
}

func (e *Engine) NewExecutor(cfg engine.ExecConfig) engine.Executor {
	size := StackSize
	if b := cfg.Limits.MaxBytes; b > int64(size) {
		size = int(min(b, maxStackSize))
	}
	x := &executor{fb: e.fallback.NewExecutor(cfg), e: e, stackSize: size, maxDepth: cfg.Limits.MaxDepth, sampling: cfg.Sampling,
		tierer: cfg.Tierer, maxReentry: cfg.Limits.MaxReentry,
		mappings: new(mappings)}
	if x.maxReentry <= 0 {
		x.maxReentry = engine.DefaultMaxReentry
	}
	// Pools drop executors without telling them: unmap their stacks then.
	runtime.AddCleanup(x, (*mappings).release, x.mappings)
	return x
}

type compiler struct {
	e      *Engine
	m      *wasm.Module
	serial bool // compile on the calling goroutine only (CompileWhole)
	fb     engine.Compiler
	mu     sync.Mutex
	fronts []*tee
	codes  []any // Validate's result
}

// tee feeds the fallback's visitor (whose errors are validation's), if
// any, and the front end (whose failures only leave the function to the
// fallback).
type tee struct {
	fb     validator.FuncVisitor
	front  *front.Visitor
	failed bool
}

func (t *tee) Begin(f *validator.Func) error {
	if t.fb != nil {
		if err := t.fb.Begin(f); err != nil {
			return err
		}
	}
	t.failed = t.failed || t.front.Begin(f) != nil
	return nil
}

func (t *tee) Instr(in *wasm.Instr, s *validator.State) error {
	if t.fb != nil {
		if err := t.fb.Instr(in, s); err != nil {
			return err
		}
	}
	if !t.failed {
		t.failed = t.front.Instr(in, s) != nil
	}
	return nil
}

func (t *tee) End(f *validator.Func) error {
	if t.fb != nil {
		if err := t.fb.End(f); err != nil {
			return err
		}
	}
	if !t.failed {
		t.failed = t.front.End(f) != nil
	}
	return nil
}

func (c *compiler) Visitor(idx uint32) validator.FuncVisitor {
	t := &tee{fb: c.fb.Visitor(idx), front: front.New()}
	c.mu.Lock()
	c.fronts[idx-c.m.NumImportedFuncs] = t
	c.mu.Unlock()
	return t
}

// Codes compiles what it can; a failure of the back end leaves the
// functions concerned to the fallback.
func (c *compiler) Codes() []any {
	if c.codes != nil {
		return c.codes
	}
	codes := c.fb.Codes()
	if capturing(c.m) {
		return codes
	}
	nimp := int(c.m.NumImportedFuncs)
	funcs := make([]*ir.Func, nimp+len(c.fronts))
	memOK := memoryOK(c.m)
	shared := importedMutableGlobals(c.m)
	oc := opt.ConfigFor(c.m)
	// Functions are optimised in parallel (each pass touches only its
	// function), then compiled in parallel by codegen.
	par.For(len(c.fronts), func(i int) {
		t := c.fronts[i]
		if t == nil || t.failed || t.front.Func() == nil {
			return
		}
		f := t.front.Func()
		opt.RunWith(f, oc)
		if checkFunc(f) != nil || !supported(f, memOK, shared) {
			return
		}
		funcs[nimp+i] = f
	})
	if !slices.ContainsFunc(funcs, func(f *ir.Func) bool { return f != nil }) {
		return codes
	}
	native := c.e.compile(c.m, funcs, nil, false)
	if native == nil {
		return codes
	}
	out := append([]any(nil), codes...)
	for i := range c.fronts {
		if cc := native[nimp+i]; cc != nil {
			out[i] = cc
		}
	}
	return out
}

// compile compiles funcs (by function index; nil: not compiled) of m into
// one mapping and returns the Code of each function compiled, or nil
// when the back end fails. With links, calls to the others go through
// it (codegen.CompileLinked). A background compile (tiering) runs on the
// calling goroutine only.
func (e *Engine) compile(m *wasm.Module, funcs []*ir.Func, links *linkTable, background bool) []*Code {
	var linked uintptr
	if links != nil {
		linked = links.addr()
	}
	mem := new(codeMem)
	cm, err := compileCode(funcs, e.target, linked, e.countDepth, background, mem)
	if err != nil {
		mem.discard()
		return nil
	}
	nslots := make([]int, len(funcs))
	for i, f := range funcs {
		if f != nil {
			nslots[i] = frameSlots(f)
		}
	}
	return e.load(m, cm, mem, links, nslots, nil)
}

// frameSlots is the nslots of f's Code.
func frameSlots(f *ir.Func) int {
	return max(ir.SlotCount(f.Sig.Params), ir.SlotCount(f.Sig.Results))
}

// load maps cm's code (sealing mem's mapping when it was linked there)
// and returns the Code of each function it compiled (nslots: each one's
// Code.nslots, by function index; base: those the baseline compiled, or
// nil), or nil when it cannot be mapped.
func (e *Engine) load(m *wasm.Module, cm *genModule, mem *codeMem, links *linkTable, nslots []int, base []bool) []*Code {
	code, err := mem.mapped(cm)
	if err != nil {
		return nil
	}
	gen := *cm
	gen.Code = nil
	mod := e.newModule(code, &gen, links)
	e.writePerfMap(m, code.Addr(), cm)
	out := make([]*Code, len(cm.Entries))
	for i, at := range cm.Entries {
		if at >= 0 {
			out[i] = &Code{mod: mod, entry: code.Addr() + uintptr(at), nslots: nslots[i], baseline: base != nil && base[i]}
		}
	}
	addLoops(out, genLoops(cm), code.Addr())
	return out
}

// newModule registers mapped code (its sites, for backtraces) until
// nothing refers to it.
func (e *Engine) newModule(code *rt.Code, gen *genModule, links *linkTable) *module {
	// The resume stub's address is shared by the mapping's codes.
	mod := &module{code: code, resume: code.Addr() + uintptr(gen.Resume), links: links, gen: gen}
	registerCode(code.Addr(), code.Len(), gen.Sites)
	runtime.AddCleanup(mod, unload, code)
	return mod
}

// unload unregisters and unmaps a module's code once nothing calls it.
func unload(code *rt.Code) {
	unregisterCode(code.Addr())
	_ = code.Close()
}

// memoryOK reports whether memory 0 (if any) is one machine code can
// address: 32-bit and unshared (a shared memory's length may change
// under it). An imported memory qualifies by its import's type, which
// linking makes agree with the memory's own in both respects; another
// instance can grow it only while this code has called out, after which
// the executor reloads the memory's base and length (setMemory).
func memoryOK(m *wasm.Module) bool {
	mt := memory0(m)
	return mt == nil || !mt.Is64 && !mt.Shared
}

// memory0 is the type of m's memory 0 (an import's, when imported), or
// nil when m has none.
func memory0(m *wasm.Module) *wasm.MemoryType {
	for i := range m.Imports {
		if m.Imports[i].Kind == wasm.ExternMemory {
			return &m.Imports[i].Mem
		}
	}
	if len(m.Mems) > 0 {
		return &m.Mems[0]
	}
	return nil
}

// importedMutableGlobals are the indices of imported mutable globals:
// two imports may be the same global, which the copies machine code
// works on cannot follow, so functions using them are left to the
// fallback.
func importedMutableGlobals(m *wasm.Module) map[int64]bool {
	out := map[int64]bool{}
	i := int64(0)
	for _, im := range m.Imports {
		if im.Kind == wasm.ExternGlobal {
			if im.Global.Mutable {
				out[i] = true
			}
			i++
		}
	}
	return out
}

// supported reports whether f uses only what the executor provides:
// memory only when memOK, no global in shared.
func supported(f *ir.Func, memOK bool, shared map[int64]bool) bool {
	for _, b := range f.Blocks {
		for _, v := range b.Insts {
			switch v.Op {
			case ir.OpGlobalGet, ir.OpGlobalSet:
				if shared[v.Aux] {
					return false
				}
			case ir.OpLoad, ir.OpStore, ir.OpMemorySize, ir.OpMemoryGrow, ir.OpMemoryFill, ir.OpMemoryCopy, ir.OpSIMDLoad, ir.OpSIMDStore:
				if !memOK {
					return false
				}
			}
		}
	}
	return true
}
