package amd64

import (
	"errors"
	"fmt"
	"sort"

	"github.com/kilnrt/kiln/internal/asmlabel"
)

// Assembler builds one block of machine code. Instructions append to its
// buffer; Label positions and every reference to them (branches, calls,
// RIP-relative operands, table entries) are resolved by Finish, which also
// shortens forward branches to their 2-byte forms where the distance
// allows.
//
// Errors are sticky: the first bad instruction (no form for its operands,
// an immediate out of range, a feature the target lacks) is remembered, the
// rest are ignored, and Finish returns it. Offsets taken before Finish
// (Len) are provisional because relaxation moves code; use labels and
// Offset for anything that must survive.
type Assembler struct {
	target  Features
	used    Features
	buf     []byte
	labels  asmlabel.Table // offset of each label
	fixups  []fixup
	err     error
	done    bool
	scratch relaxScratch // Finish's work space, kept across Reset
}

// relaxScratch is the memory relax reuses from one function to the next.
type relaxScratch struct {
	sites, starts, savings, saved, targets []int
	short                                  []bool
}

// Label is a position in the code, created by NewLabel and placed by Bind.
// The zero Label is invalid.
type Label struct{ id asmlabel.ID }

type fixKind uint8

const (
	fixRel8   fixKind = iota // 1-byte displacement from end to label
	fixRel32                 // 4-byte displacement from end to label
	fixBranch                // jmp/jcc rel32 that Finish may shorten to rel8
	fixDiff32                // 4-byte label - base (jump tables)
	fixExtern                // call rel32 to a symbol the linker resolves (extern.go)
)

type fixup struct {
	kind   fixKind
	at     int // offset of the field
	end    int // offset the displacement is relative to (rel kinds)
	start  int // branch: offset of the instruction
	cc     int // branch: condition code, or -1 for jmp
	label  Label
	base   Label // diff32
	addend int32
	sym    int // extern
}

// NewAssembler returns an assembler for a CPU with the given features;
// instructions needing anything else are errors.
func NewAssembler(target Features) *Assembler {
	return &Assembler{target: target}
}

// Target is the feature set the assembler was created for.
func (a *Assembler) Target() Features { return a.target }

// Used is the set of features the instructions so far need: what a compiled
// module must record and check at load.
func (a *Assembler) Used() Features { return a.used }

// Err is the first error so far, if any.
func (a *Assembler) Err() error { return a.err }

// Len is the current (provisional) length of the code.
func (a *Assembler) Len() int { return len(a.buf) }

func (a *Assembler) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

// NewLabel returns a fresh unbound label.
func (a *Assembler) NewLabel() Label { return Label{id: a.labels.New()} }

// Bind places l at the current position. A label is bound once.
func (a *Assembler) Bind(l Label) {
	if err := a.labels.Bind(l.id, len(a.buf)); err != nil {
		a.fail(fmt.Errorf("amd64: %w", err))
	}
}

// Offset is l's position in the finished code. Valid after Finish.
func (a *Assembler) Offset(l Label) (int, error) {
	p, err := a.labels.Offset(l.id, a.done)
	if err != nil {
		return 0, fmt.Errorf("amd64: %w", err)
	}
	return p, nil
}

func (a *Assembler) boundAt(l Label) (int, bool) { return a.labels.Pos(l.id) }

func (a *Assembler) byte1(b byte)   { a.buf = append(a.buf, b) }
func (a *Assembler) bytes(b []byte) { a.buf = append(a.buf, b...) }
func (a *Assembler) le(v uint64, n int) {
	for i := 0; i < n; i++ {
		a.buf = append(a.buf, byte(v>>(8*i)))
	}
}

func fitsInt8(v int64) bool  { return v >= -128 && v <= 127 }
func fitsInt32(v int64) bool { return v >= -1<<31 && v <= 1<<31-1 }

func (a *Assembler) checkLabel(l Label) bool {
	if !a.labels.Known(l.id) {
		a.fail(fmt.Errorf("amd64: unknown label %d", l.id))
		return false
	}
	return true
}

