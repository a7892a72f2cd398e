package regalloc

import (
	"cmp"
	"slices"

	"github.com/kilnrt/kiln/jit/ir"
)

// Config is what an instruction set tells the allocator.
type Config struct {
	// GPRs and Vecs are the allocatable registers (register numbers),
	// handed out from the end of each list first.
	GPRs, Vecs []uint8
	// Remat (nil: none) reports whether v is an integer constant that
	// gets no register or slot: every use takes it as an immediate or
	// loads it where needed (LocImm, the 64-bit image; an i32's is
	// zero-extended, as in a register).
	Remat func(v *ir.Value) bool
	// ReusesFirst (nil: never) reports whether v's lowering computes in
	// place over a copy of its first operand (op d, y after d = x) and
	// reads nothing after writing d: then v may take x's register when
	// x's interval ends at v, and the copy disappears.
	ReusesFirst func(v *ir.Value) bool
}

// Allocate assigns every value with a result a register or a stack slot
// by linear scan over the intervals; when registers run out, the value
// whose interval ends last is spilled for its whole lifetime. newSlot
// returns the offset of a fresh 8-byte slot; a v128 takes two
// consecutive ones (VecSlot).
func Allocate(ivs []Interval, c *Config, newSlot func() int32) []Loc {
	return allocate(new(Work), ivs, c, newSlot)
}

func allocate(w *Work, ivs []Interval, c *Config, newSlot func() int32) []Loc {
	slotFor := func(t ir.Type) Loc {
		if t == ir.V128 {
			return Slot(VecSlot(newSlot))
		}
		return Slot(newSlot())
	}
	locs := ir.Reuse(&w.locs, len(ivs))
	order := w.order[:0]
	for i := range ivs {
		if v := ivs[i].V; v != nil && c.Remat != nil && c.Remat(v) {
			imm := v.Aux
			if v.Type == ir.I32 { // zero-extended, as an i32 in a register
				imm = int64(uint32(imm))
			}
			locs[v.ID] = Imm(imm)
			continue
		}
		if ivs[i].V != nil && ivs[i].V.Type != ir.None {
			order = append(order, &ivs[i])
		}
	}
	// Start, then value ID: a total order, so any sort gives it.
	slices.SortFunc(order, func(x, y *Interval) int {
		if x.Start != y.Start {
			return cmp.Compare(x.Start, y.Start)
		}
		return cmp.Compare(x.V.ID, y.V.ID)
	})
	active := w.active[:0]
	freeG := append(w.freeG[:0], c.GPRs...)
	freeX := append(w.freeX[:0], c.Vecs...)
	defer func() { w.order, w.active, w.freeG, w.freeX = order, active, freeG, freeX }()
	release := func(iv *Interval) {
		l := locs[iv.V.ID]
		switch l.Kind {
		case LocGPR:
			freeG = append(freeG, l.Reg)
		case LocVec:
			freeX = append(freeX, l.Reg)
		}
	}
	// avoids reports whether iv may not hold l.
	avoids := func(iv *Interval, l Loc) bool { return l.Kind == LocGPR && iv.Avoid&(1<<l.Reg) != 0 }
	for _, iv := range order {
		kept := active[:0]
		for _, a := range active {
			if a.End < iv.Start {
				release(a)
			} else {
				kept = append(kept, a)
			}
		}
		active = kept
		if c.ReusesFirst != nil && handOff(iv, active, locs, c.ReusesFirst, avoids) {
			continue
		}
		fl := IsVec(iv.V.Type)
		fg := -1 // index of the free general register to take
		for i := len(freeG) - 1; !fl && i >= 0; i-- {
			if iv.Avoid&(1<<freeG[i]) == 0 {
				fg = i
				break
			}
		}
		switch {
		case fg >= 0:
			locs[iv.V.ID] = GPR(freeG[fg])
			freeG = append(freeG[:fg], freeG[fg+1:]...)
		case fl && len(freeX) > 0:
			locs[iv.V.ID] = Vec(freeX[len(freeX)-1])
			freeX = freeX[:len(freeX)-1]
		default:
			vi := -1
			for i, a := range active {
				if IsVec(a.V.Type) == fl && (vi < 0 || a.End > active[vi].End) && !avoids(iv, locs[a.V.ID]) {
					vi = i
				}
			}
			if vi >= 0 && active[vi].End > iv.End {
				victim := active[vi]
				locs[iv.V.ID] = locs[victim.V.ID]
				locs[victim.V.ID] = slotFor(victim.V.Type)
				active = append(active[:vi], active[vi+1:]...)
			} else {
				locs[iv.V.ID] = slotFor(iv.V.Type)
			}
		}
		// active holds only intervals in registers: a spilled one frees
		// nothing when it ends, and keeping it would make every step
		// scan all the spilled values still live.
		if locs[iv.V.ID].IsReg() {
			active = append(active, iv)
		}
	}
	return locs
}

// handOff gives iv the register of its first operand when that
// operand's interval ends where iv starts (iv's instruction is its last
// use) and iv's lowering allows it (reuses); it reports whether it did,
// replacing the operand in active by iv.
func handOff(iv *Interval, active []*Interval, locs []Loc, reuses func(*ir.Value) bool, avoids func(*Interval, Loc) bool) bool {
	if !reuses(iv.V) {
		return false
	}
	x := iv.V.Args[0]
	for i, a := range active {
		if a.V == x && a.End == iv.Start && IsVec(x.Type) == IsVec(iv.V.Type) && !avoids(iv, locs[x.ID]) {
			locs[iv.V.ID] = locs[x.ID]
			active[i] = iv
			return true
		}
	}
	return false
}
