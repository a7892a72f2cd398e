package arm64

import "math/bits"

// Logical immediates: a value is encodable when it is a repetition, over
// 64 bits, of an element of 2, 4, 8, 16, 32 or 64 bits that is a rotated
// run of ones (neither all zeros nor all ones). The encoding gives the
// element size and run length in N:imms and the rotation in immr.

// LogicalImm reports whether v is encodable as the immediate of AND, ORR,
// EOR or ANDS at width w (at W32 v must fit in 32 bits).
func LogicalImm(w Width, v uint64) bool {
	_, _, _, ok := encodeBitmask(w, v)
	return ok
}

func encodeBitmask(w Width, v uint64) (n, immr, imms uint32, ok bool) {
	switch w {
	case W32:
		if v>>32 != 0 {
			return 0, 0, 0, false
		}
		v |= v << 32
	case W64:
	default:
		return 0, 0, 0, false
	}
	if v == 0 || v == ^uint64(0) {
		return 0, 0, 0, false
	}
	// The smallest period of the pattern.
	size := uint(64)
	for size > 2 {
		half := size / 2
		mask := uint64(1)<<half - 1
		if v&mask != (v>>half)&mask {
			break
		}
		size = half
	}
	mask := ^uint64(0) >> (64 - size)
	elem := v & mask
	ones := bits.OnesCount64(elem)
	run := uint64(1)<<uint(ones) - 1
	// Find r with elem rotated right by r (within size bits) == run.
	for r := uint(0); r < size; r++ {
		rot := (elem>>r | elem<<(size-r)) & mask
		if rot == run {
			if size == 64 {
				n = 1
			}
			immr = uint32((size - r) % size)
			imms = uint32((^(size - 1))<<1&0x3F) | uint32(ones-1)
			return n, immr, imms, true
		}
	}
	return 0, 0, 0, false
}

// decodeBitmask is encodeBitmask's inverse (for the tests and MovImm's
// checks): the value at width w of N:immr:imms, or false when reserved.
func decodeBitmask(w Width, n, immr, imms uint32) (uint64, bool) {
	l := bits.Len32(n<<6 | (^imms & 0x3F))
	if l < 2 {
		return 0, false
	}
	size := uint(1) << (l - 1)
	levels := uint32(size - 1)
	s, r := imms&levels, immr&levels
	if s == levels || (w == W32 && n == 1) {
		return 0, false
	}
	mask := ^uint64(0) >> (64 - size)
	elem := uint64(1)<<(s+1) - 1
	elem = (elem>>r | elem<<(size-uint(r))) & mask
	v := elem
	for sz := size; sz < 64; sz *= 2 {
		v |= v << sz
	}
	if w == W32 {
		v &= 0xFFFFFFFF
	}
	return v, true
}
