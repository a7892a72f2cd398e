// Package numeric implements the bit-exact semantics of the WebAssembly 2.0
// numeric instructions that are not a single Go operator: float min/max and
// rounding with the spec's NaN rules, trapping integer division and
// float-to-integer truncation, saturating truncation, correctly rounded
// integer-to-float conversion, and every v128 (SIMD) operation.
//
// The interpreter calls these functions from its dispatch loop and the JIT
// uses them as fallbacks, so both engines share one definition of each
// instruction.
//
// Conventions:
//
//   - Scalar values are passed as raw bits, the way the engines store them in
//     uint64 slots: i32 and f32 as uint32, i64 and f64 as uint64. Signedness
//     is a property of the operation, not the argument type. Float results are
//     IEEE-754 bit patterns.
//   - Operations that can trap return (result, Trap); the result is zero
//     whenever the Trap is not TrapNone. Nothing in this package panics or
//     allocates.
//   - A v128 is a V128 of two little-endian uint64 halves: lane 0 of every
//     shape occupies the lowest-addressed bytes of Lo, exactly as the value is
//     laid out in linear memory.
//   - Lane indices (extract_lane, replace_lane) are immediates the validator
//     has already checked; they are masked to the lane count, never trusted.
//
// NaN results: wherever the specification produces nans{z...} (min, max,
// ceil, floor, trunc, nearest, sqrt, demote, promote and their lane-wise
// forms), the result is an input NaN with its quiet bit set, or the canonical
// NaN if no input is a NaN. A quieted canonical NaN stays canonical and a
// quieted NaN is always arithmetic, so every result is one the spec allows
// and the outcome does not depend on the host CPU's NaN handling. The sign of
// a NaN result is not specified by WebAssembly and is not normalised.
package numeric
