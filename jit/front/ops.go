package front

import (
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// numericOp is the IR operation of a fixed-signature numeric instruction.
type numericOp struct {
	op ir.Op
	t  ir.Type // operand type
	to ir.Type // result type
}

// numeric maps the numeric instructions the front end compiles. The
// specification numbers each group in the same order for both widths, so
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
		numeric[g.eqz] = numericOp{ir.OpEqz, g.t, ir.I32}
		for i, op := range compare {
			numeric[g.eq+wasm.Opcode(i)] = numericOp{op, g.t, ir.I32}
		}
		for i, op := range unary {
			numeric[g.clz+wasm.Opcode(i)] = numericOp{op, g.t, g.t}
		}
		for i, op := range binary {
			numeric[g.add+wasm.Opcode(i)] = numericOp{op, g.t, g.t}
		}
		numeric[g.ext8] = numericOp{ir.OpExt8S, g.t, g.t}
		numeric[g.ext16] = numericOp{ir.OpExt16S, g.t, g.t}
		if g.ext32 != 0 {
			numeric[g.ext32] = numericOp{ir.OpExt32S, g.t, g.t}
		}
	}
	fcompare := []ir.Op{ir.OpFEq, ir.OpFNe, ir.OpFLt, ir.OpFGt, ir.OpFLe, ir.OpFGe}
	funary := []ir.Op{ir.OpFAbs, ir.OpFNeg, ir.OpFCeil, ir.OpFFloor, ir.OpFTrunc, ir.OpFNearest, ir.OpFSqrt}
	fbinary := []ir.Op{ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv, ir.OpFMin, ir.OpFMax, ir.OpFCopysign}
	for _, g := range []struct {
		t            ir.Type
		eq, abs, add wasm.Opcode
	}{
		{ir.F32, wasm.OpF32Eq, wasm.OpF32Abs, wasm.OpF32Add},
		{ir.F64, wasm.OpF64Eq, wasm.OpF64Abs, wasm.OpF64Add},
	} {
		for i, op := range fcompare {
			numeric[g.eq+wasm.Opcode(i)] = numericOp{op, g.t, ir.I32}
		}
		for i, op := range funary {
			numeric[g.abs+wasm.Opcode(i)] = numericOp{op, g.t, g.t}
		}
		for i, op := range fbinary {
			numeric[g.add+wasm.Opcode(i)] = numericOp{op, g.t, g.t}
		}
	}
	for op, no := range map[wasm.Opcode]numericOp{
		wasm.OpI32WrapI64:        {ir.OpWrap, ir.I64, ir.I32},
		wasm.OpI64ExtendI32S:     {ir.OpExtendS, ir.I32, ir.I64},
		wasm.OpI64ExtendI32U:     {ir.OpExtendU, ir.I32, ir.I64},
		wasm.OpI32TruncF32S:      {ir.OpTruncS, ir.F32, ir.I32},
		wasm.OpI32TruncF32U:      {ir.OpTruncU, ir.F32, ir.I32},
		wasm.OpI32TruncF64S:      {ir.OpTruncS, ir.F64, ir.I32},
		wasm.OpI32TruncF64U:      {ir.OpTruncU, ir.F64, ir.I32},
		wasm.OpI64TruncF32S:      {ir.OpTruncS, ir.F32, ir.I64},
		wasm.OpI64TruncF32U:      {ir.OpTruncU, ir.F32, ir.I64},
		wasm.OpI64TruncF64S:      {ir.OpTruncS, ir.F64, ir.I64},
		wasm.OpI64TruncF64U:      {ir.OpTruncU, ir.F64, ir.I64},
		wasm.OpI32TruncSatF32S:   {ir.OpTruncSatS, ir.F32, ir.I32},
		wasm.OpI32TruncSatF32U:   {ir.OpTruncSatU, ir.F32, ir.I32},
		wasm.OpI32TruncSatF64S:   {ir.OpTruncSatS, ir.F64, ir.I32},
		wasm.OpI32TruncSatF64U:   {ir.OpTruncSatU, ir.F64, ir.I32},
		wasm.OpI64TruncSatF32S:   {ir.OpTruncSatS, ir.F32, ir.I64},
		wasm.OpI64TruncSatF32U:   {ir.OpTruncSatU, ir.F32, ir.I64},
		wasm.OpI64TruncSatF64S:   {ir.OpTruncSatS, ir.F64, ir.I64},
		wasm.OpI64TruncSatF64U:   {ir.OpTruncSatU, ir.F64, ir.I64},
		wasm.OpF32ConvertI32S:    {ir.OpConvertS, ir.I32, ir.F32},
		wasm.OpF32ConvertI32U:    {ir.OpConvertU, ir.I32, ir.F32},
		wasm.OpF32ConvertI64S:    {ir.OpConvertS, ir.I64, ir.F32},
		wasm.OpF32ConvertI64U:    {ir.OpConvertU, ir.I64, ir.F32},
		wasm.OpF64ConvertI32S:    {ir.OpConvertS, ir.I32, ir.F64},
		wasm.OpF64ConvertI32U:    {ir.OpConvertU, ir.I32, ir.F64},
		wasm.OpF64ConvertI64S:    {ir.OpConvertS, ir.I64, ir.F64},
		wasm.OpF64ConvertI64U:    {ir.OpConvertU, ir.I64, ir.F64},
		wasm.OpF32DemoteF64:      {ir.OpDemote, ir.F64, ir.F32},
		wasm.OpF64PromoteF32:     {ir.OpPromote, ir.F32, ir.F64},
		wasm.OpI32ReinterpretF32: {ir.OpReinterpret, ir.F32, ir.I32},
		wasm.OpI64ReinterpretF64: {ir.OpReinterpret, ir.F64, ir.I64},
		wasm.OpF32ReinterpretI32: {ir.OpReinterpret, ir.I32, ir.F32},
		wasm.OpF64ReinterpretI64: {ir.OpReinterpret, ir.I64, ir.F64},
	} {
		numeric[op] = no
	}
	for op, no := range numeric {
		if op < wasm.Opcode(len(numericByte)) {
			numericByte[op] = no
		}
	}
}

// numericByte is numeric's one-byte opcodes (OpInvalid: none), looked
// up for every instruction.
var numericByte [256]numericOp

// numericOf looks op up in numeric.
func numericOf(op wasm.Opcode) (numericOp, bool) {
	if op < wasm.Opcode(len(numericByte)) {
		no := numericByte[op]
		return no, no.op != ir.OpInvalid
	}
	no, ok := numeric[op]
	return no, ok
}

// irType maps a wasm value type to the IR's. References of every type
// are i64 handles (0 is null; see jit/rt): the IR only moves them, and
// the instructions that look into them are not compiled.
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
	if t.IsRef() {
		return ir.I64, true
	}
	return ir.None, false
}

// Numeric is the IR operation of fixed-signature numeric instruction op
// and its result type: for compilers that read wasm without building IR
// (codegen's baseline), so that both name an instruction the same way.
func Numeric(op wasm.Opcode) (ir.Op, ir.Type, bool) {
	no, ok := numericOf(op)
	return no.op, no.to, ok
}

// IRType is irType for other compilers.
func IRType(t wasm.ValType) (ir.Type, bool) { return irType(t) }
