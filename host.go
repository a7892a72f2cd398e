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
	errs []error
}

// NewHostModule starts the definition of a host module that Instantiate
// registers under name.
func (r *Runtime) NewHostModule(name string) *HostModuleBuilder {
	return &HostModuleBuilder{rt: r, st: &store.Instance{Name: name, Exports: map[string]store.Extern{}}}
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
	f := &store.Function{Type: &typ, TypeID: b.rt.types.ID(&typ), Module: b.st,
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
// functions (they see 0 and their reference results are null).
func (b *HostModuleBuilder) RawFunc(name string, typ wasm.FuncType, fn func(ctx context.Context, c *Caller, stack []uint64)) *HostModuleBuilder {
	b.addFunc(name, typ, func(ctx context.Context, caller *store.Instance, stack []uint64) error {
		fn(ctx, callerOf(caller), stack)
		return nil
	})
	return b
}

var (
	ctxType    = reflect.TypeOf((*context.Context)(nil)).Elem()
	callerType = reflect.TypeOf((*Caller)(nil))
	errType    = reflect.TypeOf((*error)(nil)).Elem()
)

func kindType(k reflect.Kind) (wasm.ValType, bool) {
	switch k {
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
// and results may be int32, uint32, int64, uint64, float32 or float64;
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
		vt, ok := kindType(t.In(i).Kind())
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
		vt, ok := kindType(t.Out(i).Kind())
		if !ok {
			b.errs = append(b.errs, fmt.Errorf("host function %q: unsupported result type %s", name, t.Out(i)))
			return b
		}
		typ.Results = append(typ.Results, vt)
	}
	b.addFunc(name, typ, func(ctx context.Context, caller *store.Instance, stack []uint64) error {
		in := make([]reflect.Value, 0, t.NumIn())
		if wantCtx {
			in = append(in, reflect.ValueOf(ctx))
		}
		if wantCaller {
			in = append(in, reflect.ValueOf(callerOf(caller)))
		}
		for i := first; i < t.NumIn(); i++ {
			in = append(in, slotToReflect(stack[i-first], t.In(i)))
		}
		out := v.Call(in)
		if hasErr {
			if e := out[nout]; !e.IsNil() {
				return e.Interface().(error)
			}
		}
		for i := 0; i < nout; i++ {
			stack[i] = reflectToSlot(out[i])
		}
		return nil
	})
	return b
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
	mt := wasm.MemoryType{Limits: wasm.Limits{Min: uint64(min), Max: uint64(max), HasMax: max != 0}}
	m, err := store.NewMemory(mt, b.rt.cfg.MaxMemoryPages)
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
	t, ok := store.NewTable(typ, nil)
	if !ok {
		b.errs = append(b.errs, fmt.Errorf("host table %q: too large", name))
		return b
	}
	b.st.Tables = append(b.st.Tables, t)
	b.export(name, store.Extern{Kind: wasm.ExternTable, Table: t})
	return b
}

// Global defines a global of the given type and initial value.
func (b *HostModuleBuilder) Global(name string, typ wasm.GlobalType, v Value) *HostModuleBuilder {
	if err := checkValue(v, typ.Type); err != nil {
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
	if len(b.errs) > 0 {
		return nil, b.errs[0]
	}
	inst := b.rt.newInstance(b.st)
	if b.st.Name != "" {
		b.rt.Register(b.st.Name, inst)
	}
	return inst, nil
}
