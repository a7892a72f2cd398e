package amd64

import (
	"fmt"
	"strconv"
	"strings"
)

// An encoding row is written in the notation of Intel's opcode tables, with
// two columns of our own in front, so the instruction table reads like the
// manual:
//
//	"<widths> <operand encoding> <operand classes> <opcode column>"
//	"v MI rm,i8 83 /0 ib"          add r/m16/32/64, imm8
//	"dq RVM r,r,rm VEX.LZ.0F38 F2 /r"   andn
//
// widths: x (no integer width), b, w, d, q, v (16/32/64), dq (32/64), p
// (64 by default: no REX.W). For d/q/v/dq rows REX.W (or VEX.W) follows the
// width unless the opcode column fixes it.
//
// operand encoding: one letter per operand, as Intel's Op/En column: R =
// ModRM.reg, M = ModRM.rm, V = VEX.vvvv, I = immediate, L = register in
// imm8[7:4] (is4), O = added to the opcode byte, '-' = implicit.
//
// operand classes: see argClass.
type row struct {
	widths  widthSet
	en      string
	classes []argClass
	lock    bool
	pfx     byte // mandatory or 66 prefix from the opcode column
	rexW    bool // REX.W (legacy) or W1 (VEX) fixed by the opcode column
	vex     bool
	vexL    vexL
	vexWIG  bool // W0/WIG fixed; VEX.W never follows the width
	vexMap  byte // 1 = 0F, 2 = 0F38, 3 = 0F3A
	opcode  []byte
	plusR   bool // register in the low bits of the last opcode byte
	plusCC  bool // condition code added to the last opcode byte
	ext     int8 // ModRM.reg digit, or -1 when a register operand goes there
	modrm   bool
	imm     immKind
	src     string
}

type widthSet uint8

const (
	wsNone widthSet = 1 << iota
	ws8
	ws16
	ws32
	ws64
	wsDefault64 // 64-bit operand without REX.W (push, pop, indirect jumps)
)

func (s widthSet) allows(w Width) bool {
	switch w {
	case WNone:
		return s&wsNone != 0
	case W8:
		return s&ws8 != 0
	case W16:
		return s&ws16 != 0
	case W32:
		return s&ws32 != 0
	case W64:
		return s&(ws64|wsDefault64) != 0
	}
	return false
}

type vexL uint8

const (
	vexL0       vexL = iota // 128, LZ or LIG
	vexL1                   // 256
	vexLOperand             // from the vector operands' length
)

type immKind uint8

const (
	immNone immKind = iota
	imm8
	imm16
	imm32
	immZ // 16 bits for a 16-bit operand, else 32
	imm64
)

func (k immKind) size(w Width) int {
	switch k {
	case imm8:
		return 1
	case imm16:
		return 2
	case imm32:
		return 4
	case immZ:
		if w == W16 {
			return 2
		}
		return 4
	case imm64:
		return 8
	}
	return 0
}

// argClass is what an operand position accepts.
type argClass uint8

const (
	clR    argClass = iota + 1 // general register of the instruction's width
	clRM                       // general register or memory
	clM                        // memory only
	clR8                       // byte register
	clRM8                      // byte register or memory
	clRM16                     // 16-bit register or memory
	clRM32                     // 32-bit register or memory
	clCL                       // CL, implicit
	clX                        // xmm
	clXM                       // xmm or memory
	clY                        // ymm
	clYM                       // ymm or memory
	clV                        // xmm or ymm: sets VEX.L
	clVM                       // xmm, ymm or memory
	clI8                       // immediate, sign-extended from 8 bits
	clU8                       // immediate 0..255
	clB8                       // byte immediate: -128..255
	clIZ                       // immediate of the operand size, at most 32 bits, sign-extended
	clI64                      // any 64-bit immediate
	clRel                      // branch target (label), handled by the branch methods
)

var classNames = map[string]argClass{
	"r": clR, "rm": clRM, "m": clM, "r8": clR8, "rm8": clRM8, "rm16": clRM16, "rm32": clRM32, "cl": clCL,
	"x": clX, "xm": clXM, "y": clY, "ym": clYM, "v": clV, "vm": clVM,
	"i8": clI8, "u8": clU8, "b8": clB8, "iz": clIZ, "i64": clI64,
}

// immTokens are the opcode column's immediate sizes; is4 is the byte
// carrying a fourth register operand.
var immTokens = map[string]immKind{"ib": imm8, "iw": imm16, "id": imm32, "iz": immZ, "io": imm64, "is4": imm8}

