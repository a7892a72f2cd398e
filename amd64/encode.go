package amd64

import (
	"fmt"
	"strings"
)

type argKind uint8

const (
	argGPR argKind = iota + 1
	argVec
	argMem
	argImm
)

// arg is one operand as the encoder sees it.
type arg struct {
	kind argKind
	reg  uint8 // GPR number, or VReg (with the ymm bit)
	mem  Mem
	imm  int64
}

func (x *arg) num() uint8 { return x.reg & 15 }
func (x *arg) ymm() bool  { return x.kind == argVec && VReg(x.reg).IsYMM() }

func gpr(r Reg) arg   { return arg{kind: argGPR, reg: uint8(r)} }
func vec(v VReg) arg  { return arg{kind: argVec, reg: uint8(v)} }
func mem(m Mem) arg   { return arg{kind: argMem, mem: m} }
func imm(v int64) arg { return arg{kind: argImm, imm: v} }

func (x arg) String() string {
	switch x.kind {
	case argGPR:
		return Reg(x.reg).String()
	case argVec:
		return VReg(x.reg).String()
	case argMem:
		return x.mem.String()
	case argImm:
		return fmt.Sprint(x.imm)
	}
	return "?"
}

func (c argClass) accepts(x *arg, w Width) bool {
	switch c {
	case clR, clR8:
		return x.kind == argGPR
	case clRM, clRM8, clRM16, clRM32:
		return x.kind == argGPR || x.kind == argMem
	case clM:
		return x.kind == argMem
	case clCL:
		return x.kind == argGPR && Reg(x.reg) == RCX
	case clX:
		return x.kind == argVec && !x.ymm()
	case clXM:
		return x.kind == argMem || x.kind == argVec && !x.ymm()
	case clY:
		return x.ymm()
	case clYM:
		return x.kind == argMem || x.ymm()
	case clV:
		return x.kind == argVec
	case clVM:
		return x.kind == argVec || x.kind == argMem
	}
	if x.kind != argImm {
		return false
	}
	v := x.imm
	switch c {
	case clI8:
		return fitsInt8(v)
	case clU8:
		return v >= 0 && v <= 255
	case clB8:
		return v >= -128 && v <= 255
	case clIZ:
		switch w {
		case W16:
			return v >= -1<<15 && v <= 1<<16-1
		case W32:
			return v >= -1<<31 && v <= 1<<32-1
		}
		return fitsInt32(v)
	case clI64:
		return true
	}
	return false
}

// accepts reports whether the row encodes these operands at width w.
func (r *row) accepts(w Width, args []arg) bool {
	if !r.widths.allows(w) || len(args) != len(r.classes) {
		return false
	}
	length := 0 // vector length shared by the v/vm operands: 0 unknown, 1 xmm, 2 ymm
	for i, c := range r.classes {
		x := &args[i]
		if !c.accepts(x, w) {
			return false
		}
		if (c == clV || c == clVM) && x.kind == argVec {
			l := 1
			if x.ymm() {
				l = 2
			}
			if length != 0 && length != l {
				return false
			}
			length = l
		}
	}
	return true
}

// inst encodes op with the first row that accepts the operands. cc is the
// condition for SETcc/CMOVcc rows.
func (a *Assembler) inst(op Op, w Width, cc Cond, args []arg) {
	if a.err != nil {
		return
	}
	if a.done {
		a.fail(fmt.Errorf("amd64: %v after Finish", op))
		return
	}
	if op == 0 || op >= numOps {
		a.fail(fmt.Errorf("amd64: unknown op %d", op))
		return
	}
	for i := range args {
		if args[i].kind == argMem {
			if err := args[i].mem.check(); err != nil {
				a.fail(fmt.Errorf("%v: %w", op, err))
				return
			}
			if args[i].mem.kind == memLabel && !a.checkLabel(args[i].mem.label) {
				return
			}
		}
		if args[i].kind == argGPR && args[i].reg >= NumRegs || args[i].kind == argVec && args[i].reg > uint8(Y15) {
			a.fail(fmt.Errorf("amd64: %v: bad register %d", op, args[i].reg))
			return
		}
	}
	d := &opTable[op]
	for i := range d.parsed {
		r := &d.parsed[i]
		if !r.accepts(w, args) {
			continue
		}
		if r.plusCC && cc > CondG {
			a.fail(fmt.Errorf("amd64: %v: bad condition %d", op, cc))
			return
		}
		ymm := false
		for j := range args {
			ymm = ymm || args[j].ymm()
		}
		need := op.Features(ymm)
		if !a.target.Has(need) {
			a.fail(fmt.Errorf("amd64: %v needs %v, not in the target set %v", op, need, a.target))
			return
		}
		a.used |= need
		a.encode(r, w, cc, args, ymm)
		return
	}
	parts := make([]string, len(args))
	for i := range args {
		parts[i] = args[i].String()
	}
	a.fail(fmt.Errorf("amd64: no form of %v takes (%s) at width %v", op, strings.Join(parts, ", "), w))
}

