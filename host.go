package kiln

import (
	"context"
	"fmt"
	"math"
	"reflect"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// HostModuleBuilder defines a module implemented in Go. Definition errors
// are reported by Instantiate.
type HostModuleBuilder struct {
	rt   *Runtime
	st   *store.Instance
	lim  Limiter
	errs []error
}

// NewHostModule starts the definition of a host module that Instantiate
// registers under name.
func (r *Runtime) NewHostModule(name string) *HostModuleBuilder {
	return &HostModuleBuilder{rt: r, st: &store.Instance{Name: name, Exports: map[string]store.Extern{}}, lim: r.cfg.Limiter}
}

// Limiter makes l (instead of RuntimeConfig.Limiter) approve the sizes of
// the memories and tables defined after it, for example to charge a
// memory created for one guest process to that process's quota.
func (b *HostModuleBuilder) Limiter(l Limiter) *HostModuleBuilder {
	b.lim = l
	return b
}

func (b *HostModuleBuilder) export(name string, x store.Extern) {
	if _, dup := b.st.Exports[name]; dup {
		b.errs = append(b.errs, fmt.Errorf("host module %q: duplicate export %q", b.st.Name, name))
		return
	}
	b.st.Exports[name] = x
	b.st.ExportNames = append(b.st.ExportNames, name)
}

func (b *HostModuleBuilder) addFunc(name string, typ wasm.FuncType, fn store.HostFunc) {
	canon := b.rt.types.Func(&typ)
	f := &store.Function{Type: &typ, TypeID: canon.ID, Canon: canon, Module: b.st,
		Index: uint32(len(b.st.Funcs)), Name: name, Host: fn}
	b.st.Funcs = append(b.st.Funcs, f)
	b.export(name, store.Extern{Kind: wasm.ExternFunc, Func: f})
}

// callerOf returns the Caller of a host call (preallocated per instance).
func callerOf(inst *store.Instance) *Caller {
	if inst != nil {
		if i, ok := inst.Owner.(*Instance); ok {
			return &i.caller
		}
	}
	return &Caller{}
}

// RawFunc defines a host function with the fast calling convention:
// parameters in stack[0:], results written to stack[0:] (a v128 takes two
// slots; i32 results must be zero-extended). To abort the call, panic
// with an error value: the call returns that error (panic with a *Trap to
// trap). Reference-typed parameters and results are not passed to raw
// functions (they see 0 and their reference results are null); use
// RawRefFunc for those.
func (b *HostModuleBuilder) RawFunc(name string, typ wasm.FuncType, fn func(ctx context.Context, c *Caller, stack []uint64)) *HostModuleBuilder {
	b.addFunc(name, typ, func(ctx context.Context, caller *store.Instance, stack []uint64, _ []any) error {
		fn(ctx, callerOf(caller), stack)
		return nil
	})
	return b
}

// RawRefFunc is RawFunc for signatures with reference types: refs
// parallels stack, and a reference parameter or result is at its slot's
// index in refs (nil is null; a funcref is a *Func, an externref any Go
// value, as in Value.Ref). Numeric slots work as in RawFunc.
func (b *HostModuleBuilder) RawRefFunc(name string, typ wasm.FuncType, fn func(ctx context.Context, c *Caller, stack []uint64, refs []any)) *HostModuleBuilder {
	params, results := refSlots(typ.Params), refSlots(typ.Results)
	rt := b.rt
	b.addFunc(name, typ, func(ctx context.Context, caller *store.Instance, stack []uint64, refs []any) error {
		for _, p := range params {
			refs[p.slot] = rt.fromRef(p.typ, refs[p.slot]).Ref
		}
		fn(ctx, callerOf(caller), stack, refs)
		for _, r := range results {
			v := Value{Type: r.typ, Ref: refs[r.slot]}
			if err := rt.checkValue(v, r.typ, nil); err != nil {
				refs[r.slot] = nil
				return fmt.Errorf("host function %q: result: %w", name, err)
			}
			refs[r.slot] = rt.toRef(v)
		}
		return nil
	})
	return b
}

// refSlot is the slot index and type of a reference parameter or result.
type refSlot struct {
	slot int
	typ  wasm.ValType
}

func refSlots(types []wasm.ValType) []refSlot {
	var out []refSlot
	j := 0
	for _, t := range types {
		if t.IsRef() {
			out = append(out, refSlot{j, t})
		}
		j++
		if t == wasm.V128 {
			j++
		}
	}
	return out
}

var (
	ctxType    = reflect.TypeOf((*context.Context)(nil)).Elem()
	callerType = reflect.TypeOf((*Caller)(nil))
	errType    = reflect.TypeOf((*error)(nil)).Elem()
	funcType   = reflect.TypeOf((*Func)(nil))
	anyType    = reflect.TypeOf((*any)(nil)).Elem()
)

// goValType returns the wasm type a Go parameter or result type stands for.
func goValType(t reflect.Type) (wasm.ValType, bool) {
	switch t {
	case funcType:
		return wasm.FuncRef, true
	case anyType:
		return wasm.ExternRef, true
	}
	switch t.Kind() {
	case reflect.Int32, reflect.Uint32:
		return wasm.I32, true
	case reflect.Int64, reflect.Uint64:
		return wasm.I64, true
	case reflect.Float32:
		return wasm.F32, true
	case reflect.Float64:
		return wasm.F64, true
	}
	return 0, false
}

// Func defines a host function from an ordinary Go function. Parameters
// and results may be int32, uint32, int64, uint64, float32 or float64,
// *Func (a funcref, nil for null) or any (an externref, nil for null);
// the function may take a leading context.Context and then a *Caller, and
// may return a trailing error (which aborts the call).
func (b *HostModuleBuilder) Func(name string, fn any) *HostModuleBuilder {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func {
		b.errs = append(b.errs, fmt.Errorf("host function %q: %T is not a function", name, fn))
		return b
	}
	var typ wasm.FuncType
	first := 0
	wantCtx, wantCaller := false, false
	if first < t.NumIn() && t.In(first) == ctxType {
		wantCtx = true
		first++
	}
	if first < t.NumIn() && t.In(first) == callerType {
		wantCaller = true
		first++
	}
	for i := first; i < t.NumIn(); i++ {
		vt, ok := goValType(t.In(i))
		if !ok {
			b.errs = append(b.errs, fmt.Errorf("host function %q: unsupported parameter type %s", name, t.In(i)))
			return b
		}
		typ.Params = append(typ.Params, vt)
	}
	nout := t.NumOut()
	hasErr := nout > 0 && t.Out(nout-1) == errType
	if hasErr {
		nout--
	}
	for i := 0; i < nout; i++ {
		vt, ok := goValType(t.Out(i))
		if !ok {
			b.errs = append(b.errs, fmt.Errorf("host function %q: unsupported result type %s", name, t.Out(i)))
			return b
		}
		typ.Results = append(typ.Results, vt)
	}
	rt := b.rt
	b.addFunc(name, typ, func(ctx context.Context, caller *store.Instance, stack []uint64, refs []any) error {
		in := make([]reflect.Value, 0, t.NumIn())
		if wantCtx {
			in = append(in, reflect.ValueOf(ctx))
		}
		if wantCaller {
			in = append(in, reflect.ValueOf(callerOf(caller)))
		}
		for i := first; i < t.NumIn(); i++ {
			if vt := typ.Params[i-first]; vt.IsRef() {
				in = append(in, refToReflect(rt.fromRef(vt, refs[i-first]).Ref, t.In(i)))
				continue
			}
			in = append(in, slotToReflect(stack[i-first], t.In(i)))
		}
		out := v.Call(in)
		if hasErr {
			if e := out[nout]; !e.IsNil() {
				return e.Interface().(error)
			}
		}
		for i := 0; i < nout; i++ {
			if vt := typ.Results[i]; vt.IsRef() {
				var r any
				if !out[i].IsNil() {
					r = out[i].Interface()
				}
				refs[i] = rt.toRef(Value{Type: vt, Ref: r})
				continue
			}
			stack[i] = reflectToSlot(out[i])
		}
		return nil
	})
	return b
}

// refToReflect converts a reference (nil, *Func or any value) to a value
// of Go type t (*Func or any).
func refToReflect(r any, t reflect.Type) reflect.Value {
	if r == nil {
		return reflect.Zero(t)
	}
	v := reflect.New(t).Elem()
	v.Set(reflect.ValueOf(r))
	return v
}

func slotToReflect(s uint64, t reflect.Type) reflect.Value {
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Int32:
		v.SetInt(int64(int32(s)))
	case reflect.Uint32:
		v.SetUint(uint64(uint32(s)))
	case reflect.Int64:
		v.SetInt(int64(s))
	case reflect.Uint64:
		v.SetUint(s)
	case reflect.Float32:
		v.SetFloat(float64(math.Float32frombits(uint32(s))))
	case reflect.Float64:
		v.SetFloat(math.Float64frombits(s))
	}
	return v
}

