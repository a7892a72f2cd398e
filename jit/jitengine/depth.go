//go:build (amd64 || arm64) && unix

package jitengine

import (
	"context"
	"math"
	"strconv"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
)

// CountDepth makes the engine compile code that counts wasm call depth
// (codegen.Options.CountDepth), so that the executors' call depth limit
// (engine.StackLimits.MaxDepth) traps where the interpreter's does.
// Call it before compiling anything; a runtime does when it has a
// MaxCallDepth. Code compiled without it pays nothing for depth, and
// its executors ignore MaxDepth (the machine stack's size bounds it).
func (e *Engine) CountDepth() { e.countDepth = true }

// depthLevel is one run's part of the depth accounting: it continues
// the standing of the execution that called it (engine.NestOf, as the
// interpreter's Runs do) and stands for the run when it calls out, so
// that the Runs of host functions and other engines continue it too.
type depthLevel struct {
	nest  store.Nest
	ctx   context.Context // carries nest: the context of calls out
	outer int64           // frames below the run (its callers')
	limit uint64          // Ctx.DepthLeft at entry
	level int64           // host re-entry level, passed on
	bytes int64           // the callers' stack bytes, passed on
}

// enterDepth sets c.DepthLeft for a run of f entered with ctx and
// returns its level, or the trap of a caller already at a limit: the
// call depth (only when depth is counted: the interpreter lets a frame
// call while the frames below it and its callers' number less than
// MaxDepth, so a run may hold MaxDepth+1-outer activations) and the
// host re-entry nesting (always, as the interpreter's Runs: a host
// function calling back with a context of its own finds this run in
// the instance's InHost, which callOut sets).
func (x *executor) enterDepth(ctx context.Context, f *store.Function, c *rt.Ctx, d *depthLevel) (*depthLevel, error) {
	c.DepthLeft = math.MaxUint64
	*d = depthLevel{}
	d.nest.Owner = x
	parent := engine.NestOf(ctx)
	if parent == nil && f.Module != nil {
		parent = f.Module.InHost.Load()
	}
	if parent != nil {
		d.outer = parent.Depth.Load() + 1
		d.level = parent.Level.Load() + 1
		d.bytes = parent.Bytes.Load()
	}
	if d.level > int64(x.maxReentry) {
		return nil, &store.Trap{Code: store.TrapCallStackExhausted,
			Detail: "(host function re-entry nested more than " + strconv.Itoa(x.maxReentry) + " deep)"}
	}
	if !x.e.countDepth || x.maxDepth <= 0 {
		return d, nil // d.ctx stays nil: calls out keep the run's context
	}
	if d.outer >= int64(x.maxDepth) {
		return nil, &store.Trap{Code: store.TrapCallStackExhausted}
	}
	d.limit = uint64(int64(x.maxDepth) + 1 - d.outer)
	c.DepthLeft = d.limit
	d.ctx = engine.WithNest(ctx, &d.nest)
	return d, nil
}

// callCtx publishes where the run stands before it calls out (machine
// code stopped at an exit) and returns the context to call with.
func (d *depthLevel) callCtx(ctx context.Context, c *rt.Ctx) context.Context {
	if d == nil {
		return ctx
	}
	d.nest.Level.Store(d.level)
	d.nest.Bytes.Store(d.bytes)
	if d.ctx == nil { // depth not counted: the frames below the run
		d.nest.Depth.Store(d.outer)
		return ctx
	}
	active := int64(d.limit - c.DepthLeft)
	d.nest.Depth.Store(d.outer + active - 1)
	return d.ctx
}
