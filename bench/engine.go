package bench

import (
	"context"
	"io"
)

// Kind says which family of engine a runtime configuration belongs to; the
// ratio report pairs engines across runtimes.
type Kind string

// Engine kinds.
const (
	Interpreter Kind = "interpreter"
	Compiler    Kind = "compiler"
)

// Engine is one runtime configuration under test. An Engine owns its
// runtime; Close releases it. Every engine provides the host module "env"
// with host_inc(i32) -> i32 (returns its argument plus one) so that
// calls.wasm can be instantiated.
type Engine interface {
	// Name identifies the engine in benchmark names, e.g. "wazero-interp".
	Name() string
	// Runtime is the runtime's name ("kiln", "wazero").
	Runtime() string
	Kind() Kind
	// Compile decodes, validates and translates a binary.
	Compile(ctx context.Context, bin []byte) (Compiled, error)
	Close(ctx context.Context) error
}

// CacheLoader is an Engine whose runtime has a compilation cache kept in
// a directory (the load group).
type CacheLoader interface {
	// Caches reports whether the engine's compiled code is cached at all
	// (wazero caches its compiler's code only).
	Caches() bool
	// CachedCompiler returns compile, which compiles a binary in a new
	// runtime of the engine's configuration whose compilation cache is
	// in dir (and closes what it compiled), and release, which closes
	// that runtime.
	CachedCompiler(ctx context.Context, dir string) (compile func(context.Context, []byte) error, release func(), err error)
}

// Compiled is a compiled module of an Engine.
type Compiled interface {
	// Instantiate makes an anonymous instance (many may coexist).
	Instantiate(ctx context.Context) (Instance, error)
	Close(ctx context.Context) error
}

// Instance is an instantiated module.
type Instance interface {
	// Func returns a caller for the exported function name.
	Func(name string) (Caller, error)
	Close(ctx context.Context) error
}

// Caller calls one exported function with raw uint64 arguments (i32 in the
// low bits, f64 as its bit pattern) and returns its raw results.
type Caller func(ctx context.Context, args ...uint64) ([]uint64, error)

// WASIEngine is implemented by engines that can run WASI preview 1
// programs.
type WASIEngine interface {
	Engine
	// CompileWASI compiles a command module (one exporting _start).
	CompileWASI(ctx context.Context, bin []byte) (WASIProgram, error)
}

// WASIProgram is a compiled WASI command.
type WASIProgram interface {
	// Run instantiates the program with args (args[0] is the program name)
	// and runs _start to completion, writing its stdout to stdout. A zero
	// exit code is success; any other is an error.
	Run(ctx context.Context, args []string, stdout io.Writer) error
	Close(ctx context.Context) error
}
