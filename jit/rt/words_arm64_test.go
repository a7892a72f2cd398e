//go:build linux

package rt

import (
	"encoding/binary"
	"testing"
)

// A few AArch64 instructions as raw 32-bit words, enough to write the
// tests' machine code by hand (the arm64 encoder is a separate package,
// tested against a disassembler; these words were checked with llvm-mc).
// Registers are X-register numbers; 31 is SP or XZR as the form says.

const (
	xzr = 31
	sp  = 31
	x16 = 16 // scratch (IP0) for the stubs
	x17 = 17
	lr  = 30
	fp  = 29
)

func movz(rd, imm16, hw uint32) uint32 { return 0xD2800000 | hw<<21 | imm16<<5 | rd }
func movk(rd, imm16, hw uint32) uint32 { return 0xF2800000 | hw<<21 | imm16<<5 | rd }

// movImm is MOVZ and up to three MOVKs loading v into rd.
func movImm(rd uint32, v uint64) []uint32 {
	w := []uint32{movz(rd, uint32(v&0xffff), 0)}
	for hw := uint32(1); hw < 4; hw++ {
		if h := uint32(v >> (16 * hw) & 0xffff); h != 0 {
			w = append(w, movk(rd, h, hw))
		}
	}
	return w
}

func addReg(rd, rn, rm uint32) uint32  { return 0x8B000000 | rm<<16 | rn<<5 | rd }
func addImm(rd, rn, imm uint32) uint32 { return 0x91000000 | imm<<10 | rn<<5 | rd } // rd, rn may be SP
func subImm(rd, rn, imm uint32) uint32 { return 0xD1000000 | imm<<10 | rn<<5 | rd }
func cmpReg(rn, rm uint32) uint32      { return 0xEB000000 | rm<<16 | rn<<5 | xzr }
func movReg(rd, rm uint32) uint32      { return 0xAA0003E0 | rm<<16 | rd } // ORR rd, XZR, rm
func ldr(rt, rn, off uint32) uint32    { return 0xF9400000 | off/8<<10 | rn<<5 | rt }
func str(rt, rn, off uint32) uint32    { return 0xF9000000 | off/8<<10 | rn<<5 | rt }
func strw(rt, rn, off uint32) uint32   { return 0xB9000000 | off/4<<10 | rn<<5 | rt }
func fmovToD(dd, xn uint32) uint32     { return 0x9E670000 | xn<<5 | dd } // FMOV Dd, Xn
func fmovFromD(xd, dn uint32) uint32   { return 0x9E660000 | dn<<5 | xd } // FMOV Xd, Dn

// stpPre is STP rt1, rt2, [rn, #imm]! and ldpPost LDP rt1, rt2, [rn], #imm.
func stpPre(rt1, rt2, rn uint32, imm int32) uint32 {
	return 0xA9800000 | uint32(imm/8)&0x7f<<15 | rt2<<10 | rn<<5 | rt1
}
func ldpPost(rt1, rt2, rn uint32, imm int32) uint32 {
	return 0xA8C00000 | uint32(imm/8)&0x7f<<15 | rt2<<10 | rn<<5 | rt1
}

// ldp is LDP rt1, rt2, [rn, #imm].
func ldp(rt1, rt2, rn uint32, imm int32) uint32 {
	return 0xA9400000 | uint32(imm/8)&0x7f<<15 | rt2<<10 | rn<<5 | rt1
}

const (
	ret    = 0xD65F03C0
	condEQ = 0x0
	condNE = 0x1
	condLO = 0x3
)

// prog is machine code under construction with labels for branches.
type prog struct {
	w      []uint32
	labels map[string]int
	fixes  []fix
}

type fix struct {
	at    int
	label string
	kind  byte // 'b' B, 'l' BL, 'c' B.cond (cond in the word already)
}

func newProg() *prog { return &prog{labels: map[string]int{}} }

func (p *prog) emit(w ...uint32) { p.w = append(p.w, w...) }

func (p *prog) bind(label string) { p.labels[label] = len(p.w) }

func (p *prog) branch(kind byte, label string, cond uint32) {
	p.fixes = append(p.fixes, fix{len(p.w), label, kind})
	switch kind {
	case 'b':
		p.emit(0x14000000)
	case 'l':
		p.emit(0x94000000)
	case 'c':
		p.emit(0x54000000 | cond)
	}
}

func (p *prog) b(label string)              { p.branch('b', label, 0) }
func (p *prog) bl(label string)             { p.branch('l', label, 0) }
func (p *prog) bcond(cond uint32, l string) { p.branch('c', l, cond) }

// bytes resolves the branches and returns the code.
func (p *prog) bytes(t *testing.T) []byte {
	t.Helper()
	for _, f := range p.fixes {
		to, ok := p.labels[f.label]
		if !ok {
			t.Fatalf("label %q not bound", f.label)
		}
		d := uint32(to - f.at)
		if f.kind == 'c' {
			p.w[f.at] |= d & 0x7ffff << 5
		} else {
			p.w[f.at] |= d & 0x3ffffff
		}
	}
	code := make([]byte, 4*len(p.w))
	for i, w := range p.w {
		binary.LittleEndian.PutUint32(code[4*i:], w)
	}
	return code
}

// mapped maps the code until the test ends and returns it with the
// address of each label.
func (p *prog) mapped(t *testing.T) (*Code, map[string]uintptr) {
	t.Helper()
	c, err := Map(p.bytes(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Error(err)
		}
	})
	addrs := map[string]uintptr{}
	for l, i := range p.labels {
		addrs[l] = c.Addr() + uintptr(4*i)
	}
	return c, addrs
}
