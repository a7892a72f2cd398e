// SIMD operation tables: each wasm v128 opcode maps to the internal/numeric
// function of the same name, grouped by signature (internal/simdops, shared
// with the JIT's IR interpreter).

package interp

import "github.com/kilnrt/kiln/internal/simdops"

var (
	simdBinary  = simdops.Binary
	simdUnary   = simdops.Unary
	simdShift   = simdops.Shift
	simdTest    = simdops.Test
	simdBitmask = simdops.Bitmask
	simdTernary = simdops.Ternary
)
