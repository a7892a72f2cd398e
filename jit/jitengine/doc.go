// Package jitengine is the JIT as a kiln engine (internal/engine): it
// compiles what the back end supports to machine code and leaves every
// other function to a fallback engine (the interpreter), function by
// function.
//
// Compilation (Validate, pipeline.go) runs the validator on every
// core with the JIT front end as its visitor; each function is
// optimised and compiled to machine code as soon as its body ends, its
// IR released for the next, and the fallback's compiler then translates
// only the functions left to it, in a second pass over their bodies
// (Visitor, which tees one pass into both, serves callers that validate
// themselves). The functions whose IR the back end takes (jit/codegen
// on amd64, jit/arm64gen on arm64, named only in backend_*.go; memory 0 32-bit and
// unshared, defined or imported: the executor reloads its base and
// length after every call out, during which another instance may have
// grown it; no imported mutable global, which another import may alias) are compiled into one block of machine code for the module,
// and Codes returns a *Code for each of them and the fallback's code for
// the others.
//
// Execution: an executor runs *Code on its own machine stacks (one per
// nesting level; unmapped by a finalizer when a pool drops the executor).
// Globals are copied into words outside the Go heap that
// machine code addresses through rt.Ctx, and back before anything else
// can observe them (return, trap, call out). References in machine code
// are handles into the executor's refTable (refs.go): interned, held
// where the garbage collector sees them, converted at every boundary
// (entry arguments and results, calls out, globals, table and ref.func
// exits) and forgotten when the outermost Run returns. It serves the exits: fuel refills from engine.Fuel
// (same units as the interpreter; machine code gets at most
// yieldQuantum units at a time, fuel or not, and the executor yields the
// processor when they are spent, since Go cannot preempt machine code), context cancellation (polled when the
// budget is spent, so within yieldQuantum units), memory.grow on the instance's memory,
// call_indirect (the element resolved and type-checked as the
// interpreter does; compiled code of the same instance is handed back
// to machine code to call), and calls to functions not compiled, which run on the fallback
// engine's executor (host functions, interpreter code) or, for another
// module's compiled code, on this executor one stack deeper, and the
// bulk-memory, table and reference instructions machine code leaves to
// Go (runtime.go: bulk fuel and bounds as the interpreter checks
// them, before any write). A call depth limit is kept by code
// compiled to count depth (Engine.CountDepth, depth.go), and
// Engine.WritePerfMap has it write a perf map of the code (perfmap.go).
// Traps are
// *store.Trap with the interpreter's backtrace (frames.go): Go
// walks the machine stack from the last exit with the back end's
// return-address sites (rt.Site) and appends the frames of the callers below, of
// any engine, as each level returns the trap.
// Compiled code cannot be cached (AppendCodes fails but for no code).
//
// Tiering (NewTiering, EngineAuto): a Tierer makes the interpreter's
// codes count their calls and loop back-edges (engine.Tiered); a hot
// function is queued, and one goroutine compiles what is queued (on a
// low-priority thread of its own, background_linux.go, one function
// after another: the program keeps its core), in batches of a few of a
// module's functions (tier.go: batchBytes, hottest first; their bodies
// re-read through the module's validator.Funcs into the front end), linked to the module's
// other batches through a table of entries outside the Go heap
// (codegen.CompileLinked), then promotes each code it compiled. The
// executor runs promoted code for the interpreter (RunCode, through the
// root package's Caller) and hands its entry back to machine code on
// ExitCall and ExitCallIndirect, as it does for code compiled with the
// caller. The executor points Ctx.Tables at the running instance's call
// index (store.CallIndex, index.go) and records there the entry
// an ExitCallIndirect resolves to compiled code of the same instance, so
// that machine code calls it directly through the table from then on.
//
// Baseline (Baseline, EngineBaseline; baseline.go): the module's bodies
// go through the back end's one-pass baseline compiler
// (codegen.Baseline) in the validator's pass, and those it does not take
// through the optimising pipeline in a second pass. Tiering up from it
// (NewTieredBaseline, EngineJIT; tierup.go): the baseline's code calls
// through the module's link table at Ctx.Links; the executor samples
// the top frame at budget exits spaced about tierQuantum units apart,
// and the tierer above compiles the functions sampled hotSamples times
// again, optimised, and writes their entries into that table. Under
// EngineAuto on such a back end the interpreter's warm functions
// (WarmCalls) are compiled by the baseline first, in batches over the
// same kind of table (tier.go: compileBaseline), and then tier up from
// there the same way: three tiers. An interpreted frame of a function
// promoted while it runs continues in the baseline's code at a loop
// head (loops.go: RunLoop, the baseline's rt.LoopEntry).
package jitengine
