package interp

import "github.com/kilnrt/kiln/wasm"

// Superinstructions: the translator fuses an instruction with the one that
// produced one of its operands just before (see producer), when the pair
// is frequent on the bench workloads (counted with bench/cmd/pairs). The
// producer's result slot is a dead operand-stack temporary afterwards, so
// the fused instruction only writes the consumer's result; it reads the
// producer's operands when it runs, which is safe because nothing runs in
// between.

// operandFusion returns the fused instruction for a commutative binary
// consumer op one of whose operands was produced by prod, or 0.
func operandFusion(op wasm.Opcode, prod opcode) (opcode, wasm.ValType) {
	switch {
	case op == wasm.OpI32Xor && prod == opI32ShlK:
		return opI32XorShlK, wasm.I32
	case op == wasm.OpI32Xor && prod == opI32ShrUK:
		return opI32XorShrUK, wasm.I32
	case op == wasm.OpI32Add && prod == opI32MulK:
		return opI32AddMulK, wasm.I32
	case op == wasm.OpI64Xor && prod == opI64ShlK:
		return opI64XorShlK, wasm.I64
	case op == wasm.OpI64Xor && prod == opI64ShrUK:
		return opI64XorShrUK, wasm.I64
	}
	return 0, 0
}

// fuse emits op fused with the last instruction if a superinstruction
// covers the pair, and reports whether it did.
func (t *translator) fuse(op wasm.Opcode) bool {
	if len(t.stack) < 2 {
		return false
	}
	last, ok := t.producer()
	if !ok {
		return false
	}
	x, y := &t.stack[len(t.stack)-2], &t.stack[len(t.stack)-1]
	if last.op == opI32Xor && y.kind == eConst && x.kind == eSlot && x.slot == last.a {
		// A constant operation on a xor: rotl(b ^ c, k) (a rotate right by
		// k is a rotate left by 32-k) or (b ^ c) * k.
		fused, k := opcode(0), y.k
		switch op {
		case wasm.OpI32Rotl:
			fused, k = opI32XorRotlK, k&31
		case wasm.OpI32Rotr:
			fused, k = opI32XorRotlK, (32-k&31)&31
		case wasm.OpI32Mul:
			fused = opI32XorMulK
		default:
			return false
		}
		t.dropLast()
		t.stack = t.stack[:len(t.stack)-2]
		dst := t.pushSlot(wasm.I32)
		t.emitDst(instr{op: fused, a: dst, b: last.b, c: last.c, imm: k})
		return true
	}
	fused, typ := operandFusion(op, last.op)
	if fused == 0 {
		return false
	}
	var other *entry
	switch {
	case y.kind == eSlot && y.slot == last.a && x.kind != eConst:
		other = x
	case x.kind == eSlot && x.slot == last.a && y.kind == eLocal:
		other = y
	default:
		return false
	}
	t.dropLast()
	os := t.operand(other)
	t.stack = t.stack[:len(t.stack)-2]
	dst := t.pushSlot(typ)
	t.emitDst(instr{op: fused, a: dst, b: os, c: last.b, imm: last.imm})
	return true
}

// emitBr emits an unconditional branch and fuses the instruction before
// it, if it is a constant, a copy or an i32 increment, into a form that
// also executes the branch. The branch stays in place (jumps to it, and
// the binding of its target, are unaffected). It returns the branch's
// index.
func (t *translator) emitBr(in instr) int {
	br := t.emit(in)
	if br == 0 {
		return br
	}
	switch prev := &t.code.instrs[br-1]; prev.op {
	case opConst:
		prev.op = opConstBr
	case opCopy:
		prev.op = opCopyBr
	case opI32AddK:
		prev.op = opI32AddKBr
	}
	return br
}

// mirrored is the comparison with its operands swapped.
var mirrored = map[opcode]opcode{
	opBrI32Eq: opBrI32Eq, opBrI32Ne: opBrI32Ne,
	opBrI32LtS: opBrI32GtS, opBrI32LtU: opBrI32GtU, opBrI32GtS: opBrI32LtS, opBrI32GtU: opBrI32LtU,
	opBrI32LeS: opBrI32GeS, opBrI32LeU: opBrI32GeU, opBrI32GeS: opBrI32LeS, opBrI32GeU: opBrI32LeU,
}
