package arm64

import (
	"math"
)

// Scalar floating point. The registers are VRegs viewed as H, S or D by
// the FType; half precision arithmetic needs FeatFP16.

// FType is the precision of a scalar floating-point instruction (the
// ftype field).
type FType uint8

// Precisions.
const (
	Single FType = 0 // 32-bit, S registers
	Double FType = 1 // 64-bit, D registers
	Half   FType = 3 // 16-bit, H registers (arithmetic needs FeatFP16)
)

func (t FType) String() string {
	switch t {
	case Single:
		return "single"
	case Double:
		return "double"
	case Half:
		return "half"
	}
	return "ftype(?)"
}

// ftype checks t and, for half precision arithmetic, the FP16 feature.
func (a *Assembler) ftype(t FType, name string, arith bool) (uint32, bool) {
	switch t {
	case Single, Double:
		return uint32(t) << 22, true
	case Half:
		if arith && !a.need(FeatFP16, name+" (half precision)") {
			return 0, false
		}
		return uint32(t) << 22, true
	}
	a.failf("%s: invalid precision %d", name, uint8(t))
	return 0, false
}

// FP2Op is a two-source floating-point instruction.
type FP2Op uint8

// Two-source ops, in opcode order. FMAX/FMIN return NaN if either input is
// NaN (WebAssembly's f32.max); the NM forms prefer the number.
const (
	FMUL FP2Op = iota
	FDIV
	FADD
	FSUB
	FMAX
	FMIN
	FMAXNM
	FMINNM
	FNMUL
)

var fp2Ops = []opRow{
	FMUL: {"fmul", 0 << 12}, FDIV: {"fdiv", 1 << 12}, FADD: {"fadd", 2 << 12}, FSUB: {"fsub", 3 << 12},
	FMAX: {"fmax", 4 << 12}, FMIN: {"fmin", 5 << 12}, FMAXNM: {"fmaxnm", 6 << 12}, FMINNM: {"fminnm", 7 << 12},
	FNMUL: {"fnmul", 8 << 12},
}

func (op FP2Op) String() string { return opName(fp2Ops, uint8(op), "fp2") }

