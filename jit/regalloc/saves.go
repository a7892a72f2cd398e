package regalloc

import (
	"sort"

	"github.com/kilnrt/kiln/jit/ir"
)

// Clobber is a program point where every register is lost: a call or
// exit (values strictly across it survive in their save slots) or a loop
// back-edge's budget check (Inclusive: values live at the block's end,
// edge arguments included).
type Clobber struct {
	Pos       int
	Inclusive bool
}

// Live reports whether iv is live at c.
func (iv Interval) Live(c Clobber) bool {
	if c.Inclusive {
		return iv.Start <= c.Pos && c.Pos <= iv.End
	}
	return iv.Start < c.Pos && c.Pos < iv.End
}

// Saves gives every register-allocated value live at one of clobbers
// (in program order) a save slot from newSlot (-1: none; a v128 takes a
// VecSlot), and lists by clobber the values (IDs) live at it. Each
// register value visits only the clobbers its interval spans, so the
// work is the number of saves.
func Saves(ivs []Interval, locs []Loc, clobbers []Clobber, newSlot func() int32) (save []int32, liveAt [][]int32) {
	return saves(new(Work), ivs, locs, clobbers, newSlot)
}

func saves(w *Work, ivs []Interval, locs []Loc, clobbers []Clobber, newSlot func() int32) (save []int32, liveAt [][]int32) {
	save = fill(&w.save, len(locs), -1) // offset 0 may be a slot
	// The lists keep their arrays from one function to the next.
	if cap(w.liveAt) < len(clobbers) {
		w.liveAt = append(w.liveAt[:cap(w.liveAt)], make([][]int32, len(clobbers)-cap(w.liveAt))...)
	}
	liveAt = w.liveAt[:len(clobbers)]
	for k := range liveAt {
		liveAt[k] = liveAt[k][:0]
	}
	for id, l := range locs {
		if !l.IsReg() {
			continue
		}
		iv := ivs[id]
		for k := sort.Search(len(clobbers), func(k int) bool { return clobbers[k].Pos >= iv.Start }); k < len(clobbers) && clobbers[k].Pos <= iv.End; k++ {
			if iv.Live(clobbers[k]) {
				if save[id] < 0 && iv.V.Type == ir.V128 {
					save[id] = VecSlot(newSlot)
				} else if save[id] < 0 {
					save[id] = newSlot()
				}
				liveAt[k] = append(liveAt[k], int32(id))
			}
		}
	}
	return save, liveAt
}

// ClobberIndex is the index of c in clobbers (program order), or -1.
func ClobberIndex(clobbers []Clobber, c Clobber) int {
	k := sort.Search(len(clobbers), func(k int) bool { return clobbers[k].Pos >= c.Pos })
	for k < len(clobbers) && clobbers[k] != c {
		k++
	}
	if k == len(clobbers) {
		return -1
	}
	return k
}
