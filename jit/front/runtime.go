package front

import (
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// runtimeOps maps the bulk-memory, table and reference instructions that
// become one IR operation with the instruction's immediates in Aux.
var runtimeOps = map[wasm.Opcode]ir.Op{
	wasm.OpMemoryFill: ir.OpMemoryFill,
	wasm.OpMemoryCopy: ir.OpMemoryCopy,
	wasm.OpMemoryInit: ir.OpMemoryInit,
	wasm.OpDataDrop:   ir.OpDataDrop,
	wasm.OpTableGet:   ir.OpTableGet,
	wasm.OpTableSet:   ir.OpTableSet,
	wasm.OpTableSize:  ir.OpTableSize,
	wasm.OpTableGrow:  ir.OpTableGrow,
	wasm.OpTableFill:  ir.OpTableFill,
	wasm.OpTableCopy:  ir.OpTableCopy,
	wasm.OpTableInit:  ir.OpTableInit,
	wasm.OpElemDrop:   ir.OpElemDrop,
	wasm.OpRefFunc:    ir.OpRefFunc,
	// ref.null and ref.is_null are plain values on handles.
	wasm.OpRefNull:   ir.OpConst,
	wasm.OpRefIsNull: ir.OpEqz,
}

// runtime builds a bulk-memory, table or reference instruction. Its
// operands are the validator's (s.In), which must be the IR types the
// operation takes: 64-bit memories and tables stay unsupported.
func (v *Visitor) runtime(in *wasm.Instr, s *validator.State, op ir.Op) error {
	if err := CheckRuntime(in, s, op); err != nil {
		return err
	}
	switch op {
	case ir.OpConst:
		v.push(v.cur.Const(ir.I64, 0))
		return nil
	case ir.OpEqz:
		v.push(v.cur.Append(ir.OpEqz, ir.I32, 0, v.pop()))
		return nil
	}
	args := append([]*ir.Value(nil), v.top(len(s.In))...)
	v.stack = v.stack[:len(v.stack)-len(s.In)]
	t := ir.None
	if len(s.Out) == 1 {
		t, _ = irType(s.Out[0])
	}
	val := v.cur.Append(op, t, int64(in.Index)|int64(in.Index2)<<32, args...)
	if t != ir.None {
		v.push(val)
	}
	return nil
}

// CheckRuntime says (wrapping ErrUnsupported) why runtime instruction
// in (of IR operation op, Runtime's) cannot be compiled: an operand of
// a 64-bit memory or table, or a memory other than memory 0.
func CheckRuntime(in *wasm.Instr, s *validator.State, op ir.Op) error {
	name := in.Op.Info().Name
	for _, ts := range [][]wasm.ValType{s.In, s.Out} {
		for _, t := range ts {
			if t != wasm.I32 && !t.IsRef() {
				return unsupported(name + " with an operand of type " + t.String())
			}
		}
	}
	switch op {
	case ir.OpMemoryFill, ir.OpMemoryCopy, ir.OpMemoryInit:
		mem := in.Index
		if op != ir.OpMemoryFill {
			mem = in.Index2
		}
		if mem != 0 || (op == ir.OpMemoryCopy && in.Index != 0) {
			return unsupported(name + " of a memory other than memory 0")
		}
	}
	return nil
}

// Runtime is the IR operation of a bulk-memory, table or reference
// instruction (runtimeOps): ir.OpConst for ref.null, ir.OpEqz for
// ref.is_null, else one of the operations Go executes.
func Runtime(op wasm.Opcode) (ir.Op, bool) {
	rop, ok := runtimeOps[op]
	return rop, ok
}
