package arm64

import (
	"errors"
	"fmt"
	"sort"
)

// ErrBranchRange is wrapped by the error of a label reference whose target
// is beyond what its instruction can encode and that Finish cannot
// lengthen (B and BL beyond ±128 MiB, ADR and LDR literal beyond ±1 MiB,
// a table entry beyond 32 bits). Callers that can produce such code split it or use an
// indirect branch.
var ErrBranchRange = errors.New("arm64: branch target out of range")

type fixKind uint8

const (
	fixB26    fixKind = iota // B, BL: imm26 words, ±128 MiB
	fixCond19                // B.cond, CBZ, CBNZ: imm19 words, ±1 MiB; Finish may invert it around a B
	fixTest14                // TBZ, TBNZ: imm14 words, ±32 KiB; same
	fixAdr21                 // ADR: imm21 bytes, ±1 MiB
	fixDiff32                // 32-bit data word: label - base
	fixLit19                 // LDR (literal): imm19 words, ±1 MiB, not lengthened
	fixExtern                // BL to a symbol the linker resolves (CallExtern)
)

var fixNames = [...]string{"b/bl", "conditional branch", "test-and-branch", "adr", "table entry", "ldr literal", "extern call"}

func (k fixKind) String() string { return fixNames[k] }

// fixFields gives, per kind, the displacement field's position and width.
// The displacement counts words, except for ADR and table entries (bytes).
var fixFields = [...]struct{ lo, bits uint }{
	fixB26:    {0, 26},
	fixCond19: {5, 19},
	fixTest14: {5, 14},
	fixAdr21:  {0, 21}, // split immlo:immhi, see place
	fixDiff32: {0, 32},
	fixLit19:  {5, 19},
	fixExtern: {0, 26},
}

type fixup struct {
	kind  fixKind
	at    int // word index of the instruction
	label Label
	base  Label // fixDiff32 only
	long  bool  // conditional branch lengthened to "inverted +8; b label"
	sym   int   // fixExtern only
}

func (a *Assembler) ref(k fixKind, w uint32, l Label, name string) {
	if a.err != nil {
		return
	}
	if _, ok := a.labelIndex(l); !ok {
		a.failf("%s to unknown label %d", name, l.id)
		return
	}
	a.fixups = append(a.fixups, fixup{kind: k, at: len(a.words), label: l})
	a.emit(w)
}

// B branches to l (±128 MiB).
func (a *Assembler) B(l Label) { a.ref(fixB26, 0x14000000, l, "b") }

// BL calls l (±128 MiB), writing the return address to LR.
func (a *Assembler) BL(l Label) { a.ref(fixB26, 0x94000000, l, "bl") }

// BCond branches to l when c holds. Beyond ±1 MiB Finish emits the
// inverted condition around a B. BCond(AL) is B; NV is refused.
func (a *Assembler) BCond(c Cond, l Label) {
	switch {
	case c == AL:
		a.B(l)
	case c >= NV:
		a.failf("b.%v: condition cannot be used in a branch", c)
	default:
		a.ref(fixCond19, 0x54000000|uint32(c), l, "b."+c.String())
	}
}

// CBZ branches to l when rt (at width w) is zero; CBNZ when it is not.
// Beyond ±1 MiB Finish emits the opposite test around a B.
func (a *Assembler) CBZ(w Width, rt Reg, l Label) { a.cb(w, rt, l, 0, "cbz") }

// CBNZ is CBZ's opposite.
func (a *Assembler) CBNZ(w Width, rt Reg, l Label) { a.cb(w, rt, l, 1<<24, "cbnz") }

func (a *Assembler) cb(w Width, rt Reg, l Label, op uint32, name string) {
	if !a.width(w, name) {
		return
	}
	a.ref(fixCond19, w.sf()|0x34000000|op|a.rz(rt, name), l, name)
}

// TBZ branches to l when bit of rt is zero; TBNZ when it is one. Bits
// 32-63 test the X register. Beyond ±32 KiB Finish emits the opposite
// test around a B.
func (a *Assembler) TBZ(rt Reg, bit uint8, l Label) { a.tb(rt, bit, l, 0, "tbz") }

// TBNZ is TBZ's opposite.
func (a *Assembler) TBNZ(rt Reg, bit uint8, l Label) { a.tb(rt, bit, l, 1<<24, "tbnz") }

func (a *Assembler) tb(rt Reg, bit uint8, l Label, op uint32, name string) {
	if bit > 63 {
		a.failf("%s: bit %d out of range 0-63", name, bit)
		return
	}
	b := uint32(bit)
	a.ref(fixTest14, (b>>5)<<31|0x36000000|op|(b&31)<<19|a.rz(rt, name), l, name)
}

// ADR puts l's address in rd (±1 MiB).
func (a *Assembler) ADR(rd Reg, l Label) { a.ref(fixAdr21, 0x10000000|a.rz(rd, "adr"), l, "adr") }

