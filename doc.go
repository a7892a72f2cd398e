// Package kiln is the embedding API of the kiln WebAssembly runtime.
//
// A Runtime compiles modules (decode, validate and translate to the
// register interpreter's code in one pass) and instantiates them, resolving
// imports by module name among the instances and host modules registered
// in it:
//
//	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
//	cm, err := rt.CompileModule(ctx, wasmBytes)
//	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{Name: "m"})
//	res, err := inst.Func("add").Call(ctx, 1, 2)
//
// Values cross the boundary as raw uint64 slots (Func.Call: i32 zero-extended,
// floats as IEEE bits) or as typed Values (Func.CallValues, which also
// carries v128 and references).
//
// Host functions are defined with NewHostModule: Func takes an ordinary Go
// function (numeric parameters and results, *Func for funcref and any for
// externref, optionally a leading context.Context and *Caller, optionally a
// trailing error), RawFunc takes the allocation-free form that reads
// parameters from and writes results to a slot slice, and RawRefFunc adds
// a parallel slice of reference values. A host function aborts the call by returning an error
// (Func) or panicking with one (RawFunc); any other panic becomes a trap
// with code TrapHostPanic. A *Caller gives access to the calling
// instance's memory.
//
// Interruption: RuntimeConfig.Fuel bounds each call's function entries and
// loop iterations, a FuelSource (RuntimeConfig.FuelSource,
// ModuleConfig.FuelSource, e.g. a FuelTank) is one budget that every call
// draws from, and a cancelled context stops a running call at the next
// function entry or loop back-edge; all cost nothing when unused.
//
// Resource limits: a Limiter (RuntimeConfig.Limiter, ModuleConfig.Limiter)
// approves the initial size and every growth of memories and tables, so an
// embedder can cap their total over a whole guest.
// Deep recursion, including recursion through host functions whatever
// context they pass on, traps with "call stack exhausted" when the frame
// stack reaches RuntimeConfig.MaxStackBytes (or MaxCallDepth frames when
// set), or host functions calling back into wasm nest deeper than
// MaxHostReentry.
//
// Errors: compilation errors wrap wasm.ErrMalformed or wasm.ErrInvalid;
// link errors are *LinkError (errors.Is(err, ErrLink)); traps are *Trap
// with the specification's message and a wasm backtrace; fuel exhaustion
// is ErrFuelExhausted and cancellation returns the context's error. When a
// module carries DWARF line information (C compiled with -g, for example),
// each trap frame's Source gives the function, file, line and column, and
// the trap's message names the first such position. A
// WebAssembly exception that no handler catches is a *Trap with code
// TrapUncaughtException whose Exception field holds the tag and payload;
// such a trap returned by a host function is rethrown into the calling
// wasm code, so exceptions cross host frames.
//
// Features: the zero RuntimeConfig accepts WebAssembly 3.0
// (DefaultFeatures): 2.0 with tail calls, extended constant expressions,
// multi-memory, memory64, relaxed SIMD (with fixed deterministic results),
// exception handling (including the legacy instructions), typed function
// references and GC (objects are ordinary Go values: a Value's Ref holds a
// *Func, nil, or the engine's struct, array and i31 values).
// RuntimeConfig.Features chooses another set: wasm.Features2 for 2.0,
// single proposals added or removed with | and &^, threads (shared
// memories and atomics) added with wasm.FeatureThreads. A module that needs
// a proposal the runtime does not enable fails to compile with a
// *FeatureError that names it.
//
// Concurrency: a Runtime and a CompiledModule are safe for concurrent use.
// An Instance (and its Funcs, Memories, Tables and Globals) must not be
// used from two goroutines at the same time. WebAssembly threads are
// separate instances of a module, one per goroutine, importing the same
// shared memory; memory.atomic.wait blocks the calling goroutine and
// honours context cancellation.
package kiln
