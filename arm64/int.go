package arm64

// Integer data processing: add/subtract, logical, moves, multiply and
// divide, shifts, bit operations, conditional select and compare.

// AddOp is an add/subtract instruction.
type AddOp uint8

// Add/subtract ops (op and S bits).
const (
	ADD AddOp = iota
	ADDS
	SUB
	SUBS
)

var addOps = []opRow{
	ADD:  {"add", 0},
	ADDS: {"adds", 1 << 29},
	SUB:  {"sub", 1 << 30},
	SUBS: {"subs", 3 << 29},
}

func (op AddOp) String() string { return opName(addOps, uint8(op), "add") }

// AddImm emits op rd, rn, #imm. imm is 12 bits, or 12 bits shifted left by
// 12; anything else is an error (materialise it with MovImm). rd and rn
// may be RSP, except that the flag-setting forms write ZR instead.
func (a *Assembler) AddImm(op AddOp, w Width, rd, rn Reg, imm uint32) {
	o, ok := a.row(addOps, uint8(op), "add/sub")
	if !ok || !a.width(w, o.name) {
		return
	}
	var sh uint32
	switch {
	case imm < 1<<12:
	case imm&0xFFF == 0 && imm < 1<<24:
		sh, imm = 1, imm>>12
	default:
		a.failf("%s: immediate %#x is not 12 bits, optionally shifted by 12", o.name, imm)
		return
	}
	s := o.bits&(1<<29) != 0
	a.emit(w.sf() | o.bits | 0x11000000 | sh<<22 | imm<<10 | a.rsp(rn, o.name)<<5 | a.rdFlags(rd, s, o.name))
}

// AddReg emits op rd, rn, rm, shift #amount (shift LSL, LSR or ASR;
// amount below the width).
func (a *Assembler) AddReg(op AddOp, w Width, rd, rn, rm Reg, shift Shift, amount uint8) {
	o, ok := a.row(addOps, uint8(op), "add/sub")
	if !ok || !a.width(w, o.name) {
		return
	}
	if shift > ASR {
		a.failf("%s: shift %v not allowed (lsl, lsr, asr)", o.name, shift)
		return
	}
	if uint(amount) >= w.bits() {
		a.failf("%s: shift amount %d out of range for %d bits", o.name, amount, w)
		return
	}
	a.emit(w.sf() | o.bits | 0x0B000000 | uint32(shift)<<22 | a.rz(rm, o.name)<<16 | uint32(amount)<<10 | a.rz(rn, o.name)<<5 | a.rz(rd, o.name))
}

// AddExt emits op rd, rn, rm, ext #amount: rm extended (a W register
// unless ext is UXTX or SXTX) then shifted left by amount (0-4). rd and
// rn may be RSP (rd only in the non-flag-setting forms).
func (a *Assembler) AddExt(op AddOp, w Width, rd, rn, rm Reg, ext Extend, amount uint8) {
	o, ok := a.row(addOps, uint8(op), "add/sub")
	if !ok || !a.width(w, o.name) {
		return
	}
	if ext > SXTX || amount > 4 {
		a.failf("%s: extend %v #%d out of range (shift 0-4)", o.name, ext, amount)
		return
	}
	s := o.bits&(1<<29) != 0
	a.emit(w.sf() | o.bits | 0x0B200000 | a.rz(rm, o.name)<<16 | uint32(ext)<<13 | uint32(amount)<<10 | a.rsp(rn, o.name)<<5 | a.rdFlags(rd, s, o.name))
}

// CarryOp is an add/subtract with carry.
type CarryOp uint8

// Carry ops: rd = rn + rm + C, or rn - rm - !C; the S forms set flags.
const (
	ADC CarryOp = iota
	ADCS
	SBC
	SBCS
)

var carryOps = []opRow{ADC: {"adc", 0}, ADCS: {"adcs", 1 << 29}, SBC: {"sbc", 1 << 30}, SBCS: {"sbcs", 3 << 29}}

func (op CarryOp) String() string { return opName(carryOps, uint8(op), "carry") }

