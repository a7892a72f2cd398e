package front

import (
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// numericOp is the IR operation of a fixed-signature numeric instruction.
type numericOp struct {
	op ir.Op
	t  ir.Type // operand type (the result type follows from the op)
}

// numeric maps the integer instructions the front end compiles. The
// specification numbers each group in the same order for i32 and i64, so
// the table is built from those orders.
var numeric = map[wasm.Opcode]numericOp{}

func init() {
	compare := []ir.Op{ir.OpEq, ir.OpNe, ir.OpLtS, ir.OpLtU, ir.OpGtS, ir.OpGtU, ir.OpLeS, ir.OpLeU, ir.OpGeS, ir.OpGeU}
	unary := []ir.Op{ir.OpClz, ir.OpCtz, ir.OpPopcnt}
	binary := []ir.Op{ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU,
		ir.OpAnd, ir.OpOr, ir.OpXor, ir.OpShl, ir.OpShrS, ir.OpShrU, ir.OpRotl, ir.OpRotr}
	for _, g := range []struct {
		t                  ir.Type
		eqz, eq, clz, add  wasm.Opcode
		ext8, ext16, ext32 wasm.Opcode
	}{
		{ir.I32, wasm.OpI32Eqz, wasm.OpI32Eq, wasm.OpI32Clz, wasm.OpI32Add, wasm.OpI32Extend8S, wasm.OpI32Extend16S, 0},
		{ir.I64, wasm.OpI64Eqz, wasm.OpI64Eq, wasm.OpI64Clz, wasm.OpI64Add, wasm.OpI64Extend8S, wasm.OpI64Extend16S, wasm.OpI64Extend32S},
	} {
		numeric[g.eqz] = numericOp{ir.OpEqz, g.t}
		for i, op := range compare {
			numeric[g.eq+wasm.Opcode(i)] = numericOp{op, g.t}
		}
		for i, op := range unary {
			numeric[g.clz+wasm.Opcode(i)] = numericOp{op, g.t}
		}
		for i, op := range binary {
			numeric[g.add+wasm.Opcode(i)] = numericOp{op, g.t}
		}
		numeric[g.ext8] = numericOp{ir.OpExt8S, g.t}
		numeric[g.ext16] = numericOp{ir.OpExt16S, g.t}
		if g.ext32 != 0 {
			numeric[g.ext32] = numericOp{ir.OpExt32S, g.t}
		}
	}
	numeric[wasm.OpI32WrapI64] = numericOp{ir.OpWrap, ir.I64}
	numeric[wasm.OpI64ExtendI32S] = numericOp{ir.OpExtendS, ir.I32}
	numeric[wasm.OpI64ExtendI32U] = numericOp{ir.OpExtendU, ir.I32}
}

// irType maps a wasm value type to the IR's, or false for types the IR
// does not carry (references).
func irType(t wasm.ValType) (ir.Type, bool) {
	switch t {
	case wasm.I32:
		return ir.I32, true
	case wasm.I64:
		return ir.I64, true
	case wasm.F32:
		return ir.F32, true
	case wasm.F64:
		return ir.F64, true
	case wasm.V128:
		return ir.V128, true
	}
	return ir.None, false
}
