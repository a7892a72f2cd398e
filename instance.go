package kiln

import (
	"context"
	"sort"
	"sync/atomic"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// ModuleConfig configures one instantiation.
type ModuleConfig struct {
	// Name, when not empty, registers the instance under this name so that
	// later modules can import from it.
	Name string
	// FuelSource, when not nil, replaces RuntimeConfig.FuelSource for
	// calls into this instance's functions (including its start
	// function).
	FuelSource FuelSource
	// Limiter, when not nil, replaces RuntimeConfig.Limiter for the
	// memories and tables this instance defines.
	Limiter Limiter
	// Imports, when not nil, resolves imports by module name before the
	// runtime's registry (see Linker).
	Imports *Linker
	// HostContext is an opaque value bound to the instance for the host
	// functions it calls: they read it with Caller.HostContext. A system
	// interface binds its guest process or thread here, so that one
	// host module serves many processes (see package wasi).
	HostContext any
}

// Instance is an instantiated module (or host module).
type Instance struct {
	rt     *Runtime
	st     *store.Instance
	caller Caller
	// cm and cfg are what the instance was instantiated from (nil and
	// zero for host modules), so that a thread can instantiate the same
	// module again the same way.
	cm  *CompiledModule
	cfg ModuleConfig
	// mem0 caches the wrapper of memory 0 for Caller.Memory (atomic:
	// the threads of a shared memory call host functions concurrently).
	mem0 atomic.Pointer[Memory]
	// machine is a cached executor of the runtime's first engine for
	// calls into this instance (taken with an atomic swap, so reentrant
	// or concurrent calls fall back to the runtime's pool).
	machine atomic.Pointer[executor]
	// fuel is the shared budget of calls into the instance, or nil.
	fuel FuelSource
}

// Export describes one export of an instance.
type Export struct {
	Name string
	Kind wasm.ExternKind
}

func (r *Runtime) newInstance(st *store.Instance) *Instance {
	inst := &Instance{rt: r, st: st}
	inst.caller.inst = inst
	st.Owner = inst
	return inst
}

// Name returns the name the instance was instantiated with.
func (i *Instance) Name() string { return i.st.Name }

// Runtime returns the runtime the instance belongs to.
func (i *Instance) Runtime() *Runtime { return i.rt }

// Module returns the compiled module the instance was instantiated from,
// or nil for a host module.
func (i *Instance) Module() *CompiledModule { return i.cm }

// Config returns the configuration the instance was instantiated with.
func (i *Instance) Config() ModuleConfig { return i.cfg }

// HostContext returns ModuleConfig.HostContext of the instantiation.
func (i *Instance) HostContext() any { return i.cfg.HostContext }

// Exports lists the exports in definition order.
func (i *Instance) Exports() []Export {
	out := make([]Export, 0, len(i.st.ExportNames))
	for _, n := range i.st.ExportNames {
		out = append(out, Export{Name: n, Kind: i.st.Exports[n].Kind})
	}
	if len(out) == 0 && len(i.st.Exports) > 0 {
		for n, e := range i.st.Exports {
			out = append(out, Export{Name: n, Kind: e.Kind})
		}
		sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	}
	return out
}

// Func returns the exported function name, or nil.
func (i *Instance) Func(name string) *Func {
	e, ok := i.st.Exports[name]
	if !ok || e.Kind != wasm.ExternFunc {
		return nil
	}
	return i.rt.wrapFunc(e.Func)
}

// Memory returns the exported memory name, or nil.
func (i *Instance) Memory(name string) *Memory {
	e, ok := i.st.Exports[name]
	if !ok || e.Kind != wasm.ExternMemory {
		return nil
	}
	return &Memory{m: e.Mem}
}

// Global returns the exported global name, or nil.
func (i *Instance) Global(name string) *Global {
	e, ok := i.st.Exports[name]
	if !ok || e.Kind != wasm.ExternGlobal {
		return nil
	}
	return &Global{rt: i.rt, g: e.Global}
}

// GlobalAt returns the global at index idx of the instance's global
// index space (imports first), exported or not, or nil.
func (i *Instance) GlobalAt(idx uint32) *Global {
	if uint64(idx) >= uint64(len(i.st.Globals)) {
		return nil
	}
	return &Global{rt: i.rt, g: i.st.Globals[idx]}
}

// Table returns the exported table name, or nil.
func (i *Instance) Table(name string) *Table {
	e, ok := i.st.Exports[name]
	if !ok || e.Kind != wasm.ExternTable {
		return nil
	}
	return &Table{rt: i.rt, t: e.Table}
}

// Close marks the instance closed: later calls into it fail with
// ErrClosed, and it is removed from the runtime's registry. The memories it
// defines are unmapped at once unless another instance imported them
// (those are released when garbage collected); Memory values obtained from
// the instance are empty afterwards.
func (i *Instance) Close(ctx context.Context) error {
	if i.st.Closed {
		return nil
	}
	i.st.Closed = true
	for n := range i.st.Elems {
		i.st.DropElem(n)
	}
	if m := i.st.Module; m != nil {
		for _, mem := range i.st.Mems[m.NumImportedMems:] {
			if mem.Importers.Load() == 0 {
				mem.Release()
			}
		}
		for _, mem := range i.st.Mems[:m.NumImportedMems] {
			mem.Importers.Add(-1)
		}
	}
	i.rt.mu.Lock()
	for n, x := range i.rt.modules {
		if x == i {
			delete(i.rt.modules, n)
		}
	}
	i.rt.mu.Unlock()
	return nil
}

// Caller gives a host function access to the instance that called it.
type Caller struct {
	inst *Instance
}

// Instance returns the calling instance, or nil when the host function
// was called directly by the embedder.
func (c *Caller) Instance() *Instance {
	if c == nil {
		return nil
	}
	return c.inst
}

// HostContext returns the calling instance's ModuleConfig.HostContext, or
// nil when there is no calling instance.
func (c *Caller) HostContext() any {
	if c == nil || c.inst == nil {
		return nil
	}
	return c.inst.cfg.HostContext
}

// Memory returns the calling instance's memory 0, or nil.
func (c *Caller) Memory() *Memory {
	if c == nil || c.inst == nil || len(c.inst.st.Mems) == 0 {
		return nil
	}
	i := c.inst
	if m := i.mem0.Load(); m != nil && m.m == i.st.Mems[0] {
		return m
	}
	m := &Memory{m: i.st.Mems[0]}
	i.mem0.Store(m)
	return m
}