// FP2 emits op rd, rn, rm at precision t.
func (a *Assembler) FP2(op FP2Op, t FType, rd, rn, rm VReg) {
	o, ok := a.row(fp2Ops, uint8(op), "fp two-source")
	if !ok {
		return
	}
	ft, ok := a.ftype(t, o.name, true)
	if ok {
		a.emit(0x1E200800 | ft | o.bits | a.vr(rm, o.name)<<16 | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
	}
}

// FP1Op is a one-source floating-point instruction.
type FP1Op uint8

// One-source ops. FRINTN/P/M/Z round to nearest even, up, down and toward
// zero (WebAssembly's nearest, ceil, floor, trunc).
const (
	FMOV FP1Op = iota
	FABS
	FNEG
	FSQRT
	FRINTN
	FRINTP
	FRINTM
	FRINTZ
	FRINTA
	FRINTX
	FRINTI
)

var fp1Ops = []opRow{
	FMOV: {"fmov", 0}, FABS: {"fabs", 1 << 15}, FNEG: {"fneg", 2 << 15}, FSQRT: {"fsqrt", 3 << 15},
	FRINTN: {"frintn", 8 << 15}, FRINTP: {"frintp", 9 << 15}, FRINTM: {"frintm", 10 << 15}, FRINTZ: {"frintz", 11 << 15},
	FRINTA: {"frinta", 12 << 15}, FRINTX: {"frintx", 14 << 15}, FRINTI: {"frinti", 15 << 15},
}

func (op FP1Op) String() string { return opName(fp1Ops, uint8(op), "fp1") }

// FP1 emits op rd, rn at precision t.
func (a *Assembler) FP1(op FP1Op, t FType, rd, rn VReg) {
	o, ok := a.row(fp1Ops, uint8(op), "fp one-source")
	if !ok {
		return
	}
	ft, ok := a.ftype(t, o.name, true)
	if ok {
		a.emit(0x1E204000 | ft | o.bits | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
	}
}

// Fcvt converts rn of precision from to rd of precision to (fcvt); the
// two differ.
func (a *Assembler) Fcvt(to, from FType, rd, rn VReg) {
	ft, ok := a.ftype(from, "fcvt", false)
	if !ok {
		return
	}
	if _, ok := a.ftype(to, "fcvt", false); !ok {
		return
	}
	if to == from {
		a.failf("fcvt: from %v to itself", to)
		return
	}
	a.emit(0x1E204000 | ft | (4|uint32(to))<<15 | a.vr(rn, "fcvt")<<5 | a.vr(rd, "fcvt"))
}

// Fcmp compares rn with rm, setting NZCV (unordered: C and V).
func (a *Assembler) Fcmp(t FType, rn, rm VReg) { a.fcmp(t, rn, a.vr(rm, "fcmp"), 0) }

// FcmpZero compares rn with +0.0.
func (a *Assembler) FcmpZero(t FType, rn VReg) { a.fcmp(t, rn, 0, 8) }

func (a *Assembler) fcmp(t FType, rn VReg, rm, opc uint32) {
	if ft, ok := a.ftype(t, "fcmp", true); ok {
		a.emit(0x1E202000 | ft | rm<<16 | a.vr(rn, "fcmp")<<5 | opc)
	}
}

// Fcsel emits fcsel rd, rn, rm, c: rd = c ? rn : rm.
func (a *Assembler) Fcsel(t FType, rd, rn, rm VReg, c Cond) {
	ft, ok := a.ftype(t, "fcsel", true)
	if !ok {
		return
	}
	if c > NV {
		a.failf("fcsel: invalid condition %d", uint8(c))
		return
	}
	a.emit(0x1E200C00 | ft | a.vr(rm, "fcsel")<<16 | uint32(c)<<12 | a.vr(rn, "fcsel")<<5 | a.vr(rd, "fcsel"))
}

// FP3Op is a fused multiply-add.
type FP3Op uint8

// Fused multiply-add ops: rd = ±ra ± rn*rm with one rounding.
const (
	FMADD FP3Op = iota
	FMSUB
	FNMADD
	FNMSUB
)

var fp3Ops = []opRow{FMADD: {"fmadd", 0}, FMSUB: {"fmsub", 1 << 15}, FNMADD: {"fnmadd", 1 << 21}, FNMSUB: {"fnmsub", 1<<21 | 1<<15}}

func (op FP3Op) String() string { return opName(fp3Ops, uint8(op), "fp3") }

// FP3 emits op rd, rn, rm, ra.
func (a *Assembler) FP3(op FP3Op, t FType, rd, rn, rm, ra VReg) {
	o, ok := a.row(fp3Ops, uint8(op), "fused multiply-add")
	if !ok {
		return
	}
	if ft, ok := a.ftype(t, o.name, true); ok {
		a.emit(0x1F000000 | ft | o.bits | a.vr(rm, o.name)<<16 | a.vr(ra, o.name)<<10 | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
	}
}

// FPIntOp converts between floating point and integers.
type FPIntOp uint8

// Conversions. FCVT?S/U round to an integer by N (nearest even), P (up),
// M (down), Z (toward zero: WebAssembly's trunc) or A (nearest, ties
// away), saturating; SCVTF and UCVTF go the other way.
const (
	FCVTNS FPIntOp = iota
	FCVTNU
	FCVTPS
	FCVTPU
	FCVTMS
	FCVTMU
	FCVTZS
	FCVTZU
	FCVTAS
	FCVTAU
	SCVTF
	UCVTF
)

// Bits: rmode (20:19) and opcode (18:16).
var fpIntOps = []opRow{
	FCVTNS: {"fcvtns", 0}, FCVTNU: {"fcvtnu", 1 << 16},
	FCVTPS: {"fcvtps", 1 << 19}, FCVTPU: {"fcvtpu", 1<<19 | 1<<16},
	FCVTMS: {"fcvtms", 2 << 19}, FCVTMU: {"fcvtmu", 2<<19 | 1<<16},
	FCVTZS: {"fcvtzs", 3 << 19}, FCVTZU: {"fcvtzu", 3<<19 | 1<<16},
	FCVTAS: {"fcvtas", 4 << 16}, FCVTAU: {"fcvtau", 5 << 16},
	SCVTF: {"scvtf", 2 << 16}, UCVTF: {"ucvtf", 3 << 16},
}

func (op FPIntOp) String() string { return opName(fpIntOps, uint8(op), "fpint") }

// FcvtToInt converts rn (precision t) to the integer rd of width w with a
// FCVT?? op.
func (a *Assembler) FcvtToInt(op FPIntOp, w Width, t FType, rd Reg, rn VReg) {
	o, ok := a.row(fpIntOps, uint8(op), "fp to int")
	if !ok || !a.width(w, o.name) {
		return
	}
	if op >= SCVTF {
		a.failf("%s: converts to floating point (IntToFP)", o.name)
		return
	}
	if ft, ok := a.ftype(t, o.name, true); ok {
		a.emit(w.sf() | 0x1E200000 | ft | o.bits | a.vr(rn, o.name)<<5 | a.rz(rd, o.name))
	}
}

// IntToFP converts the integer rn of width w to rd (precision t) with
// SCVTF or UCVTF.
func (a *Assembler) IntToFP(op FPIntOp, t FType, w Width, rd VReg, rn Reg) {
	o, ok := a.row(fpIntOps, uint8(op), "int to fp")
	if !ok || !a.width(w, o.name) {
		return
	}
	if op < SCVTF {
		a.failf("%s: converts to an integer (FcvtToInt)", o.name)
		return
	}
	if ft, ok := a.ftype(t, o.name, true); ok {
		a.emit(w.sf() | 0x1E200000 | ft | o.bits | a.rz(rn, o.name)<<5 | a.vr(rd, o.name))
	}
}

// Fjcvtzs converts the double rn to a 32-bit integer with JavaScript's
// modular semantics. Needs FeatJSCVT.
func (a *Assembler) Fjcvtzs(rd Reg, rn VReg) {
	if a.need(FeatJSCVT, "fjcvtzs") {
		a.emit(0x1E7E0000 | a.vr(rn, "fjcvtzs")<<5 | a.rz(rd, "fjcvtzs"))
	}
}

// FmovToGP copies the bits of rn to rd: W from S (W32) or X from D (W64).
func (a *Assembler) FmovToGP(w Width, rd Reg, rn VReg) {
	if a.width(w, "fmov") {
		a.emit(w.sf() | 0x1E260000 | (w.sf()>>31)<<22 | a.vr(rn, "fmov")<<5 | a.rz(rd, "fmov"))
	}
}

// FmovFromGP copies the bits of rn to rd: S from W (W32) or D from X (W64).
func (a *Assembler) FmovFromGP(w Width, rd VReg, rn Reg) {
	if a.width(w, "fmov") {
		a.emit(w.sf() | 0x1E270000 | (w.sf()>>31)<<22 | a.rz(rn, "fmov")<<5 | a.vr(rd, "fmov"))
	}
}

// FPImm8 returns the 8-bit FMOV immediate encoding of f, or false when f
// is not ±(1 + m/16) * 2^e with m in 0-15 and e in -3..4.
func FPImm8(f float64) (uint8, bool) {
	b := math.Float64bits(f)
	if b&(1<<48-1) != 0 { // fraction bits below the top 4
		return 0, false
	}
	exp := int((b>>52)&0x7FF) - 1023
	if exp < -3 || exp > 4 || math.IsNaN(f) || math.IsInf(f, 0) || f == 0 {
		return 0, false
	}
	var bc uint64
	if exp >= 1 {
		bc = uint64(exp - 1) // b = 0, cd = e - 1
	} else {
		bc = 4 | uint64(exp+3) // b = 1, cd = e + 3
	}
	return uint8(b>>63<<7 | bc<<4 | (b>>48)&15), true
}

// FmovImm sets rd to the constant f, which must be encodable (FPImm8).
func (a *Assembler) FmovImm(t FType, rd VReg, f float64) {
	imm, ok := FPImm8(f)
	if !ok {
		a.failf("fmov: %v is not an 8-bit floating-point immediate", f)
		return
	}
	if ft, ok := a.ftype(t, "fmov", true); ok {
		a.emit(0x1E201000 | ft | uint32(imm)<<13 | a.vr(rd, "fmov"))
	}
}
