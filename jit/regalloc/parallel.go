package regalloc

import "github.com/kilnrt/kiln/jit/ir"

// Move is one copy of a parallel move.
type Move struct {
	Dst, Src Loc
	T        ir.Type
}

// Parallel performs the moves as if all at once, through emit: a move
// runs when no other pending move still reads its destination; a cycle
// is broken by parking one destination's old value in scratch(m), a
// register no move uses. ms is reordered in place.
func Parallel(ms []Move, emit func(dst, src Loc, t ir.Type), scratch func(m Move) Loc) {
	pending := ms[:0]
	for _, m := range ms {
		if m.Dst != m.Src {
			pending = append(pending, m)
		}
	}
	for len(pending) > 0 {
		ready := -1
		for i, m := range pending {
			read := false
			for j, o := range pending {
				if j != i && o.Src == m.Dst {
					read = true
					break
				}
			}
			if !read {
				ready = i
				break
			}
		}
		if ready < 0 {
			m := pending[0]
			tmp := scratch(m)
			emit(tmp, m.Dst, m.T)
			for j := range pending {
				if pending[j].Src == m.Dst {
					pending[j].Src = tmp
				}
			}
			continue
		}
		m := pending[ready]
		emit(m.Dst, m.Src, m.T)
		pending = append(pending[:ready], pending[ready+1:]...)
	}
}
