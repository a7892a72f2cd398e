package engine

import (
	"context"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Tiering (EngineAuto with a JIT): every function is compiled by a quick
// engine (the interpreter), which counts calls of its code; a Tierer
// compiles the hot ones with a faster engine in the background and
// promotes their code, after which the quick engine's executors (and the
// root package's calls) run the faster code. The two codes of a function
// have the same results, traps, fuel and stack accounting, so the moment
// of the switch is not observable but in time.

// Tiered is implemented by code that a faster engine's code may replace
// (the interpreter's). Its methods are safe for concurrent use.
type Tiered interface {
	// Count makes the code count its calls: after calls of them an
	// executor reports it to its Tierer (once). tag is the Tierer's.
	Count(calls int32, tag any)
	// Tag returns what Count was given.
	Tag() any
	// Promote makes later calls run code, another engine's code for the
	// same function (nil: stop counting, the code stays as it is). A
	// Tierer may promote a code again, to a faster tier's code (the
	// baseline's, then the optimising pipeline's); it passes nil only
	// to a code not promoted yet.
	Promote(code any)
	// Promoted returns the code Promote gave, or nil.
	Promoted() any
}

// Tierer compiles hot functions in the background (ExecConfig.Tierer).
type Tierer interface {
	// Track makes the codes of module m (compiled by the quick engine,
	// valid with features) count their calls.
	Track(m *wasm.Module, features wasm.Features, codes []any)
	// Hot reports that f's code was called enough to be worth compiling.
	// It is called on the executing goroutine and returns at once.
	Hot(f *store.Function)
}

// WholeCompiler is a Tierer that also compiles whole modules with the
// faster engine, in the background: a runtime with a compilation cache
// stores that code, so that later runs start with it.
type WholeCompiler interface {
	// CompileWhole compiles every function of m it can, at background
	// priority and one at a time, and calls done (on its goroutine) with
	// the codes: the faster engine's, and its fallback's for the others;
	// nil when it failed. m's codes in use are not changed.
	CompileWhole(m *wasm.Module, features wasm.Features, done func(codes []any))
}

// CodeRunner is an Executor that runs a function with a code other than
// its store.Function.Code: the code that replaced it (Tiered.Promoted).
type CodeRunner interface {
	RunCode(ctx context.Context, f *store.Function, code any, fuel *Fuel) error
}

// LoopRunner is a CodeRunner that can also continue a function in the
// middle of a call (on-stack replacement): at the head of the loop whose
// loop instruction is at byte offset loop of the module binary, with
// the function's locals (numbers, one slot each) in the first locals
// slots of Slots. The results are left in Slots as by Run. It reports
// false, having run nothing, when code has no entry at that loop; the
// caller then goes on as it was.
type LoopRunner interface {
	RunLoop(ctx context.Context, f *store.Function, code any, loop int, locals int, fuel *Fuel) (bool, error)
}

// LoopCaller is a Caller that continues a running call of f in the code
// f's code was promoted to (LoopRunner): the caller's frame of f, at a
// back-edge to the loop at offset loop, ends, and the promoted code
// runs the rest of the call. slots hold the locals (the first locals
// slots) on entry and receive the results; they are as long as the
// larger of the two. Fuel is spent in place, and the back-edge's unit
// is the caller's to charge, before the call.
type LoopCaller interface {
	CallForeignLoop(ctx context.Context, f *store.Function, loop int, slots []uint64, locals int, fuel *Fuel) (bool, error)
}