func reflectToSlot(v reflect.Value) uint64 {
	switch v.Kind() {
	case reflect.Int32:
		return uint64(uint32(v.Int()))
	case reflect.Uint32:
		return v.Uint()
	case reflect.Int64:
		return uint64(v.Int())
	case reflect.Uint64:
		return v.Uint()
	case reflect.Float32:
		return uint64(math.Float32bits(float32(v.Float())))
	case reflect.Float64:
		return math.Float64bits(v.Float())
	}
	return 0
}

// Memory defines a memory of min pages and at most max pages (max 0 means
// no maximum).
func (b *HostModuleBuilder) Memory(name string, min, max uint32) *HostModuleBuilder {
	return b.MemoryOfType(name, wasm.MemoryType{Limits: wasm.Limits{Min: uint64(min), Max: uint64(max), HasMax: max != 0}})
}

// MemoryOfType defines a memory of any type: shared (threads; a maximum is
// then required) or 64-bit.
func (b *HostModuleBuilder) MemoryOfType(name string, mt wasm.MemoryType) *HostModuleBuilder {
	if mt.Shared && !mt.Limits.HasMax {
		b.errs = append(b.errs, fmt.Errorf("host memory %q: a shared memory needs a maximum", name))
		return b
	}
	m, err := store.NewMemory(mt, b.rt.cfg.MaxMemoryPages, b.lim)
	if err != nil {
		b.errs = append(b.errs, fmt.Errorf("host memory %q: %w", name, err))
		return b
	}
	b.st.Mems = append(b.st.Mems, m)
	b.export(name, store.Extern{Kind: wasm.ExternMemory, Mem: m})
	return b
}

