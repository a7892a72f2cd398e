//go:build (amd64 || arm64) && unix

package jitengine

import (
	"unsafe"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
)

// Profiler samples (engine.Sampling): a run registers its Ctx.Interrupt
// word, in which Sampling.Request sets InterruptSample; machine code
// polls that word at every function entry and loop back-edge anyway, so
// it exits with rt.ExitInterrupt and Go walks the machine stack (the
// same walk as a trap's backtrace) for the sample. Nothing is added to
// machine code.

// interruptWord is c.Interrupt as the word a Sampling sets bits in
// (an engine.Interrupt is one atomic uint32, as Ctx.Interrupt is).
func interruptWord(c *rt.Ctx) *engine.Interrupt {
	return (*engine.Interrupt)(unsafe.Pointer(&c.Interrupt))
}

// serveInterrupt clears c's interruption word and takes the sample it
// asked for, if any.
func (x *executor) serveInterrupt(c *rt.Ctx, st *rt.Stack, inst *store.Instance) {
	w := interruptWord(c)
	if w.Take(w.Load())&engine.InterruptSample != 0 && x.sampling != nil {
		x.sample(st, inst)
	}
}

// sample passes the functions of this run's frames on st, innermost
// first, to the sink (other runs, below or above, sample their own).
func (x *executor) sample(st *rt.Stack, inst *store.Instance) {
	if inst == nil {
		return
	}
	buf := x.sampleBuf[:0]
	walk(st, func(s rt.Site) bool {
		if int(s.Func) < len(inst.Funcs) {
			buf = append(buf, inst.Funcs[s.Func])
		}
		return len(buf) < engine.MaxSampleDepth
	})
	x.sampleBuf = buf
	x.sampling.Sink(buf)
}