// AddCarry emits op rd, rn, rm (multi-word arithmetic).
func (a *Assembler) AddCarry(op CarryOp, w Width, rd, rn, rm Reg) {
	o, ok := a.row(carryOps, uint8(op), "add/sub with carry")
	if !ok || !a.width(w, o.name) {
		return
	}
	a.emit(w.sf() | 0x1A000000 | o.bits | a.rz(rm, o.name)<<16 | a.rz(rn, o.name)<<5 | a.rz(rd, o.name))
}

// Cmp emits cmp rn, rm (subs zr, rn, rm).
func (a *Assembler) Cmp(w Width, rn, rm Reg) { a.AddReg(SUBS, w, ZR, rn, rm, LSL, 0) }

// CmpImm emits cmp rn, #imm (subs zr, rn, #imm); rn may be RSP.
func (a *Assembler) CmpImm(w Width, rn Reg, imm uint32) { a.AddImm(SUBS, w, ZR, rn, imm) }

// Cmn emits cmn rn, rm (adds zr, rn, rm).
func (a *Assembler) Cmn(w Width, rn, rm Reg) { a.AddReg(ADDS, w, ZR, rn, rm, LSL, 0) }

// CmnImm emits cmn rn, #imm (adds zr, rn, #imm).
func (a *Assembler) CmnImm(w Width, rn Reg, imm uint32) { a.AddImm(ADDS, w, ZR, rn, imm) }

// Neg emits neg rd, rm (sub rd, zr, rm).
func (a *Assembler) Neg(w Width, rd, rm Reg) { a.AddReg(SUB, w, rd, ZR, rm, LSL, 0) }

// LogicOp is a logical instruction.
type LogicOp uint8

// Logical ops: opc in the low two bits, N (the second operand inverted)
// in the third.
const (
	AND LogicOp = iota
	ORR
	EOR
	ANDS
	BIC
	ORN
	EON
	BICS
)

var logicOps = []opRow{
	AND: {"and", 0}, ORR: {"orr", 1 << 29}, EOR: {"eor", 2 << 29}, ANDS: {"ands", 3 << 29},
	BIC: {"bic", 1 << 21}, ORN: {"orn", 1<<29 | 1<<21}, EON: {"eon", 2<<29 | 1<<21}, BICS: {"bics", 3<<29 | 1<<21},
}

func (op LogicOp) String() string { return opName(logicOps, uint8(op), "logic") }

// LogicReg emits op rd, rn, rm, shift #amount.
func (a *Assembler) LogicReg(op LogicOp, w Width, rd, rn, rm Reg, shift Shift, amount uint8) {
	o, ok := a.row(logicOps, uint8(op), "logical")
	if !ok || !a.width(w, o.name) {
		return
	}
	if shift > ROR || uint(amount) >= w.bits() {
		a.failf("%s: shift %v #%d out of range for %d bits", o.name, shift, amount, w)
		return
	}
	a.emit(w.sf() | o.bits | 0x0A000000 | uint32(shift)<<22 | a.rz(rm, o.name)<<16 | uint32(amount)<<10 | a.rz(rn, o.name)<<5 | a.rz(rd, o.name))
}

// LogicImm emits op rd, rn, #v with v a bitmask immediate (see
// LogicalImm); BIC, ORN, EON and BICS use the complement of v with the
// plain op. rd may be RSP except for the flag-setting ANDS/BICS.
func (a *Assembler) LogicImm(op LogicOp, w Width, rd, rn Reg, v uint64) {
	o, ok := a.row(logicOps, uint8(op), "logical")
	if !ok || !a.width(w, o.name) {
		return
	}
	if w == W32 && v>>32 != 0 {
		a.failf("%s: immediate %#x wider than 32 bits", o.name, v)
		return
	}
	if op >= BIC {
		v = ^v
		if w == W32 {
			v &= 0xFFFFFFFF
		}
	}
	n, immr, imms, ok := encodeBitmask(w, v)
	if !ok {
		a.failf("%s: %#x is not a %d-bit bitmask immediate", o.name, v, w)
		return
	}
	bits := o.bits &^ (1 << 21)
	a.emit(w.sf() | bits | 0x12000000 | n<<22 | immr<<16 | imms<<10 | a.rz(rn, o.name)<<5 | a.rdFlags(rd, op&3 == ANDS, o.name))
}

