//go:build (amd64 || arm64) && unix

package jitengine

import (
	"sync/atomic"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Tiering up from the baseline (NewTieredBaseline, EngineJIT): a
// module compiles with the baseline compiler, whose code calls every
// function through the module's link table (codegen.Options.CtxLinks,
// at Ctx.Links), so a function compiled again by the optimising
// pipeline replaces its baseline code for every caller at once: machine
// code through the table (and call_indirect, whose call index shares the
// table's words), Go through Code.Promoted. Which functions are worth it
// is sampled, not counted: machine code exits every tierQuantum budget
// units (function entries and loop back-edges) anyway, and the executor
// charges the function that exited (the top frame) one sample;
// hotSamples samples make it hot, and the tierer compiles it on a
// background thread as under EngineAuto (tier.go). Baseline machine
// code spends nothing on it. Frames already running keep their code
// (no on-stack replacement); every later call runs the optimised code.
// Results, traps, fuel and backtraces are the same for both codes.

// hotSamples is how many samples make a baseline function hot.
const hotSamples = 2

// tierQuantum is the mean spacing of tiering's samples, in budget units
// (function entries and loop back-edges): between tierQuantum/2 and
// 3*tierQuantum/2 at random, a few microseconds to tens of them of
// machine code.
const tierQuantum = 1 << 14

// codeTier is the tiering state of baseline code (engine.Tiered).
type codeTier struct {
	promoted atomic.Pointer[Code]
	done     atomic.Bool // promoted, or left as it is
	queued   atomic.Bool // reported hot
	samples  atomic.Int32
	tag      atomic.Pointer[tierTag]
}

// current is the code to run for c: what replaced it, or c.
func (c *Code) current() *Code {
	if c.tier != nil {
		if p := c.tier.promoted.Load(); p != nil {
			return p
		}
	}
	return c
}

// Count records the tierer's tag (engine.Tiered); baseline code is
// sampled, so calls is not used.
func (c *Code) Count(calls int32, tag any) {
	if t, ok := tag.(*tierTag); ok && c.tier != nil {
		c.tier.tag.Store(t)
	}
}

// Tag returns Count's tag (engine.Tiered).
func (c *Code) Tag() any {
	if c.tier == nil {
		return nil
	}
	if t := c.tier.tag.Load(); t != nil {
		return t
	}
	return nil
}

// Promote makes later calls run code (engine.Tiered); nil leaves c as it is.
func (c *Code) Promote(code any) {
	if c.tier == nil {
		return
	}
	if cc, ok := code.(*Code); ok && cc != nil {
		c.tier.promoted.Store(cc)
	}
	c.tier.done.Store(true)
}

// Promoted returns the code Promote gave, or nil (engine.Tiered).
func (c *Code) Promoted() any {
	if c.tier == nil {
		return nil
	}
	if p := c.tier.promoted.Load(); p != nil {
		return p
	}
	return nil
}

// tierSample charges the function whose code exited to Go at a budget
// exit of st (its top frame) one sample, and reports it hot to the
// tierer at hotSamples; false means the sample was of no use (the
// function is optimised already, or is not the baseline's).
func (x *executor) tierSample(st *rt.Stack, inst *store.Instance) bool {
	ret, ok := st.Word(st.Ctx().ResumeSP() + rt.FrameRecordRet)
	if !ok {
		return false
	}
	s, ok := siteAt(uintptr(ret))
	if !ok || int(s.Func) >= len(inst.Funcs) {
		return false
	}
	f := inst.Funcs[s.Func]
	code, ok := f.Code.(*Code)
	if t, tiered := f.Code.(engine.Tiered); tiered && !ok {
		code, ok = t.Promoted().(*Code) // the interpreter's, promoted to the baseline's (EngineAuto)
	}
	if !ok || code.tier == nil || code.tier.done.Load() || code.tier.tag.Load() == nil {
		return false
	}
	if code.tier.samples.Add(1) == hotSamples && code.tier.queued.CompareAndSwap(false, true) {
		x.tierer.Hot(f)
	}
	return true
}

// tieredBaseline makes codes, loaded with links, call through it: every
// entry goes into it, and the baseline's codes become tiering's.
func tieredBaseline(codes []*Code, links *linkTable) {
	for i, c := range codes {
		if c == nil {
			continue
		}
		c.mod.ctxLinks = true
		links.set(i, c.entry)
		if c.baseline {
			c.tier = new(codeTier)
		}
	}
}

// NewTieredBaseline returns the JIT engine compiling with the baseline
// compiler, and the Tierer that compiles its hot functions again with
// the optimising pipeline (EngineJIT on a back end with a baseline).
func NewTieredBaseline(fallback engine.Engine) (engine.Engine, engine.Tierer, error) {
	eng, err := New(fallback)
	if err != nil {
		return nil, nil, err
	}
	e := eng.(*Engine)
	e.baseline, e.tierUp = true, hasBaseline
	return e, baselineTierer{&tierer{e: e}}, nil
}

// baselineTierer is the tierer of NewTieredBaseline: tier.go's, without
// CompileWhole (its engine compiles whole modules itself).
type baselineTierer struct{ t *tierer }

func (b baselineTierer) Track(m *wasm.Module, features wasm.Features, codes []any) {
	b.t.Track(m, features, codes)
}

func (b baselineTierer) Hot(f *store.Function) { b.t.Hot(f) }
