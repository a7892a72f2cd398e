package kiln

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/store"
)

// Capturing the calling execution, for system interfaces that clone a
// running program (fork) or return to an earlier point of it
// (setjmp/longjmp) without the program's cooperation. The interpreter
// can: its frames are data. A runtime whose JIT would run such a module
// leaves the module's functions to the interpreter when the module
// imports one of the host functions that capture (WASIX's proc_fork,
// stack_checkpoint and stack_restore).

// ErrNotCapturable is the error of a capture the calling execution does
// not allow: a host function called by the embedder directly or through
// a tail call, a call made from another host function (only a call from
// the embedder is captured whole), or an engine that cannot.
var ErrNotCapturable = engine.ErrNotCapturable

// Continuation is a wasm call suspended in a host function: its frames,
// values and program counters (Caller.Capture). It stays valid after the
// call goes on, and can be resumed any number of times.
type Continuation struct {
	inst *Instance
	k    engine.Continuation
}

// Capture returns the state of the call waiting for the host function
// (ctx is the context the host function received).
func (c *Caller) Capture(ctx context.Context) (*Continuation, error) {
	x := engine.CapturerOf(ctx)
	if x == nil || c == nil || c.inst == nil {
		return nil, ErrNotCapturable
	}
	k, err := x.Capture()
	if err != nil {
		return nil, err
	}
	return &Continuation{inst: c.inst, k: k}, nil
}

// Resume runs k in i, an instance of the module of the instance k was
// captured in (typically made a copy of it with CopyStateFrom): the host
// call k was captured in returns results (slots, as Func.Call's), and
// the captured frames run until the call from the embedder they belong
// to returns, whose results are discarded. The captured functions and
// function references of k's instance are i's in the resumed call;
// references to other instances' objects are the same objects.
func (i *Instance) Resume(ctx context.Context, k *Continuation, results ...uint64) error {
	if k.inst.cm != i.cm || i.cm == nil {
		return fmt.Errorf("kiln: resume: the continuation was captured in an instance of another module")
	}
	if i.st.Closed {
		return ErrClosed
	}
	remap := funcMap(k.inst, i)
	for e := range i.rt.engines {
		ex := i.rt.getExecutor(e)
		x, ok := ex.Executor.(engine.Capturer)
		if !ok {
			i.rt.putExecutor(ex)
			continue
		}
		src := i.rt.cfg.FuelSource
		if i.fuel != nil {
			src = i.fuel
		}
		ex.fuel.Reset(i.rt.cfg.Fuel, src)
		err := x.Resume(ctx, k.k, remap, results, &ex.fuel)
		ex.fuel.Release()
		ex.fuel.Src = nil
		i.rt.putExecutor(ex)
		return err
	}
	return ErrNotCapturable
}

// funcMap returns the remapping of a resume in to of what was captured
// in from: from's functions become to's.
func funcMap(from, to *Instance) func(any) any {
	m := make(map[*store.Function]*store.Function, len(from.st.Funcs))
	for j, f := range from.st.Funcs {
		if j < len(to.st.Funcs) {
			m[f] = to.st.Funcs[j]
		}
	}
	return func(v any) any {
		if f, ok := v.(*store.Function); ok {
			if g, ok := m[f]; ok {
				return g
			}
		}
		return v
	}
}

// CopyStateFrom makes the state i defines a copy of from's, from being
// an instance of the same module: the values of its mutable globals,
// the elements of its tables (references to from's functions become
// i's) and the contents of its memories (grown to from's sizes).
// Imported globals, tables and memories are left alone: they belong to
// whoever defined them. Other references (GC objects, externrefs) are
// shared, not copied.
func (i *Instance) CopyStateFrom(from *Instance) error {
	if from.cm != i.cm || i.cm == nil {
		return fmt.Errorf("kiln: copy state: the instances are of different modules")
	}
	mod := i.cm.module
	remap := funcMap(from, i)
	for j := int(mod.NumImportedGlobals); j < len(i.st.Globals); j++ {
		src, dst := from.st.Globals[j], i.st.Globals[j]
		if !dst.Type.Mutable {
			continue
		}
		dst.Lo, dst.Hi, dst.Ref = src.Lo, src.Hi, src.Ref
		if dst.Ref != nil {
			dst.Ref = remap(dst.Ref)
		}
	}
	for j := int(mod.NumImportedTables); j < len(i.st.Tables); j++ {
		src, dst := from.st.Tables[j], i.st.Tables[j]
		if grow := len(src.Elems) - len(dst.Elems); grow > 0 {
			if _, ok := dst.Grow(uint64(grow), nil); !ok {
				return fmt.Errorf("kiln: copy state: table %d cannot grow to %d elements", j, len(src.Elems))
			}
		}
		for n, r := range src.Elems {
			if r != nil {
				r = remap(r)
			}
			dst.Elems[n] = r
		}
		dst.Wrote(0, uint64(len(dst.Elems)))
	}
	for j := int(mod.NumImportedMems); j < len(i.st.Mems); j++ {
		src, dst := from.st.Mems[j], i.st.Mems[j]
		if grow := int64(src.Pages()) - int64(dst.Pages()); grow > 0 {
			if _, ok := dst.Grow(uint64(grow)); !ok {
				return fmt.Errorf("kiln: copy state: memory %d cannot grow to %d pages", j, src.Pages())
			}
		}
		copy(dst.Bytes(), src.Bytes())
	}
	return nil
}

// Checkpoint is a point of a wasm call that a host function can make the
// call return to again (setjmp), made by Caller.Checkpoint.
type Checkpoint struct{ cp engine.Checkpoint }

// Checkpoint records the point of the call waiting for the host function
// (ctx is the context the host function received).
func (c *Caller) Checkpoint(ctx context.Context) (*Checkpoint, error) {
	x := engine.CapturerOf(ctx)
	if x == nil {
		return nil, ErrNotCapturable
	}
	cp, err := x.Checkpoint()
	if err != nil {
		return nil, err
	}
	return &Checkpoint{cp: cp}, nil
}

// Jump returns the error with which a host function makes the call that
// called it return to cp (longjmp): the host function returns it (or
// panics with it, in a RawFunc); the frames above cp's are dropped and
// the host call cp was made in returns results. When cp is not on the
// stack of that call any more, the call ends with this error.
func (cp *Checkpoint) Jump(results ...uint64) error {
	return &engine.Jump{To: cp.cp, Results: results}
}