// Tst emits tst rn, rm (ands zr, rn, rm).
func (a *Assembler) Tst(w Width, rn, rm Reg) { a.LogicReg(ANDS, w, ZR, rn, rm, LSL, 0) }

// TstImm emits tst rn, #v (ands zr, rn, #v).
func (a *Assembler) TstImm(w Width, rn Reg, v uint64) { a.LogicImm(ANDS, w, ZR, rn, v) }

// Mvn emits mvn rd, rm (orn rd, zr, rm).
func (a *Assembler) Mvn(w Width, rd, rm Reg) { a.LogicReg(ORN, w, rd, ZR, rm, LSL, 0) }

// Mov copies rn to rd: orr rd, zr, rn, or add rd, rn, #0 when either is
// RSP. At W32 the upper half of rd is cleared.
func (a *Assembler) Mov(w Width, rd, rn Reg) {
	if rd == RSP || rn == RSP {
		a.AddImm(ADD, w, rd, rn, 0)
		return
	}
	a.LogicReg(ORR, w, rd, ZR, rn, LSL, 0)
}

// DP2Op is a two-source data-processing instruction.
type DP2Op uint8

// Two-source ops: divides and variable shifts (shift amount taken modulo
// the width, as WebAssembly wants).
const (
	UDIV DP2Op = iota
	SDIV
	LSLV
	LSRV
	ASRV
	RORV
)

var dp2Ops = []opRow{
	UDIV: {"udiv", 2 << 10}, SDIV: {"sdiv", 3 << 10},
	LSLV: {"lsl", 8 << 10}, LSRV: {"lsr", 9 << 10}, ASRV: {"asr", 10 << 10}, RORV: {"ror", 11 << 10},
}

func (op DP2Op) String() string { return opName(dp2Ops, uint8(op), "dp2") }

// DataProc2 emits op rd, rn, rm.
func (a *Assembler) DataProc2(op DP2Op, w Width, rd, rn, rm Reg) {
	o, ok := a.row(dp2Ops, uint8(op), "two-source")
	if !ok || !a.width(w, o.name) {
		return
	}
	a.emit(w.sf() | 0x1AC00000 | o.bits | a.rz(rm, o.name)<<16 | a.rz(rn, o.name)<<5 | a.rz(rd, o.name))
}

// DP1Op is a one-source data-processing instruction.
type DP1Op uint8

// One-source ops. REV32 exists only at W64 (at W32 it is REV).
const (
	RBIT DP1Op = iota
	REV16
	REV32
	REV
	CLZ
	CLS
)

var dp1Ops = []opRow{
	RBIT: {"rbit", 0}, REV16: {"rev16", 1 << 10}, REV32: {"rev32", 2 << 10},
	REV: {"rev", 3 << 10}, CLZ: {"clz", 4 << 10}, CLS: {"cls", 5 << 10},
}

func (op DP1Op) String() string { return opName(dp1Ops, uint8(op), "dp1") }

// DataProc1 emits op rd, rn.
func (a *Assembler) DataProc1(op DP1Op, w Width, rd, rn Reg) {
	o, ok := a.row(dp1Ops, uint8(op), "one-source")
	if !ok || !a.width(w, o.name) {
		return
	}
	bits := o.bits
	switch {
	case op == REV32 && w == W32:
		a.failf("rev32: 64-bit only (rev reverses a 32-bit register)")
		return
	case op == REV && w == W32:
		bits = 2 << 10
	}
	a.emit(w.sf() | 0x5AC00000 | bits | a.rz(rn, o.name)<<5 | a.rz(rd, o.name))
}

// DP3Op is a three-source (multiply) instruction.
type DP3Op uint8

// Multiply ops. The long and high forms are 64-bit only; the long ones
// take 32-bit sources.
const (
	MADD DP3Op = iota
	MSUB
	SMADDL
	SMSUBL
	UMADDL
	UMSUBL
	SMULH
	UMULH
)

