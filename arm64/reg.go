package arm64

import "fmt"

// Reg is a general-purpose register. R0-R30 are the numbered registers;
// register number 31 means either the zero register or the stack pointer
// depending on the instruction, so the two are distinct values here (ZR and
// RSP) and every operand slot checks that it is given the one it encodes.
type Reg uint8

// General-purpose registers.
const (
	R0 Reg = iota
	R1
	R2
	R3
	R4
	R5
	R6
	R7
	R8
	R9
	R10
	R11
	R12
	R13
	R14
	R15
	R16
	R17
	R18
	R19
	R20
	R21
	R22
	R23
	R24
	R25
	R26
	R27
	R28
	R29
	R30
	ZR  // the zero register (XZR/WZR): reads 0, writes are discarded
	RSP // the stack pointer (SP/WSP)

	FP = R29 // frame pointer by the AAPCS64
	LR = R30 // link register: BL and BLR write the return address here
)

// String names r in its 64-bit form.
func (r Reg) String() string {
	switch {
	case r <= R30:
		return fmt.Sprintf("x%d", r)
	case r == ZR:
		return "xzr"
	case r == RSP:
		return "sp"
	}
	return fmt.Sprintf("reg(%d)", uint8(r))
}

// VReg is a SIMD and floating-point register, V0-V31; scalar instructions
// use its low bits (B, H, S, D views), vector ones its arrangement.
type VReg uint8

// SIMD and floating-point registers.
const (
	V0 VReg = iota
	V1
	V2
	V3
	V4
	V5
	V6
	V7
	V8
	V9
	V10
	V11
	V12
	V13
	V14
	V15
	V16
	V17
	V18
	V19
	V20
	V21
	V22
	V23
	V24
	V25
	V26
	V27
	V28
	V29
	V30
	V31
)

func (v VReg) String() string { return fmt.Sprintf("v%d", uint8(v)) }

// Width is the operand size of an integer instruction: the sf bit.
type Width uint8

// Integer widths.
const (
	W32 Width = 32
	W64 Width = 64
)

func (w Width) sf() uint32 {
	if w == W64 {
		return 1 << 31
	}
	return 0
}

func (w Width) bits() uint { return uint(w) }

// Size is the size of a memory access.
type Size uint8

// Access sizes, their values the log2 of the byte count (the size field of
// the load/store encodings).
const (
	S8 Size = iota
	S16
	S32
	S64
	S128 // SIMD&FP Q registers only
)

// Bytes is the number of bytes s accesses.
func (s Size) Bytes() int { return 1 << s }

// Cond is a condition code, in its encoding order.
type Cond uint8

// Condition codes.
const (
	EQ Cond = iota // equal (Z)
	NE             // not equal
	HS             // unsigned >= (C), also CS
	LO             // unsigned < (!C), also CC
	MI             // negative
	PL             // positive or zero
	VS             // overflow
	VC             // no overflow
	HI             // unsigned >
	LS             // unsigned <=
	GE             // signed >=
	LT             // signed <
	GT             // signed >
	LE             // signed <=
	AL             // always
	NV             // always (reserved meaning; not accepted where inverted)
)

var condNames = [16]string{"eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"}

func (c Cond) String() string {
	if c < 16 {
		return condNames[c]
	}
	return fmt.Sprintf("cond(%d)", uint8(c))
}

// Invert is the opposite condition (EQ <-> NE, ...). AL and NV have none.
func (c Cond) Invert() Cond { return c ^ 1 }

// Shift is the shift applied to the second register of a shifted-register
// instruction.
type Shift uint8

// Shifts, in encoding order. ROR is only for the logical instructions.
const (
	LSL Shift = iota
	LSR
	ASR
	ROR
)

var shiftNames = [4]string{"lsl", "lsr", "asr", "ror"}

func (s Shift) String() string {
	if s < 4 {
		return shiftNames[s]
	}
	return fmt.Sprintf("shift(%d)", uint8(s))
}

// Extend is the extension applied to the index or second register of an
// extended-register instruction or a register-offset address.
type Extend uint8

// Extensions, in encoding order (the option field).
const (
	UXTB Extend = iota
	UXTH
	UXTW
	UXTX
	SXTB
	SXTH
	SXTW
	SXTX
)

var extendNames = [8]string{"uxtb", "uxth", "uxtw", "uxtx", "sxtb", "sxth", "sxtw", "sxtx"}

func (e Extend) String() string {
	if e < 8 {
		return extendNames[e]
	}
	return fmt.Sprintf("extend(%d)", uint8(e))
}