// Diff32 emits a 32-bit data word holding label - base in bytes, for jump
// tables whose entries are offsets from the table's own label.
func (a *Assembler) Diff32(label, base Label) {
	if a.err != nil {
		return
	}
	for _, l := range [2]Label{label, base} {
		if _, ok := a.labelIndex(l); !ok {
			a.failf("table entry to unknown label %d", l.id)
			return
		}
	}
	a.fixups = append(a.fixups, fixup{kind: fixDiff32, at: len(a.words), label: label, base: base})
	a.emit(0)
}

// BR branches to the address in rn.
func (a *Assembler) BR(rn Reg) { a.emit(0xD61F0000 | a.rz(rn, "br")<<5) }

// BLR calls the address in rn.
func (a *Assembler) BLR(rn Reg) { a.emit(0xD63F0000 | a.rz(rn, "blr")<<5) }

// RET returns to the address in rn (LR normally).
func (a *Assembler) RET(rn Reg) { a.emit(0xD65F0000 | a.rz(rn, "ret")<<5) }

// resolve lays the code out and patches every reference. Conditional
// branches start short; each pass lengthens those that cannot reach, which
// only moves targets further, until nothing changes.
func (a *Assembler) resolve() ([]uint32, error) {
	fx := a.fixups // ordered by position: appended as emitted
	extra := make([]int, len(fx)+1)
	newPos := func(old int) int { // words inserted before old
		i := sort.Search(len(fx), func(i int) bool { return fx[i].at >= old })
		return old + extra[i]
	}
	for {
		for i, f := range fx {
			extra[i+1] = extra[i]
			if f.long {
				extra[i+1]++
			}
		}
		changed := false
		for i := range fx {
			f := &fx[i]
			if f.long || (f.kind != fixCond19 && f.kind != fixTest14) {
				continue
			}
			d := newPos(a.labels[f.label.id-1]) - newPos(f.at)
			if !fits(int64(d), fixFields[f.kind].bits) {
				f.long = true
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	out := make([]uint32, 0, len(a.words)+extra[len(fx)])
	next := 0
	for _, f := range fx {
		out = append(out, a.words[next:f.at]...)
		next = f.at + 1
		w := a.words[f.at]
		here := len(out)
		if f.kind == fixExtern {
			a.externs = append(a.externs, ExternRef{At: 4 * here, Sym: f.sym})
			out = append(out, w)
			continue
		}
		target := newPos(a.labels[f.label.id-1])
		if f.long {
			// The inverted test skips the B that follows it.
			w = place(f.kind, invert(w), 2)
			out = append(out, w, 0)
			here++
			f = fixup{kind: fixB26}
			w = 0x14000000
		} else {
			out = append(out, 0)
		}
		d := int64(target - here)
		switch f.kind {
		case fixAdr21:
			d *= 4
		case fixDiff32:
			d = 4 * int64(target-newPos(a.labels[f.base.id-1]))
		}
		if !fits(d, fixFields[f.kind].bits) {
			return nil, fmt.Errorf("%w: %s at %#x to label %d is %d bytes away", ErrBranchRange, f.kind, 4*here, f.label.id, 4*(target-here))
		}
		out[here] = place(f.kind, w, d)
	}
	out = append(out, a.words[next:]...)
	for i, p := range a.labels {
		if p >= 0 {
			a.labels[i] = newPos(p)
		}
	}
	return out, nil
}

// invert flips the sense of a conditional branch: the low condition bit
// of B.cond, CBZ<->CBNZ and TBZ<->TBNZ (bit 24).
func invert(w uint32) uint32 {
	if w>>24 == 0x54 {
		return w ^ 1
	}
	return w ^ 1<<24
}

// place writes displacement d (already in the field's unit) into w.
func place(k fixKind, w uint32, d int64) uint32 {
	f := fixFields[k]
	if k == fixAdr21 {
		u := uint32(d) & (1<<21 - 1)
		return w&^(3<<29|0x7FFFF<<5) | (u&3)<<29 | (u>>2)<<5
	}
	mask := uint32(1<<f.bits - 1)
	if f.bits == 32 {
		mask = ^uint32(0)
	}
	return w&^(mask<<f.lo) | (uint32(d)&mask)<<f.lo
}

// fits reports whether d is a signed bits-wide value.
func fits(d int64, bits uint) bool {
	return d >= -(1<<(bits-1)) && d < 1<<(bits-1)
}

// LdrLiteral loads rt from the word (W32) or doubleword (W64) at label l
// (±1 MiB; beyond is ErrBranchRange): constants placed after the code.
func (a *Assembler) LdrLiteral(w Width, rt Reg, l Label) {
	if a.width(w, "ldr") {
		a.ref(fixLit19, w.sf()>>1|0x18000000|a.rz(rt, "ldr"), l, "ldr literal")
	}
}

// FLdrLiteral loads the S, D or Q register vt from label l (±1 MiB).
func (a *Assembler) FLdrLiteral(sz Size, vt VReg, l Label) {
	if sz < S32 || sz > S128 {
		a.failf("ldr literal: no %d-byte SIMD&FP form", sz.Bytes())
		return
	}
	a.ref(fixLit19, uint32(sz-S32)<<30|0x1C000000|a.vr(vt, "ldr"), l, "ldr literal")
}