// Jmp jumps to l. Finish picks the 2- or 5-byte form.
func (a *Assembler) Jmp(l Label) { a.branch(-1, l) }

// Jcc jumps to l when cc holds. Finish picks the 2- or 6-byte form.
func (a *Assembler) Jcc(cc Cond, l Label) {
	if cc > CondG {
		a.fail(fmt.Errorf("amd64: bad condition %d", cc))
		return
	}
	a.branch(int(cc), l)
}

func (a *Assembler) branch(cc int, l Label) {
	if a.err != nil || !a.checkLabel(l) {
		return
	}
	start := len(a.buf)
	if target, ok := a.boundAt(l); ok && fitsInt8(int64(target-(start+2))) {
		// Backward and near: code between only shrinks, so rel8 stays valid.
		if cc < 0 {
			a.byte1(0xEB)
		} else {
			a.byte1(0x70 + byte(cc))
		}
		a.byte1(0)
		a.fixups = append(a.fixups, fixup{kind: fixRel8, at: start + 1, end: start + 2, label: l})
		return
	}
	if cc < 0 {
		a.byte1(0xE9)
	} else {
		a.bytes([]byte{0x0F, 0x80 + byte(cc)})
	}
	at := len(a.buf)
	a.le(0, 4)
	a.fixups = append(a.fixups, fixup{kind: fixBranch, at: at, end: at + 4, start: start, cc: cc, label: l})
}

// Call calls l (rel32).
func (a *Assembler) Call(l Label) {
	if a.err != nil || !a.checkLabel(l) {
		return
	}
	a.byte1(0xE8)
	at := len(a.buf)
	a.le(0, 4)
	a.fixups = append(a.fixups, fixup{kind: fixRel32, at: at, end: at + 4, label: l})
}

// Diff32 emits the 32-bit value label - base (+addend), for jump tables
// whose entries are offsets from the table's own label.
func (a *Assembler) Diff32(label, base Label, addend int32) {
	if a.err != nil || !a.checkLabel(label) || !a.checkLabel(base) {
		return
	}
	at := len(a.buf)
	a.le(0, 4)
	a.fixups = append(a.fixups, fixup{kind: fixDiff32, at: at, label: label, base: base, addend: addend})
}

// Bytes appends raw bytes (data, padding).
func (a *Assembler) Bytes(b ...byte) {
	if a.err == nil {
		a.bytes(b)
	}
}

// Finish resolves every label reference, shortens branches and returns the
// code. The assembler must not be used to emit more afterwards.
func (a *Assembler) Finish() ([]byte, error) {
	if a.done {
		return nil, errors.New("amd64: Finish called twice")
	}
	a.done = true
	if a.err != nil {
		return nil, a.err
	}
	for _, f := range a.fixups {
		if f.kind == fixExtern {
			continue
		}
		_, ok := a.boundAt(f.label)
		if ok && f.kind == fixDiff32 {
			_, ok = a.boundAt(f.base)
		}
		if !ok {
			a.err = errors.New("amd64: a label is used but never bound")
			return nil, a.err
		}
	}
	a.relax()
	for _, f := range a.fixups {
		target, _ := a.boundAt(f.label)
		switch f.kind {
		case fixRel8:
			d := int64(target) + int64(f.addend) - int64(f.end)
			if !fitsInt8(d) {
				a.err = fmt.Errorf("amd64: rel8 displacement %d out of range", d)
				return nil, a.err
			}
			a.buf[f.at] = byte(d)
		case fixRel32, fixBranch, fixDiff32:
			d := int64(target) + int64(f.addend) - int64(f.end)
			if f.kind == fixDiff32 {
				base, _ := a.boundAt(f.base)
				d = int64(target) + int64(f.addend) - int64(base)
			}
			if !fitsInt32(d) {
				a.err = fmt.Errorf("amd64: rel32 displacement %d out of range", d)
				return nil, a.err
			}
			for i := 0; i < 4; i++ {
				a.buf[f.at+i] = byte(uint32(d) >> (8 * i))
			}
		}
	}
	return a.buf, nil
}

