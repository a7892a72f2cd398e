package kiln

import (
	"context"
	"fmt"
	"sync"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Func is a function instance (wasm or host).
type Func struct {
	rt   *Runtime
	f    *store.Function
	inst *Instance // the defining instance, or nil
	// nParams and nResults are slot counts (a v128 takes two).
	nParams, nResults int
	refParams         bool
	// eng is the index of the runtime engine that runs the function.
	eng int
}

// wrapFunc returns f's wrapper. Wrappers are made when the function is
// defined (newFuncs), before other goroutines can reach it, so reading
// Owner needs no lock; the fallback covers functions defined elsewhere.
func (r *Runtime) wrapFunc(f *store.Function) *Func {
	if w, ok := f.Owner.(*Func); ok {
		return w
	}
	wrapMu.Lock()
	defer wrapMu.Unlock()
	if w, ok := f.Owner.(*Func); ok {
		return w
	}
	return r.newFunc(f)
}

// wrapMu serialises the fallback of wrapFunc.
var wrapMu sync.Mutex

// newFuncs makes the wrappers of the functions an instance defines.
func (r *Runtime) newFuncs(fs []*store.Function) {
	for _, f := range fs {
		r.newFunc(f)
	}
}

func (r *Runtime) newFunc(f *store.Function) *Func {
	w := &Func{rt: r, f: f, nParams: engine.SlotCount(f.Type.Params), nResults: engine.SlotCount(f.Type.Results)}
	// A function no engine of r owns (made by another runtime) is run
	// by the first, which reports it as an internal error.
	w.eng = max(r.engineOf(f.Code), 0)
	for _, p := range f.Type.Params {
		w.refParams = w.refParams || p.IsRef()
	}
	if f.Module != nil {
		w.inst, _ = f.Module.Owner.(*Instance)
	}
	f.Owner = w
	return w
}

// machine returns an executor of the function's engine for one call: the
// defining instance's cached one when it is free (the common case), else
// one from the runtime's pool.
func (f *Func) machine() *executor {
	if f.inst != nil && f.eng == 0 {
		if m := f.inst.machine.Swap(nil); m != nil {
			return m
		}
	}
	return f.rt.getExecutor(f.eng)
}

func (f *Func) release(m *executor) {
	if f.inst != nil && m.eng == 0 && f.inst.machine.CompareAndSwap(nil, m) {
		return
	}
	f.rt.putExecutor(m)
}

// Type returns the function's signature. It must not be modified.
func (f *Func) Type() *wasm.FuncType { return f.f.Type }

// Name returns the function's debug name, or "".
func (f *Func) Name() string { return f.f.Name }

// Call calls the function with numeric arguments as raw slots (i32
// zero-extended or sign-extended, floats as IEEE bits; a v128 takes two
// slots, low half first) and returns its results the same way (i32
// zero-extended). Reference parameters receive null; use CallValues for
// references.
func (f *Func) Call(ctx context.Context, args ...uint64) ([]uint64, error) {
	if len(args) != f.nParams {
		return nil, fmt.Errorf("kiln: %s takes %d argument slots, got %d", f.f.Type, f.nParams, len(args))
	}
	return f.call(ctx, args)
}

// CallInto is the allocation-free form of Call: stack holds the argument
// slots on entry and receives the result slots; it must be at least as
// long as both.
func (f *Func) CallInto(ctx context.Context, stack []uint64) error {
	if len(stack) < f.nParams || len(stack) < f.nResults {
		return fmt.Errorf("kiln: stack of %d slots is too short for %s", len(stack), f.f.Type)
	}
	m := f.machine()
	defer f.release(m)
	slots, refs := m.Slots(max(f.nParams, f.nResults))
	copy(slots, stack[:f.nParams])
	maskI32(slots, f.f.Type.Params)
	if f.refParams {
		clear(refs)
	}
	if err := f.run(ctx, m); err != nil {
		return err
	}
	slots, _ = m.Slots(f.nResults)
	copy(stack, slots)
	return nil
}

// call is Call without the argument count check: CallInto on a fresh
// stack, returning a copy of the result slots (nil when there are none).
func (f *Func) call(ctx context.Context, args []uint64) ([]uint64, error) {
	stack := make([]uint64, max(f.nParams, f.nResults))
	copy(stack, args)
	if err := f.CallInto(ctx, stack); err != nil {
		return nil, err
	}
	if f.nResults == 0 {
		return nil, nil
	}
	return stack[:f.nResults:f.nResults], nil
}

// maskI32 zero-extends i32 arguments, the interpreter's slot invariant.
func maskI32(slots []uint64, types []wasm.ValType) {
	i := 0
	for _, t := range types {
		if t == wasm.I32 || t == wasm.F32 {
			slots[i] = uint64(uint32(slots[i]))
		}
		i++
		if t == wasm.V128 {
			i++
		}
	}
}

func (f *Func) run(ctx context.Context, m *executor) error {
	if f.f.Module != nil && f.f.Module.Closed {
		return ErrClosed
	}
	src := f.rt.cfg.FuelSource
	if f.inst != nil && f.inst.fuel != nil {
		src = f.inst.fuel
	}
	m.fuel.Reset(f.rt.cfg.Fuel, src)
	err := m.Run(ctx, f.f, &m.fuel)
	m.fuel.Release()
	m.fuel.Src = nil
	if err != nil && f.rt.cfg.CloseOnContextDone && ctx.Err() != nil && f.f.Module != nil {
		f.f.Module.Closed = true
	}
	return err
}

// CallValues calls the function with typed arguments, including v128 and
// references, and returns typed results.
func (f *Func) CallValues(ctx context.Context, args []Value) ([]Value, error) {
	ft := f.f.Type
	if len(args) != len(ft.Params) {
		return nil, fmt.Errorf("kiln: %s takes %d arguments, got %d", ft, len(ft.Params), len(args))
	}
	for i, a := range args {
		if err := f.rt.checkValue(a, ft.Params[i], f.types()); err != nil {
			return nil, fmt.Errorf("argument %d: %w", i, err)
		}
	}
	m := f.machine()
	defer f.release(m)
	slots, refs := m.Slots(max(f.nParams, f.nResults))
	clear(refs)
	j := 0
	for i, a := range args {
		t := ft.Params[i]
		switch {
		case t == wasm.V128:
			slots[j], slots[j+1] = a.Lo, a.Hi
			j += 2
			continue
		case t.IsRef():
			slots[j] = 0
			refs[j] = f.rt.toRef(a)
		case t == wasm.I32 || t == wasm.F32:
			slots[j] = uint64(uint32(a.Lo))
		default:
			slots[j] = a.Lo
		}
		j++
	}
	if err := f.run(ctx, m); err != nil {
		return nil, err
	}
	slots, refs = m.Slots(f.nResults)
	out := make([]Value, len(ft.Results))
	j = 0
	for i, t := range ft.Results {
		switch {
		case t == wasm.V128:
			out[i] = Value{Type: t, Lo: slots[j], Hi: slots[j+1]}
			j += 2
			continue
		case t.IsRef():
			out[i] = f.rt.fromRef(t, refs[j])
		default:
			out[i] = Value{Type: t, Lo: slots[j]}
		}
		j++
	}
	return out, nil
}

// types returns the canonical types of the defining module (nil for host
// functions).
func (f *Func) types() []*store.Type {
	if f.f.Module != nil {
		return f.f.Module.Types
	}
	return nil
}
