// Package store holds the runtime objects that every kiln engine shares:
// linear memories, tables, globals, function instances (wasm or host),
// module instances with their element and data segments, the canonical
// function-type registry and the trap codes.
//
// Invariants:
//   - Objects are plain data owned by the embedder's Runtime; engines read and
//     write them directly from their hot paths, so fields are exported and
//     methods are small and allocation-free except where they grow.
//   - A reference value is a Go `any` kept in a place the garbage collector
//     scans: nil is the null reference, a funcref is a *Function, an
//     externref is whatever Go value the embedder passed in. References are
//     never encoded in integers.
//   - Memory contents live outside the Go heap (mmap on unix). A memory
//     reserves address space up to its maximum and never moves on 64-bit
//     hosts (on 32-bit hosts only shared memories do); Buf's length changes
//     when it grows, so engines reload Memory.Buf after anything that can
//     grow it (memory.grow, any call).
//   - Defined types are interned per Types registry under the iso-recursive
//     equivalence of the GC proposal: two functions have the same TypeID
//     exactly when their types are equivalent, which makes the
//     call_indirect signature check a single integer comparison (declared
//     subtypes are found by walking Type.Super).
//   - Whoever writes Table.Elems calls Table.Wrote for the range (Grow
//     does by itself): a table keeps the call indices' views of it
//     (CallIndex, table_index.go, what JIT code reads for call_indirect)
//     in sync that way. Without a view Wrote is a load and a compare.
//   - GC objects (Struct, Array, I31) are ordinary Go values in reference
//     slots (see gc.go for the representation of every reference).
package store