var dp3Ops = []opRow{
	MADD: {"madd", 0}, MSUB: {"msub", 1 << 15},
	SMADDL: {"smaddl", 1 << 21}, SMSUBL: {"smsubl", 1<<21 | 1<<15},
	UMADDL: {"umaddl", 5 << 21}, UMSUBL: {"umsubl", 5<<21 | 1<<15},
	SMULH: {"smulh", 2 << 21}, UMULH: {"umulh", 6 << 21},
}

func (op DP3Op) String() string { return opName(dp3Ops, uint8(op), "dp3") }

// DataProc3 emits op rd, rn, rm, ra (rd = ra ± rn*rm). SMULH and UMULH
// take no ra (pass ZR).
func (a *Assembler) DataProc3(op DP3Op, w Width, rd, rn, rm, ra Reg) {
	o, ok := a.row(dp3Ops, uint8(op), "multiply")
	if !ok || !a.width(w, o.name) {
		return
	}
	if op > MSUB && w != W64 {
		a.failf("%s: 64-bit only", o.name)
		return
	}
	if (op == SMULH || op == UMULH) && ra != ZR {
		a.failf("%s: has no accumulator (pass ZR)", o.name)
		return
	}
	a.emit(w.sf() | 0x1B000000 | o.bits | a.rz(rm, o.name)<<16 | a.rz(ra, o.name)<<10 | a.rz(rn, o.name)<<5 | a.rz(rd, o.name))
}

// Mul emits mul rd, rn, rm (madd rd, rn, rm, zr).
func (a *Assembler) Mul(w Width, rd, rn, rm Reg) { a.DataProc3(MADD, w, rd, rn, rm, ZR) }

// BitfieldOp is a bitfield-move instruction.
type BitfieldOp uint8

// Bitfield ops (opc field).
const (
	SBFM BitfieldOp = iota
	BFM
	UBFM
)

var bitfieldOps = []opRow{SBFM: {"sbfm", 0}, BFM: {"bfm", 1 << 29}, UBFM: {"ubfm", 2 << 29}}

func (op BitfieldOp) String() string { return opName(bitfieldOps, uint8(op), "bitfield") }

// Bitfield emits op rd, rn, #immr, #imms. The shifts, extensions and
// field extracts below are its aliases.
func (a *Assembler) Bitfield(op BitfieldOp, w Width, rd, rn Reg, immr, imms uint8) {
	o, ok := a.row(bitfieldOps, uint8(op), "bitfield")
	if !ok || !a.width(w, o.name) {
		return
	}
	if uint(immr) >= w.bits() || uint(imms) >= w.bits() {
		a.failf("%s: #%d, #%d out of range for %d bits", o.name, immr, imms, w)
		return
	}
	n := w.sf() >> 9 // N equals sf
	a.emit(w.sf() | o.bits | 0x13000000 | n | uint32(immr)<<16 | uint32(imms)<<10 | a.rz(rn, o.name)<<5 | a.rz(rd, o.name))
}

// ShiftImm emits a shift by a constant: lsl, lsr or asr rd, rn, #amount
// (bitfield moves) or ror (extr rd, rn, rn). amount is below the width.
func (a *Assembler) ShiftImm(s Shift, w Width, rd, rn Reg, amount uint8) {
	if !a.width(w, s.String()) {
		return
	}
	bits := uint8(w)
	if amount >= bits {
		a.failf("%v: shift amount %d out of range for %d bits", s, amount, w)
		return
	}
	switch s {
	case LSL:
		a.Bitfield(UBFM, w, rd, rn, (bits-amount)%bits, bits-1-amount)
	case LSR:
		a.Bitfield(UBFM, w, rd, rn, amount, bits-1)
	case ASR:
		a.Bitfield(SBFM, w, rd, rn, amount, bits-1)
	case ROR:
		a.Extr(w, rd, rn, rn, amount)
	default:
		a.failf("invalid shift %v", s)
	}
}

