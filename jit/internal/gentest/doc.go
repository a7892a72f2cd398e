// Package gentest runs the JIT back ends' machine code in tests: a
// harness that executes a module's compiled functions on an rt.Stack,
// serving their exits, with every function not compiled run on its IR
// (ir.Run), and the checks both back ends pass (numeric operations and
// random modules against ir.Run, the 2.0 suite's assertions natively).
// jit/codegen (amd64) and jit/arm64gen (arm64, under qemu-aarch64 in
// CI) give it a Backend.
package gentest
