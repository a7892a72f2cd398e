// Package jit will be kiln's optimising compiler from WebAssembly to
// machine code. It is being built bottom-up; this package holds no code
// yet, only the plan its subpackages follow (docs/architecture.md, "JIT (in
// progress)", has the state of each part).
//
// Pipeline (per function, independent of other functions so functions can
// compile in parallel):
//
//	wasm body --validator + front.Visitor--> ir.Func (SSA, block params)
//	          --opt passes (fold, GVN, LICM, DCE, bounds-check elimination)-->
//	          --ISA back end (amd64/: isel, register allocation, encoding)-->
//	          machine code + metadata (features used, trap sites, stack maps)
//
// Subpackages:
//   - ir: the SSA IR, its verifier, printer and reference interpreter
//     (Run), against which the front end and passes are tested.
//   - front: a validator.FuncVisitor that builds ir.Funcs in the
//     validator's single pass over the bytes (no second type checker).
//   - opt: optimisation passes over ir.Func.
//   - rt: the runtime contract with machine code: W^X code memory,
//     machine stacks with their execution context, the entry trampoline
//     and exit codes.
//   - codegen: the amd64 back end: register allocation and instruction
//     selection from ir.Func to code that follows rt's contract.
//   - jitengine: the JIT as a kiln engine (internal/engine), with
//     per-function fallback to another engine.
//
// The x86-64 encoder and CPU feature selection are in package amd64 at the
// repository root, as other ISAs will be (arm64/).
package jit