// relax turns every fixBranch that can reach its target with a rel8 into
// a 2-byte branch and moves the code and all positions accordingly.
// Shrinking one branch never lengthens the distance of another, so
// marking branches until nothing changes reaches a fixed point.
func (a *Assembler) relax() {
	rs := &a.scratch
	sites := rs.sites[:0] // indexes into fixups of fixBranch, in code order
	for i, f := range a.fixups {
		if f.kind == fixBranch {
			sites = append(sites, i)
		}
	}
	rs.sites = sites
	if len(sites) == 0 {
		return
	}
	// Fixups are appended as code is emitted, so branch sites are in code
	// order already; sort only if not.
	if !sort.SliceIsSorted(sites, func(i, j int) bool { return a.fixups[sites[i]].start < a.fixups[sites[j]].start }) {
		sort.Slice(sites, func(i, j int) bool { return a.fixups[sites[i]].start < a.fixups[sites[j]].start })
	}
	n := len(sites)
	starts, savings := grow(rs.starts, n), grow(rs.savings, n) // savings: bytes a site saves when short
	rs.starts, rs.savings = starts, savings
	for k, i := range sites {
		f := &a.fixups[i]
		starts[k], savings[k] = f.start, f.end-f.start-2
	}
	short := rs.short[:0]
	for range sites {
		short = append(short, false)
	}
	rs.short = short
	// saved[k] = bytes removed by short sites among sites[:k].
	saved := grow(rs.saved, n+1)
	rs.saved = saved
	saved[0] = 0
	recount := func() {
		for k := range sites {
			saved[k+1] = saved[k]
			if short[k] {
				saved[k+1] += savings[k]
			}
		}
	}
	// targets[k] is site k's target and the number of sites starting
	// strictly before it, which no pass changes: a position moves back by
	// the savings of the short sites before it.
	targets := grow(rs.targets, 2*n)
	rs.targets = targets
	for k, i := range sites {
		target, _ := a.boundAt(a.fixups[i].label)
		targets[2*k], targets[2*k+1] = target, sort.SearchInts(starts, target)
	}
	for changed := true; changed; {
		changed = false
		recount()
		for k := range sites {
			if short[k] {
				continue
			}
			// Sites start at distinct offsets: k sites start before site k.
			if fitsInt8(int64(targets[2*k] - saved[targets[2*k+1]] - (starts[k] - saved[k] + 2))) {
				short[k] = true
				changed = true
			}
		}
	}
	recount()
	if saved[n] == 0 {
		return
	}
	newPos := func(old int) int {
		k := sort.SearchInts(starts, old) // sites starting strictly before old
		return old - saved[k]
	}
	// Compact the code in place: every piece moves towards the start.
	w, prev := 0, 0
	for k, i := range sites {
		if !short[k] {
			continue
		}
		f := &a.fixups[i]
		w += copy(a.buf[w:], a.buf[prev:f.start])
		if f.cc < 0 {
			a.buf[w] = 0xEB
		} else {
			a.buf[w] = 0x70 + byte(f.cc)
		}
		a.buf[w+1] = 0
		w += 2
		prev = f.end
		at := newPos(f.start) + 1
		*f = fixup{kind: fixRel8, at: at, end: at + 1, label: f.label, cc: -2} // cc -2: already mapped
	}
	w += copy(a.buf[w:], a.buf[prev:])
	// Fixups are in code order (appended as code is emitted): the sites
	// before each are counted by walking along, not searched for.
	k := 0
	mapped := func(old int) int {
		for k < n && starts[k] < old {
			k++
		}
		return old - saved[k]
	}
	for i := range a.fixups {
		f := &a.fixups[i]
		if f.cc == -2 {
			continue
		}
		if f.kind == fixBranch { // only branches have a start
			f.start = mapped(f.start)
		}
		f.at = mapped(f.at)
		if f.kind != fixDiff32 { // which has no end
			f.end = mapped(f.end)
		}
	}
	a.labels.Move(newPos)
	a.buf = a.buf[:w]
}

// grow returns s resized to n elements, reusing its memory when it can.
func grow(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}
