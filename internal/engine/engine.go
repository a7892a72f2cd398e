package engine

import (
	"context"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Engine compiles and runs wasm functions. Its code values (what
// store.Function.Code holds for the functions it compiled) are its own
// business: other engines and the root package only ask Owns.
type Engine interface {
	// Name identifies the engine in errors, statistics and compilation
	// cache keys.
	Name() string
	// NewCompiler returns a compiler for the function bodies of module m.
	NewCompiler(m *wasm.Module) Compiler
	// Owns reports whether code (a store.Function's Code) is this
	// engine's, that is whether its Executors call it directly.
	Owns(code any) bool
	// CodeFormat identifies the serialized form AppendCodes writes; it
	// changes whenever that form or the code's meaning does, so that
	// cache entries written by another build are recognisably foreign.
	CodeFormat() uint32
	// AppendCodes appends the serialized form of a module's codes (as
	// Compiler.Codes returned them) to b.
	AppendCodes(b []byte, codes []any) ([]byte, error)
	// DecodeCodes decodes what AppendCodes wrote for module m, which
	// must be all of b and come from an authenticated source (code is
	// trusted to be safe). With alias, the codes may use b in place; it
	// must then never be modified.
	DecodeCodes(m *wasm.Module, b []byte, alias bool) ([]any, error)
	// NewExecutor returns an execution context: the stacks of one thread
	// of execution, reused call after call.
	NewExecutor(cfg ExecConfig) Executor
}

// Keyed is an Engine whose code depends on more than kiln's build and
// the engine's name (the host CPU's features, options that shape the
// code): CacheKey names all of it, for the keys of compilation caches,
// and DecodeCodes refuses code made under another key.
type Keyed interface {
	CacheKey() string
}

// Compiler compiles one module's functions in the validator's single
// pass over the code section.
type Compiler interface {
	// Visitor is the visitor factory validator.ValidateModule takes.
	Visitor(funcIndex uint32) validator.FuncVisitor
	// Codes returns the code of every defined function, in definition
	// order, once validation succeeded. A code may be another engine's: an
	// engine with a fallback (the JIT, over the interpreter) runs the
	// fallback's compiler on every function in the same pass and returns
	// its code for the functions it does not compile; the runtime lists
	// the fallback among its engines to run them.
	Codes() []any
}

// Validator is a Compiler that drives validation itself, for example
// on several goroutines, or translating some bodies in a second pass
// (the JIT and its fallback): the runtime calls Validate instead of
// validator.ValidateModule with Visitor, then Codes. Its errors are
// validation's, as ValidateModule's would be.
type Validator interface {
	Validate(features wasm.Features) error
}

// ExecConfig configures an Executor.
type ExecConfig struct {
	Limits StackLimits
	// Sampling, when not nil, takes stack samples of every Run.
	Sampling *Sampling
	// Foreign calls the functions whose code the engine does not own.
	// Without it such a call is an internal-error trap.
	Foreign Caller
	// Tierer, when not nil, is told of hot functions (see Tiered).
	Tierer Tierer
}

// Executor runs one call at a time. It is not safe for concurrent use.
type Executor interface {
	// Slots returns the bottom n value slots (a v128 takes two, a
	// reference lives in the parallel refs slot), where Run reads f's
	// arguments and leaves its results.
	Slots(n int) ([]uint64, []any)
	// Run calls f (a wasm function this engine owns, or a host function)
	// spending fuel, which it leaves updated (not given back to its
	// source: the caller does that, or goes on spending it).
	// A context carrying a nest (WithNest) continues the accounting of
	// the execution that made it. The error is nil, a *store.Trap,
	// ErrFuelExhausted, the context's error or a host function's error.
	Run(ctx context.Context, f *store.Function, fuel *Fuel) error
}

// Caller calls a function compiled by another engine for a running
// execution: ctx carries that execution's nest (WithNest), slots and
// refs hold the arguments on entry and receive the results (they are
// as long as the larger of the two), and fuel is the execution's fuel
// state, spent in place.
type Caller interface {
	CallForeign(ctx context.Context, f *store.Function, slots []uint64, refs []any, fuel *Fuel) error
}

// SlotCount returns the number of value slots the values of types
// occupy: one each, two for a v128. It is the calling convention of
// Executor.Slots and Caller, common to every engine.
func SlotCount(types []wasm.ValType) int {
	n := 0
	for _, t := range types {
		n++
		if t == wasm.V128 {
			n++
		}
	}
	return n
}
