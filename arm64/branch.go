package arm64

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// ErrBranchRange is wrapped by the error of a reference whose target is
// beyond even its longest form: a label more than ±2 GiB away (the far
// forms' reach), a table entry beyond 32 bits, or a call PatchCall or
// Link cannot reach.
var ErrBranchRange = errors.New("arm64: branch target out of range")

type fixKind uint8

const (
	fixB26    fixKind = iota // B, BL: imm26 words, ±128 MiB
	fixCond19                // B.cond, CBZ, CBNZ: imm19 words, ±1 MiB
	fixTest14                // TBZ, TBNZ: imm14 words, ±32 KiB
	fixAdr21                 // ADR: imm21 bytes, ±1 MiB
	fixDiff32                // 32-bit data word: label - base
	fixLit19                 // LDR (literal): imm19 words, ±1 MiB
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
	form  uint8 // formShort, formLong or formFar, chosen by resolve
	sym   int   // fixExtern only
}

func (a *Assembler) ref(k fixKind, w uint32, l Label, name string) {
	if a.err != nil {
		return
	}
	if !a.labels.Known(l.id) {
		a.failf("%s to unknown label %d", name, l.id)
		return
	}
	a.fixups = append(a.fixups, fixup{kind: k, at: len(a.words), label: l})
	a.emit(w)
}

// B branches to l: one instruction within ±128 MiB, else the far form
// (BR X16, clobbering X16 and X17; see the package doc).
func (a *Assembler) B(l Label) { a.ref(fixB26, 0x14000000, l, "b") }

// BL calls l, writing the return address to LR: one instruction within
// ±128 MiB, else the far form (BLR X16, clobbering X16 and X17).
func (a *Assembler) BL(l Label) { a.ref(fixB26, 0x94000000, l, "bl") }

// BCond branches to l when c holds. Beyond ±1 MiB Finish emits the
// inverted condition around a B (and beyond ±128 MiB around B's far
// form). BCond(AL) is B; NV is refused.
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
// Beyond ±1 MiB Finish emits the opposite test around a B (as BCond).
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
// test around a B (as BCond).
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

// ADR puts l's address in rd: one instruction within ±1 MiB, else the
// far form (clobbering X16 and X17).
func (a *Assembler) ADR(rd Reg, l Label) { a.ref(fixAdr21, 0x10000000|a.rz(rd, "adr"), l, "adr") }