// Table defines a table of the given type, its elements null.
func (b *HostModuleBuilder) Table(name string, typ wasm.TableType) *HostModuleBuilder {
	t, err := store.NewTable(typ, nil, b.lim)
	if err != nil {
		b.errs = append(b.errs, fmt.Errorf("host table %q: %w", name, err))
		return b
	}
	b.st.Tables = append(b.st.Tables, t)
	b.export(name, store.Extern{Kind: wasm.ExternTable, Table: t})
	return b
}

// Global defines a global of the given type and initial value.
func (b *HostModuleBuilder) Global(name string, typ wasm.GlobalType, v Value) *HostModuleBuilder {
	if err := b.rt.checkValue(v, typ.Type, nil); err != nil {
		b.errs = append(b.errs, fmt.Errorf("host global %q: %w", name, err))
		return b
	}
	g := &store.Global{Type: typ, Lo: v.Lo, Hi: v.Hi, Ref: b.rt.toRef(v)}
	if typ.Type == wasm.I32 || typ.Type == wasm.F32 {
		g.Lo = uint64(uint32(v.Lo))
	}
	b.st.Globals = append(b.st.Globals, g)
	b.export(name, store.Extern{Kind: wasm.ExternGlobal, Global: g})
	return b
}

// Instantiate creates the host module's instance and registers it under
// the builder's name.
func (b *HostModuleBuilder) Instantiate(ctx context.Context) (*Instance, error) {
	inst, err := b.Build(ctx)
	if err != nil {
		return nil, err
	}
	if b.st.Name != "" {
		b.rt.Register(b.st.Name, inst)
	}
	return inst, nil
}

// Build creates the host module's instance without registering it, for a
// Linker (Linker.Define) or for one process's imports.
func (b *HostModuleBuilder) Build(ctx context.Context) (*Instance, error) {
	if len(b.errs) > 0 {
		return nil, b.errs[0]
	}
	inst := b.rt.newInstance(b.st)
	b.rt.newFuncs(b.st.Funcs)
	return inst, nil
}
