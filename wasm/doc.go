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
//   - The encoding of ValType holds typed references and GC heap types
//     (22-bit type indices), and MemoryType/TableType carry 64-bit limits
//     and a shared flag. Module.Types keeps a FuncType per defined type (an
//     empty placeholder for GC struct and array types) so that engines
//     index signatures directly; Module.SubTypes describes every type
//     (kind, fields, supertypes, recursion group). Tags, tag imports and
//     table initialisers complete the 3.0 module.
package wasm

//go:generate go run ./internal/opgen opcodes.txt opcodes_gen.go
