package amd64

import "fmt"

// Reg is a general-purpose register, numbered as the hardware numbers it
// (the low three bits go in ModRM/SIB/opcode, the fourth in REX or VEX).
type Reg uint8

// The sixteen general-purpose registers.
const (
	RAX Reg = iota
	RCX
	RDX
	RBX
	RSP
	RBP
	RSI
	RDI
	R8
	R9
	R10
	R11
	R12
	R13
	R14
	R15
)

// NumRegs is the number of general-purpose (and of vector) registers.
const NumRegs = 16

var regNames = [4][NumRegs]string{
	{"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"},
	{"ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"},
	{"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"},
	{"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"},
}

// Name is the register's name at width w (Intel syntax: "eax", "r9b").
func (r Reg) Name(w Width) string {
	if r >= NumRegs {
		return fmt.Sprintf("Reg(%d)", uint8(r))
	}
	switch w {
	case W8:
		return regNames[0][r]
	case W16:
		return regNames[1][r]
	case W32:
		return regNames[2][r]
	}
	return regNames[3][r]
}

func (r Reg) String() string { return r.Name(W64) }

// VReg is a vector register: X0-X15 name the 128-bit registers, Y0-Y15 the
// 256-bit registers that share their low halves. The length selects VEX.L.
type VReg uint8

const ymmBit VReg = 16

// The vector registers.
const (
	X0 VReg = iota
	X1
	X2
	X3
	X4
	X5
	X6
	X7
	X8
	X9
	X10
	X11
	X12
	X13
	X14
	X15
	Y0
	Y1
	Y2
	Y3
	Y4
	Y5
	Y6
	Y7
	Y8
	Y9
	Y10
	Y11
	Y12
	Y13
	Y14
	Y15
)

// Num is the register's hardware number (0-15).
func (v VReg) Num() uint8 { return uint8(v &^ ymmBit) }

// IsYMM reports whether v names a 256-bit register.
func (v VReg) IsYMM() bool { return v&ymmBit != 0 }

// YMM is the 256-bit register sharing v's number; XMM the 128-bit one.
func (v VReg) YMM() VReg { return v | ymmBit }
func (v VReg) XMM() VReg { return v &^ ymmBit }

func (v VReg) String() string {
	if v > Y15 {
		return fmt.Sprintf("VReg(%d)", uint8(v))
	}
	if v.IsYMM() {
		return fmt.Sprintf("ymm%d", v.Num())
	}
	return fmt.Sprintf("xmm%d", v.Num())
}

// Width is an integer operand size in bytes. Vector-only instructions take
// WNone.
type Width uint8

// Operand widths.
const (
	WNone Width = 0
	W8    Width = 1
	W16   Width = 2
	W32   Width = 4
	W64   Width = 8
)

func (w Width) String() string {
	switch w {
	case WNone:
		return "none"
	case W8, W16, W32, W64:
		return fmt.Sprintf("%d-bit", 8*int(w))
	}
	return fmt.Sprintf("Width(%d)", uint8(w))
}

// Cond is a condition code: the low nibble of Jcc, SETcc and CMOVcc.
type Cond uint8

// Condition codes. Unsigned comparisons use B/AE/BE/A, signed ones L/GE/LE/G;
// P (parity) is set by UCOMISS/UCOMISD when either operand is NaN.
const (
	CondO  Cond = 0x0
	CondNO Cond = 0x1
	CondB  Cond = 0x2
	CondAE Cond = 0x3
	CondE  Cond = 0x4
	CondNE Cond = 0x5
	CondBE Cond = 0x6
	CondA  Cond = 0x7
	CondS  Cond = 0x8
	CondNS Cond = 0x9
	CondP  Cond = 0xA
	CondNP Cond = 0xB
	CondL  Cond = 0xC
	CondGE Cond = 0xD
	CondLE Cond = 0xE
	CondG  Cond = 0xF
)

// Invert is the condition that holds exactly when c does not.
func (c Cond) Invert() Cond { return c ^ 1 }

var condNames = [16]string{"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"}

func (c Cond) String() string {
	if c > CondG {
		return fmt.Sprintf("Cond(%d)", uint8(c))
	}
	return condNames[c]
}