// Diff32 emits a 32-bit data word holding label - base in bytes, for jump
// tables whose entries are offsets from the table's own label.
func (a *Assembler) Diff32(label, base Label) {
	if a.err != nil {
		return
	}
	for _, l := range [2]Label{label, base} {
		if !a.labels.Known(l.id) {
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

// Forms of a label reference, in the order Finish tries them: each is
// longer and reaches further than the one before.
const (
	formShort uint8 = iota // the instruction itself
	formLong               // conditional: the opposite test skipping a B (±128 MiB)
	formFar                // through X16 = PC + 32-bit offset (±2 GiB), see farAddr
)

// formWords is the length in words of each kind's forms (0: none).
var formWords = [...][3]int{
	fixB26:    {1, 0, farWords},
	fixCond19: {1, 2, 1 + farWords},
	fixTest14: {1, 2, 1 + farWords},
	fixAdr21:  {1, 0, farAddrWords},
	fixDiff32: {1, 0, 0},
	fixLit19:  {1, 0, farWords},
	fixExtern: {1, 0, 0},
}

// farAddrWords is the length of farAddr; farWords of farAddr and the one
// instruction using X16 (BR, BLR or a load).
const (
	farAddrWords = 4
	farWords     = farAddrWords + 1
)

// Scratch registers of the far forms: IP0 and IP1, which the AAPCS64
// reserves for exactly this (linker veneers).
const (
	farTmp  = 16 // X16: the target address
	farBase = 17 // X17: the sequence's own address
)

// resolve lays the code out and patches every reference. Every reference
// starts in its shortest form; each pass moves those that cannot reach to
// their next form, which only moves targets further, until nothing
// changes.
func (a *Assembler) resolve() ([]byte, error) {
	fx := a.fixups // ordered by position: appended as emitted
	extra := make([]int, len(fx)+1)
	newPos := func(old int) int { // words inserted before old
		i := sort.Search(len(fx), func(i int) bool { return fx[i].at >= old })
		return old + extra[i]
	}
	for {
		for i, f := range fx {
			extra[i+1] = extra[i] + formWords[f.kind][f.form] - 1
		}
		changed := false
		for i := range fx {
			f := &fx[i]
			if f.form == formFar || formWords[f.kind][formFar] == 0 {
				continue
			}
			here := newPos(f.at)
			d := int64(newPos(a.pos(f.label)) - here)
			reach := fixFields[f.kind].bits
			switch {
			case f.form == formLong:
				d-- // from the B after the opposite test
				reach = fixFields[fixB26].bits
			case f.kind == fixAdr21:
				d *= 4
			}
			if fits(d, reach) {
				continue
			}
			f.form++
			if formWords[f.kind][f.form] == 0 {
				f.form++
			}
			changed = true
		}
		if !changed {
			break
		}
	}
	out := make([]byte, 4*(len(a.words)+extra[len(fx)]))
	n := 0 // words written
	put := func(ws ...uint32) {
		for _, w := range ws {
			binary.LittleEndian.PutUint32(out[4*n:], w)
			n++
		}
	}
	next := 0
	for _, f := range fx {
		put(a.words[next:f.at]...)
		next = f.at + 1
		w := a.words[f.at]
		here := n
		if f.kind == fixExtern {
			a.externs = append(a.externs, ExternRef{At: 4 * here, Sym: f.sym})
			put(w)
			continue
		}
		target := newPos(a.pos(f.label))
		kind := f.kind
		switch f.form {
		case formLong:
			// The opposite test skips the B that follows it.
			put(place(kind, invert(w), 2))
			here++
			kind, w = fixB26, 0x14000000
		case formFar:
			if kind == fixCond19 || kind == fixTest14 {
				put(place(kind, invert(w), 1+farWords))
				here++
			}
			seq, err := farForm(kind, w, int64(4*(target-here)))
			if err != nil {
				return nil, fmt.Errorf("%w: %s at %#x to label %d", err, f.kind, 4*here, f.label.id)
			}
			put(seq...)
			continue
		}
		d := int64(target - here)
		switch kind {
		case fixAdr21:
			d *= 4
		case fixDiff32:
			d = 4 * int64(target-newPos(a.pos(f.base)))
		}
		if !fits(d, fixFields[kind].bits) {
			return nil, fmt.Errorf("%w: %s at %#x to label %d is %d bytes away", ErrBranchRange, f.kind, 4*here, f.label.id, 4*(target-here))
		}
		put(place(kind, w, d))
	}
	put(a.words[next:]...)
	a.labels.Move(newPos)
	return out, nil
}

// farAddr returns the words setting X16 to their own address plus d
// bytes (±2 GiB), clobbering X17:
//
//	ADR  X17, .                 // X17 = this sequence
//	MOVZ X16, #d[15:0]
//	MOVK X16, #d[31:16], LSL #16
//	ADD  rd, X17, W16, SXTW     // rd = X17 + sign-extended d
//
// rd is X16 except for ADR, whose destination it is.
func farAddr(rd uint32, d int64) ([]uint32, error) {
	if d != int64(int32(d)) {
		return nil, fmt.Errorf("%w: %d bytes away, beyond ±2 GiB", ErrBranchRange, d)
	}
	u := uint32(d)
	return []uint32{
		0x10000000 | farBase,
		0xD2800000 | (u&0xFFFF)<<5 | farTmp,
		0xF2A00000 | (u>>16)<<5 | farTmp,
		0x8B20C000 | farTmp<<16 | farBase<<5 | rd,
	}, nil
}

// farForm is the long-distance form of the reference w of kind k, d
// bytes from its target: farAddr into X16 and then BR or BLR X16 (B, BL,
// and conditional branches, whose opposite test the caller emits), the
// load from [X16] (LDR literal), or the address itself (ADR).
func farForm(k fixKind, w uint32, d int64) ([]uint32, error) {
	rd := uint32(farTmp)
	if k == fixAdr21 {
		rd = w & 31
	}
	seq, err := farAddr(rd, d)
	if err != nil {
		return nil, err
	}
	switch k {
	case fixAdr21:
		if rd == 31 { // ADR XZR: nothing to write (31 would be SP in ADD)
			seq[3] = nopWord
		}
	case fixLit19:
		seq = append(seq, literalAsLoad(w)|farTmp<<5)
	case fixB26:
		if w&0x80000000 != 0 {
			seq = append(seq, 0xD63F0000|farTmp<<5) // BLR X16
		} else {
			seq = append(seq, 0xD61F0000|farTmp<<5) // BR X16
		}
	default: // conditional: the caller has emitted the opposite test
		seq = append(seq, 0xD61F0000|farTmp<<5)
	}
	return seq, nil
}

const nopWord = 0xD503201F

// literalAsLoad turns LDR (literal) into the same load from [Xn, #0]
// (Rn left zero): W, X, S, D or Q by the literal's opc and V bits.
func literalAsLoad(w uint32) uint32 {
	rt := w & 31
	switch w &^ 31 &^ (0x7FFFF << 5) {
	case 0x18000000: // W
		return 0xB9400000 | rt
	case 0x58000000: // X
		return 0xF9400000 | rt
	case 0x1C000000: // S
		return 0xBD400000 | rt
	case 0x5C000000: // D
		return 0xFD400000 | rt
	default: // 0x9C000000: Q
		return 0x3DC00000 | rt
	}
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

// LdrLiteral loads rt from the word (W32) or doubleword (W64) at label l:
// constants placed after the code. One instruction within ±1 MiB, else
// the far form's address in X16 and the load from [X16] (clobbering X16
// and X17).
func (a *Assembler) LdrLiteral(w Width, rt Reg, l Label) {
	if a.width(w, "ldr") {
		a.ref(fixLit19, w.sf()>>1|0x18000000|a.rz(rt, "ldr"), l, "ldr literal")
	}
}

// FLdrLiteral loads the S, D or Q register vt from label l, as
// LdrLiteral.
func (a *Assembler) FLdrLiteral(sz Size, vt VReg, l Label) {
	if sz < S32 || sz > S128 {
		a.failf("ldr literal: no %d-byte SIMD&FP form", sz.Bytes())
		return
	}
	a.ref(fixLit19, uint32(sz-S32)<<30|0x1C000000|a.vr(vt, "ldr"), l, "ldr literal")
}