// field checks a bitfield of width bits at lsb fits in w.
func (a *Assembler) field(name string, w Width, lsb, width uint8) bool {
	if !a.width(w, name) {
		return false
	}
	if width == 0 || uint(lsb)+uint(width) > w.bits() {
		a.failf("%s: field #%d, #%d does not fit %d bits", name, lsb, width, w)
		return false
	}
	return true
}

// Ubfx extracts width bits at lsb of rn, zero-extended, into rd.
func (a *Assembler) Ubfx(w Width, rd, rn Reg, lsb, width uint8) {
	if a.field("ubfx", w, lsb, width) {
		a.Bitfield(UBFM, w, rd, rn, lsb, lsb+width-1)
	}
}

// Sbfx extracts width bits at lsb of rn, sign-extended, into rd.
func (a *Assembler) Sbfx(w Width, rd, rn Reg, lsb, width uint8) {
	if a.field("sbfx", w, lsb, width) {
		a.Bitfield(SBFM, w, rd, rn, lsb, lsb+width-1)
	}
}

// Bfi inserts the low width bits of rn into rd at lsb.
func (a *Assembler) Bfi(w Width, rd, rn Reg, lsb, width uint8) {
	if a.field("bfi", w, lsb, width) {
		a.Bitfield(BFM, w, rd, rn, (uint8(w)-lsb)%uint8(w), width-1)
	}
}

// Bfxil replaces the low width bits of rd with the width bits at lsb of rn.
func (a *Assembler) Bfxil(w Width, rd, rn Reg, lsb, width uint8) {
	if a.field("bfxil", w, lsb, width) {
		a.Bitfield(BFM, w, rd, rn, lsb, lsb+width-1)
	}
}

// ExtendReg sign- or zero-extends the low byte, half or word of rn into
// rd at width w: sxtb, sxth, sxtw (W64 only), uxtb and uxth (which clear
// the whole register whatever w), uxtw (a 32-bit mov). UXTX and SXTX are
// a plain 64-bit mov.
func (a *Assembler) ExtendReg(e Extend, w Width, rd, rn Reg) {
	switch e {
	case UXTB, UXTH:
		a.Bitfield(UBFM, W32, rd, rn, 0, 8<<e-1)
	case UXTW:
		a.Mov(W32, rd, rn)
	case SXTB, SXTH:
		a.Bitfield(SBFM, w, rd, rn, 0, 8<<(e-SXTB)-1)
	case SXTW:
		if w != W64 {
			a.failf("sxtw: 64-bit only")
			return
		}
		a.Bitfield(SBFM, W64, rd, rn, 0, 31)
	case UXTX, SXTX:
		a.Mov(W64, rd, rn)
	default:
		a.failf("invalid extend %v", e)
	}
}

// Extr emits extr rd, rn, rm, #lsb: the width bits at lsb of rn:rm.
func (a *Assembler) Extr(w Width, rd, rn, rm Reg, lsb uint8) {
	if !a.width(w, "extr") {
		return
	}
	if uint(lsb) >= w.bits() {
		a.failf("extr: #%d out of range for %d bits", lsb, w)
		return
	}
	n := w.sf() >> 9
	a.emit(w.sf() | 0x13800000 | n | a.rz(rm, "extr")<<16 | uint32(lsb)<<10 | a.rz(rn, "extr")<<5 | a.rz(rd, "extr"))
}

// CselOp is a conditional-select instruction.
type CselOp uint8

// Conditional-select ops.
const (
	CSEL CselOp = iota
	CSINC
	CSINV
	CSNEG
)

var cselOps = []opRow{CSEL: {"csel", 0}, CSINC: {"csinc", 1 << 10}, CSINV: {"csinv", 1 << 30}, CSNEG: {"csneg", 1<<30 | 1<<10}}

func (op CselOp) String() string { return opName(cselOps, uint8(op), "csel") }

// CondSel emits op rd, rn, rm, c: rd = c ? rn : f(rm) with f identity,
// +1, bitwise not or negate.
func (a *Assembler) CondSel(op CselOp, w Width, rd, rn, rm Reg, c Cond) {
	o, ok := a.row(cselOps, uint8(op), "conditional select")
	if !ok || !a.width(w, o.name) {
		return
	}
	if c > NV {
		a.failf("%s: invalid condition %d", o.name, uint8(c))
		return
	}
	a.emit(w.sf() | 0x1A800000 | o.bits | a.rz(rm, o.name)<<16 | uint32(c)<<12 | a.rz(rn, o.name)<<5 | a.rz(rd, o.name))
}