var widthNames = map[string]widthSet{
	"x": wsNone, "b": ws8, "w": ws16, "d": ws32, "q": ws64, "v": ws16 | ws32 | ws64,
	"dq": ws32 | ws64, "p": wsDefault64,
}

// parseRow parses one row of the instruction table.
func parseRow(s string) (row, error) {
	r := row{ext: -1, src: s}
	f := strings.Fields(s)
	if len(f) < 3 {
		return r, fmt.Errorf("amd64 table: %q: too few fields", s)
	}
	ws, ok := widthNames[f[0]]
	if !ok {
		return r, fmt.Errorf("amd64 table: %q: bad width class %q", s, f[0])
	}
	r.widths = ws
	r.en = f[1]
	if r.en == "ZO" {
		r.en = ""
	} else {
		for _, c := range strings.Split(f[2], ",") {
			cl, ok := classNames[c]
			if !ok {
				return r, fmt.Errorf("amd64 table: %q: bad operand class %q", s, c)
			}
			r.classes = append(r.classes, cl)
		}
		if len(r.classes) != len(r.en) {
			return r, fmt.Errorf("amd64 table: %q: %d classes for operand encoding %q", s, len(r.classes), r.en)
		}
		f = f[1:]
	}
	f = f[2:]
	seenOpcode := false
	for _, t := range f {
		switch {
		case t == "F0" && !seenOpcode && !r.vex && !r.lock && r.pfx == 0:
			r.lock = true
		case (t == "66" || t == "F2" || t == "F3") && !seenOpcode && !r.vex && r.pfx == 0:
			b, _ := strconv.ParseUint(t, 16, 8)
			r.pfx = byte(b)
		case t == "REX.W":
			r.rexW = true
		case strings.HasPrefix(t, "VEX."):
			if err := r.parseVEX(t); err != nil {
				return r, fmt.Errorf("amd64 table: %q: %w", s, err)
			}
		case t == "/r":
			r.modrm = true
		case len(t) == 2 && t[0] == '/' && t[1] >= '0' && t[1] <= '7':
			r.modrm = true
			r.ext = int8(t[1] - '0')
		case immTokens[t] != immNone:
			r.imm = immTokens[t]
		default:
			hex := t
			if strings.HasSuffix(t, "+r") {
				hex, r.plusR = strings.TrimSuffix(t, "+r"), true
			} else if strings.HasSuffix(t, "+cc") {
				hex, r.plusCC = strings.TrimSuffix(t, "+cc"), true
			}
			b, err := strconv.ParseUint(hex, 16, 8)
			if err != nil || len(hex) != 2 {
				return r, fmt.Errorf("amd64 table: %q: bad token %q", s, t)
			}
			r.opcode = append(r.opcode, byte(b))
			seenOpcode = true
		}
	}
	if len(r.opcode) == 0 {
		return r, fmt.Errorf("amd64 table: %q: no opcode", s)
	}
	if strings.ContainsAny(r.en, "V") && !r.vex {
		return r, fmt.Errorf("amd64 table: %q: vvvv operand without VEX", s)
	}
	if strings.ContainsAny(r.en, "RM") && !r.modrm {
		return r, fmt.Errorf("amd64 table: %q: ModRM operand without /r or /digit", s)
	}
	if strings.ContainsRune(r.en, 'R') && r.ext >= 0 {
		return r, fmt.Errorf("amd64 table: %q: reg operand with an opcode extension", s)
	}
	if strings.ContainsAny(r.en, "IL") != (r.imm != immNone) {
		return r, fmt.Errorf("amd64 table: %q: immediate operand and imm column disagree", s)
	}
	return r, nil
}

func (r *row) parseVEX(t string) error {
	r.vex = true
	for _, p := range strings.Split(t, ".")[1:] {
		switch p {
		case "128", "L0", "LZ", "LIG":
			r.vexL = vexL0
		case "256", "L1":
			r.vexL = vexL1
		case "L":
			r.vexL = vexLOperand
		case "66", "F2", "F3":
			b, _ := strconv.ParseUint(p, 16, 8)
			r.pfx = byte(b)
		case "0F":
			r.vexMap = 1
		case "0F38":
			r.vexMap = 2
		case "0F3A":
			r.vexMap = 3
		case "W0", "WIG":
			r.vexWIG = true
		case "W1":
			r.rexW = true
		case "NDS", "NDD", "DDS":
		default:
			return fmt.Errorf("bad VEX field %q", p)
		}
	}
	if r.vexMap == 0 {
		return fmt.Errorf("VEX without an opcode map")
	}
	return nil
}
