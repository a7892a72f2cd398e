package amd64

import "fmt"

// Operand is an argument of Inst: a Reg, a VReg, a Mem or an Imm.
type Operand interface{ toArg() arg }

// Imm is an immediate operand.
type Imm int64

func (r Reg) toArg() arg  { return gpr(r) }
func (v VReg) toArg() arg { return vec(v) }
func (m Mem) toArg() arg  { return mem(m) }
func (i Imm) toArg() arg  { return imm(int64(i)) }

// Inst emits op with operands in Intel order (destination first) at
// integer width w (WNone for vector-only instructions). It is the generic
// entry point; the typed methods below do the same without boxing their
// operands.
func (a *Assembler) Inst(op Op, w Width, ops ...Operand) {
	a.InstCC(op, 0, w, ops...)
}

// InstCC is Inst for the condition-coded instructions (SETCC, CMOVCC).
func (a *Assembler) InstCC(op Op, cc Cond, w Width, ops ...Operand) {
	var buf [4]arg
	if len(ops) > len(buf) {
		a.fail(fmt.Errorf("amd64: %v: %d operands", op, len(ops)))
		return
	}
	for i, o := range ops {
		if o == nil {
			a.fail(fmt.Errorf("amd64: %v: nil operand", op))
			return
		}
		buf[i] = o.toArg()
	}
	a.inst(op, w, cc, buf[:len(ops)])
}

// Op0 emits an instruction without operands (RET, UD2, MFENCE; CDQ at W32
// and CQO at W64).
func (a *Assembler) Op0(op Op, w Width) { a.inst(op, w, 0, nil) }

// R emits a one-register instruction: NEG, NOT, MUL, DIV, IDIV, INC, DEC,
// PUSH, POP, BSWAP, JMPIND, CALLIND.
func (a *Assembler) R(op Op, w Width, r Reg) { a.inst(op, w, 0, []arg{gpr(r)}) }

// M is R with a memory operand.
func (a *Assembler) M(op Op, w Width, m Mem) { a.inst(op, w, 0, []arg{mem(m)}) }

// RR emits op dst, src. A shift or rotate by CL is RR(SHL, w, dst, RCX).
func (a *Assembler) RR(op Op, w Width, dst, src Reg) { a.inst(op, w, 0, []arg{gpr(dst), gpr(src)}) }

// RM emits op dst, [m] (loads, load-op, LEA, MOVZX...).
func (a *Assembler) RM(op Op, w Width, dst Reg, m Mem) { a.inst(op, w, 0, []arg{gpr(dst), mem(m)}) }

// MR emits op [m], src (stores, op-store, XCHG, LOCKXADD, LOCKCMPXCHG).
func (a *Assembler) MR(op Op, w Width, m Mem, src Reg) { a.inst(op, w, 0, []arg{mem(m), gpr(src)}) }

// RI emits op dst, imm; the short sign-extended imm8 form is used when the
// value fits.
func (a *Assembler) RI(op Op, w Width, dst Reg, v int64) { a.inst(op, w, 0, []arg{gpr(dst), imm(v)}) }

// MI emits op [m], imm.
func (a *Assembler) MI(op Op, w Width, m Mem, v int64) { a.inst(op, w, 0, []arg{mem(m), imm(v)}) }

// RRR emits a three-register BMI instruction in Intel operand order
// (ANDN dst, src1, src2; SHLX dst, src, count; ...).
func (a *Assembler) RRR(op Op, w Width, dst, src1, src2 Reg) {
	a.inst(op, w, 0, []arg{gpr(dst), gpr(src1), gpr(src2)})
}

// RRI emits op dst, src, imm (IMUL3, RORX).
func (a *Assembler) RRI(op Op, w Width, dst, src Reg, v int64) {
	a.inst(op, w, 0, []arg{gpr(dst), gpr(src), imm(v)})
}

// SetCC emits set<cc> on the low byte of dst.
func (a *Assembler) SetCC(cc Cond, dst Reg) { a.inst(SETCC, WNone, cc, []arg{gpr(dst)}) }

// CMov emits cmov<cc> dst, src.
func (a *Assembler) CMov(cc Cond, w Width, dst, src Reg) {
	a.inst(CMOVCC, w, cc, []arg{gpr(dst), gpr(src)})
}

// MovImm loads a constant into dst with the shortest encoding: a 32-bit
// move (which zero-extends) when the value fits in 32 unsigned bits, a
// sign-extended 32-bit immediate when it fits in 32 signed bits, else
// MOVABS. At W32 only the low 32 bits of v are used.
func (a *Assembler) MovImm(w Width, dst Reg, v int64) {
	switch {
	case w == W32:
		a.RI(MOV, W32, dst, int64(uint32(v)))
	case w != W64:
		a.RI(MOV, w, dst, v)
	case v >= 0 && v <= 1<<32-1:
		a.RI(MOV, W32, dst, v)
	case fitsInt32(v):
		a.RI(MOV, W64, dst, v)
	default:
		a.RI(MOVABS, W64, dst, v)
	}
}

// VV emits a two-operand vector instruction: op dst, src.
func (a *Assembler) VV(op Op, dst, src VReg) { a.inst(op, WNone, 0, []arg{vec(dst), vec(src)}) }

// VM emits op dst, [m] (vector loads and load-op).
func (a *Assembler) VM(op Op, dst VReg, m Mem) { a.inst(op, WNone, 0, []arg{vec(dst), mem(m)}) }

// MV emits op [m], src (vector stores).
func (a *Assembler) MV(op Op, m Mem, src VReg) { a.inst(op, WNone, 0, []arg{mem(m), vec(src)}) }

// VI emits op dst, imm (vector shifts by an immediate).
func (a *Assembler) VI(op Op, dst VReg, v uint8) {
	a.inst(op, WNone, 0, []arg{vec(dst), imm(int64(v))})
}

// VVI emits op dst, src, imm (ROUNDSD, PSHUFD, VPSLLD...).
func (a *Assembler) VVI(op Op, dst, src VReg, v uint8) {
	a.inst(op, WNone, 0, []arg{vec(dst), vec(src), imm(int64(v))})
}

// VVV emits a three-operand VEX instruction: op dst, src1, src2.
func (a *Assembler) VVV(op Op, dst, src1, src2 VReg) {
	a.inst(op, WNone, 0, []arg{vec(dst), vec(src1), vec(src2)})
}

// VVM emits op dst, src1, [m].
func (a *Assembler) VVM(op Op, dst, src1 VReg, m Mem) {
	a.inst(op, WNone, 0, []arg{vec(dst), vec(src1), mem(m)})
}

// VR emits op dst, src with a general-register source of width w
// (CVTSI2SD, MOVD, MOVQ).
func (a *Assembler) VR(op Op, w Width, dst VReg, src Reg) {
	a.inst(op, w, 0, []arg{vec(dst), gpr(src)})
}

// RV emits op dst, src with a general-register destination of width w
// (CVTTSD2SI, MOVD, MOVQ, PMOVMSKB).
func (a *Assembler) RV(op Op, w Width, dst Reg, src VReg) {
	a.inst(op, w, 0, []arg{gpr(dst), vec(src)})
}