// encode emits one instruction: prefixes, REX or VEX, opcode, ModRM, SIB,
// displacement and immediate.
func (a *Assembler) encode(r *row, w Width, cc Cond, args []arg, ymm bool) {
	var (
		reg, vvvv, opReg uint8
		rm               *arg
		immVal           int64
		byteREX          bool
	)
	for i, letter := range r.en {
		x := &args[i]
		switch letter {
		case 'R':
			reg = x.num()
		case 'M':
			rm = x
		case 'V':
			vvvv = x.num()
		case 'I':
			immVal = x.imm
		case 'L':
			immVal = int64(x.num()) << 4
		case 'O':
			opReg = x.num()
		}
		// SPL, BPL, SIL and DIL exist only with a REX prefix (without one,
		// 4-7 name AH, CH, DH and BH).
		c := r.classes[i]
		isByte := c == clR8 || c == clRM8 || w == W8 && (c == clR || c == clRM)
		if isByte && x.kind == argGPR && x.reg >= 4 && x.reg <= 7 {
			byteREX = true
		}
	}
	if r.ext >= 0 {
		reg = uint8(r.ext)
	}
	var rexX, rexB uint8
	if rm != nil {
		if rm.kind == argMem {
			m := &rm.mem
			if m.kind == memBaseIndex || m.kind == memIndex {
				rexX = uint8(m.index) >> 3
			}
			if m.kind == memBase || m.kind == memBaseIndex {
				rexB = uint8(m.base) >> 3
			}
		} else {
			rexB = rm.num() >> 3
		}
	}
	if r.plusR {
		rexB = opReg >> 3
	}
	rexR := reg >> 3
	wide := r.rexW || w == W64 && r.widths&ws64 != 0 && !r.vexWIG

	opcode := r.opcode
	last := opcode[len(opcode)-1]
	if r.plusCC {
		last += byte(cc)
	}
	if r.plusR {
		last += opReg & 7
	}

	if r.vex {
		var pp byte
		switch r.pfx {
		case 0x66:
			pp = 1
		case 0xF3:
			pp = 2
		case 0xF2:
			pp = 3
		}
		var l byte
		if r.vexL == vexL1 || r.vexL == vexLOperand && ymm {
			l = 1
		}
		var wb byte
		if wide {
			wb = 1
		}
		tail := (^vvvv&15)<<3 | l<<2 | pp
		if r.vexMap == 1 && wb == 0 && rexX == 0 && rexB == 0 {
			a.byte1(0xC5)
			a.byte1((^rexR&1)<<7 | tail)
		} else {
			a.byte1(0xC4)
			a.byte1((^rexR&1)<<7 | (^rexX&1)<<6 | (^rexB&1)<<5 | r.vexMap)
			a.byte1(wb<<7 | tail)
		}
	} else {
		if r.lock {
			a.byte1(0xF0)
		}
		if w == W16 && r.widths&ws16 != 0 {
			a.byte1(0x66)
		}
		if r.pfx != 0 {
			a.byte1(r.pfx)
		}
		rex := rexR<<2 | rexX<<1 | rexB
		if wide {
			rex |= 8
		}
		if rex != 0 || byteREX {
			a.byte1(0x40 | rex)
		}
	}
	a.bytes(opcode[:len(opcode)-1])
	a.byte1(last)

	labelDisp := -1
	if r.modrm {
		labelDisp = a.modrm(reg, rm)
	}
	if n := r.imm.size(w); n > 0 {
		a.le(uint64(immVal), n)
	}
	if labelDisp >= 0 {
		a.fixups = append(a.fixups, fixup{kind: fixRel32, at: labelDisp, end: len(a.buf), label: rm.mem.label, addend: rm.mem.disp})
	}
}

// modrm emits the ModRM byte and what follows it for operand rm. It
// returns the offset of a displacement still to be resolved against a
// label, or -1.
func (a *Assembler) modrm(reg uint8, rm *arg) int {
	reg &= 7
	if rm.kind != argMem {
		a.byte1(0xC0 | reg<<3 | rm.num()&7)
		return -1
	}
	m := &rm.mem
	switch m.kind {
	case memRIP, memLabel:
		a.byte1(reg<<3 | 5)
		at := len(a.buf)
		if m.kind == memRIP {
			a.le(uint64(uint32(m.disp)), 4)
			return -1
		}
		a.le(0, 4)
		return at
	case memIndex:
		a.byte1(reg<<3 | 4)
		a.byte1(scaleBits(m.scale)<<6 | (uint8(m.index)&7)<<3 | 5)
		a.le(uint64(uint32(m.disp)), 4)
		return -1
	}
	base := uint8(m.base) & 7
	var mod byte
	switch {
	case m.disp == 0 && base != 5: // RBP/R13 with mod 00 would mean RIP/disp32
		mod = 0
	case fitsInt8(int64(m.disp)):
		mod = 1
	default:
		mod = 2
	}
	if m.kind == memBaseIndex {
		a.byte1(mod<<6 | reg<<3 | 4)
		a.byte1(scaleBits(m.scale)<<6 | (uint8(m.index)&7)<<3 | base)
	} else if base == 4 { // RSP/R12 as base needs a SIB with no index
		a.byte1(mod<<6 | reg<<3 | 4)
		a.byte1(0x24)
	} else {
		a.byte1(mod<<6 | reg<<3 | base)
	}
	switch mod {
	case 1:
		a.byte1(byte(m.disp))
	case 2:
		a.le(uint64(uint32(m.disp)), 4)
	}
	return -1
}

func scaleBits(s uint8) uint8 {
	switch s {
	case 2:
		return 1
	case 4:
		return 2
	case 8:
		return 3
	}
	return 0
}
