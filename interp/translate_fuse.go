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
	if (op == wasm.OpI32Rotl || op == wasm.OpI32Rotr) && last.op == opI32Xor &&
		y.kind == eConst && x.kind == eSlot && x.slot == last.a {
		// rotl(b ^ c, k); a rotate right by k is a rotate left by 32-k.
		k := y.k & 31
		if op == wasm.OpI32Rotr {
			k = (32 - k) & 31
		}
		t.dropLast()
		t.stack = t.stack[:len(t.stack)-2]
		dst := t.pushSlot(wasm.I32)
		t.emitDst(instr{op: opI32XorRotlK, a: dst, b: last.b, c: last.c, imm: k})
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
