package regalloc

import "math/bits"

type bitset []uint64

func (s bitset) set(i int)         { s[i/64] |= 1 << (i % 64) }
func (s bitset) clear(i int)       { s[i/64] &^= 1 << (i % 64) }
func (s bitset) copyFrom(o bitset) { copy(s, o) }
func (s bitset) each(f func(i int)) {
	for w, word := range s {
		for word != 0 {
			i := bits.TrailingZeros64(word)
			f(w*64 + i)
			word &^= 1 << i
		}
	}
}

func (s bitset) orInto(o bitset) bool { // s |= o, reports change
	changed := false
	for i, w := range o {
		if s[i]|w != s[i] {
			s[i] |= w
			changed = true
		}
	}
	return changed
}
