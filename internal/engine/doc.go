// Package engine is the boundary between kiln's embedding API (the root
// package) and its execution engines (the interpreter, package interp;
// a JIT later). It holds what every engine implements (Engine, Compiler,
// Executor) and the state a thread of execution shares across engines:
// stack limits and the host re-entry nest (StackLimits, WithNest), fuel
// (FuelSource, Fuel, ErrFuelExhausted), the interruption word (Interrupt)
// and stack sampling for the profiler (Sampling).
//
// Dependencies flow one way: the root package -> engine implementations
// -> engine (-> store, validator, wasm). An engine never imports the root
// package or another engine.
//
// Functions of one module may be compiled by different engines (a JIT
// leaves to the interpreter the functions it cannot compile). An engine
// calls its own functions directly; a function whose store.Function.Code
// it does not own is called through the Caller its Executor was given, as
// a host function is called: the callee's Executor continues the caller's
// depth and stack-byte accounting through the nest in the context
// (WithNest) and spends the caller's fuel (Fuel is handed over by
// pointer), and its traps, fuel exhaustion and uncaught
// exceptions come back as the call's error.
//
// Tiering (tier.go): a quick engine's code may be promoted to a faster
// engine's while it runs (Tiered, Tierer, CodeRunner).
package engine
