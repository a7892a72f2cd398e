package arm64

import (
	"encoding/binary"
	"fmt"
)

// Piece is one separately assembled block of code for Link: the code
// Finish returned and the calls Externs listed.
type Piece struct {
	Code    []byte
	Externs []ExternRef
}

// Link lays pieces out one after another in one image, each at a
// multiple of align bytes (a power of two, at least 4; the gaps hold
// UDF #0, which traps), and points every external call at its symbol:
// where names the piece holding sym and the symbol's byte offset in it.
// A BL that reaches its target (±128 MiB) is patched to it directly; one
// that cannot is pointed at a veneer placed right after its own piece
// (one per piece and symbol), the far form of B through X16 (±2 GiB),
// which clobbers X16 and X17 as the AAPCS64 allows a linker veneer to.
// Veneers lengthen pieces and so move targets, so the layout is
// repeated until no call needs a new one. It returns the image and each
// piece's byte offset in it. Calls beyond the veneers' reach, or from a
// piece too long for its own veneers to be in reach (128 MiB), fail with
// ErrBranchRange.
func Link(pieces []Piece, align int, where func(sym int) (piece, off int, err error)) ([]byte, []int, error) {
	if align < 4 || align&(align-1) != 0 {
		return nil, nil, fmt.Errorf("arm64: link alignment %d is not a power of two of at least 4", align)
	}
	type call struct{ at, to int } // piece-relative BL offset; target index
	type place struct{ piece, off int }
	var targets []place
	symIndex := map[int]int{}
	calls := make([][]call, len(pieces))
	for i, p := range pieces {
		if len(p.Code)%4 != 0 {
			return nil, nil, fmt.Errorf("arm64: link: piece %d is %d bytes, not whole instructions", i, len(p.Code))
		}
		for _, r := range p.Externs {
			k, ok := symIndex[r.Sym]
			if !ok {
				tp, off, err := where(r.Sym)
				if err != nil {
					return nil, nil, fmt.Errorf("arm64: link: call from piece %d: %w", i, err)
				}
				if tp < 0 || tp >= len(pieces) || off < 0 || off > len(pieces[tp].Code) || off%4 != 0 {
					return nil, nil, fmt.Errorf("arm64: link: symbol %d is at %#x of piece %d: not an instruction of the %d pieces", r.Sym, off, tp, len(pieces))
				}
				k = len(targets)
				targets = append(targets, place{tp, off})
				symIndex[r.Sym] = k
			}
			calls[i] = append(calls[i], call{r.At, k})
		}
	}
	offs := make([]int, len(pieces))
	veneers := make([]map[int]int, len(pieces)) // per piece: target index -> slot
	const veneerBytes = 4 * farWords
	size := 0
	for {
		size = 0
		for i, p := range pieces {
			size = (size + align - 1) &^ (align - 1)
			offs[i] = size
			size += len(p.Code) + veneerBytes*len(veneers[i])
		}
		changed := false
		for i, cs := range calls {
			for _, c := range cs {
				t := targets[c.to]
				if _, ok := veneers[i][c.to]; ok {
					continue
				}
				if d := offs[t.piece] + t.off - (offs[i] + c.at); !fits(int64(d/4), 26) {
					if veneers[i] == nil {
						veneers[i] = map[int]int{}
					}
					veneers[i][c.to] = len(veneers[i])
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	image := make([]byte, size) // zero words are UDF #0
	for i, p := range pieces {
		copy(image[offs[i]:], p.Code)
		for k, j := range veneers[i] {
			at := offs[i] + len(p.Code) + veneerBytes*j
			t := targets[k]
			seq, err := farForm(fixB26, 0x14000000, int64(offs[t.piece]+t.off-at))
			if err != nil {
				return nil, nil, fmt.Errorf("arm64: link: veneer of piece %d: %w", i, err)
			}
			for n, w := range seq {
				binary.LittleEndian.PutUint32(image[at+4*n:], w)
			}
		}
		for _, c := range calls[i] {
			t := targets[c.to]
			to := offs[t.piece] + t.off
			if j, ok := veneers[i][c.to]; ok {
				to = offs[i] + len(p.Code) + veneerBytes*j
			}
			if err := PatchCall(image, offs[i]+c.at, to); err != nil {
				return nil, nil, fmt.Errorf("arm64: link: piece %d: %w", i, err)
			}
		}
	}
	return image, offs, nil
}