// Cset sets rd to 1 when c holds, else 0 (csinc rd, zr, zr, !c).
func (a *Assembler) Cset(w Width, rd Reg, c Cond) {
	if c >= AL {
		a.failf("cset: condition %v cannot be inverted", c)
		return
	}
	a.CondSel(CSINC, w, rd, ZR, ZR, c.Invert())
}

// Csetm sets rd to all ones when c holds, else 0 (csinv rd, zr, zr, !c).
func (a *Assembler) Csetm(w Width, rd Reg, c Cond) {
	if c >= AL {
		a.failf("csetm: condition %v cannot be inverted", c)
		return
	}
	a.CondSel(CSINV, w, rd, ZR, ZR, c.Invert())
}

// CcmpOp is a conditional-compare instruction.
type CcmpOp uint8

// Conditional-compare ops.
const (
	CCMN CcmpOp = iota
	CCMP
)

var ccmpOps = []opRow{CCMN: {"ccmn", 0}, CCMP: {"ccmp", 1 << 30}}

func (op CcmpOp) String() string { return opName(ccmpOps, uint8(op), "ccmp") }

// CondCmp emits op rn, rm, #nzcv, c: when c holds, the flags of comparing
// rn with rm, else nzcv.
func (a *Assembler) CondCmp(op CcmpOp, w Width, rn, rm Reg, nzcv uint8, c Cond) {
	a.ccmp(op, w, rn, a.rz(rm, "ccmp"), 0, nzcv, c)
}

// CondCmpImm is CondCmp against a 5-bit unsigned immediate.
func (a *Assembler) CondCmpImm(op CcmpOp, w Width, rn Reg, imm uint8, nzcv uint8, c Cond) {
	if imm > 31 {
		a.failf("%v: immediate %d out of range 0-31", op, imm)
		return
	}
	a.ccmp(op, w, rn, uint32(imm), 1<<11, nzcv, c)
}

func (a *Assembler) ccmp(op CcmpOp, w Width, rn Reg, m, imm uint32, nzcv uint8, c Cond) {
	o, ok := a.row(ccmpOps, uint8(op), "conditional compare")
	if !ok || !a.width(w, o.name) {
		return
	}
	if nzcv > 15 || c > NV {
		a.failf("%s: nzcv %#x or condition %d out of range", o.name, nzcv, uint8(c))
		return
	}
	a.emit(w.sf() | 0x3A400000 | o.bits | m<<16 | uint32(c)<<12 | imm | a.rz(rn, o.name)<<5 | uint32(nzcv))
}

// Nop emits nop.
func (a *Assembler) Nop() { a.emit(0xD503201F) }

// Brk emits brk #imm (a breakpoint trap; the JIT's unreachable).
func (a *Assembler) Brk(imm uint16) { a.emit(0xD4200000 | uint32(imm)<<5) }

// Udf emits udf #imm, permanently undefined (SIGILL).
func (a *Assembler) Udf(imm uint16) { a.emit(uint32(imm)) }

// Barrier option for Dmb and Dsb (the CRm field).
type Barrier uint8

// Barrier domains and types used by a JIT.
const (
	BarrierISHLD Barrier = 0b1001
	BarrierISHST Barrier = 0b1010
	BarrierISH   Barrier = 0b1011
	BarrierSY    Barrier = 0b1111
)

// Dmb emits a data memory barrier.
func (a *Assembler) Dmb(b Barrier) { a.emit(0xD50330BF | uint32(b&15)<<8) }

// Dsb emits a data synchronisation barrier.
func (a *Assembler) Dsb(b Barrier) { a.emit(0xD503309F | uint32(b&15)<<8) }

// Isb emits an instruction synchronisation barrier.
func (a *Assembler) Isb() { a.emit(0xD5033FDF) }
