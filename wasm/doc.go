// Package wasm is the data model every other kiln package shares: value,
// reference and composite types, the decoded Module and its parts, the
// instruction set (opcodes, immediates and static signatures) and the
// feature flags that select which proposals are accepted.
//
// Invariants:
//   - The package has no behaviour beyond small, allocation-free helpers; it
//     does not decode, validate or execute anything. decoder produces a
//     *Module, validator checks it, engines run it.
//   - A Module is plain data. After validation it is treated as immutable and
//     may be shared between goroutines.
//   - Index spaces (functions, tables, memories, globals) start with the
//     imports, in import order, followed by the module's own definitions,
//     exactly as in the specification.
//   - The encoding of ValType leaves room for typed references and GC heap
//     types, and MemoryType/TableType carry 64-bit limits and a shared flag,
//     so memory64, multi-memory, threads and GC fit without a redesign.
package wasm

//go:generate go run ./internal/opgen opcodes.txt opcodes_gen.go
