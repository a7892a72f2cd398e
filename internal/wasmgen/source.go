package wasmgen

// source turns the input bytes into choices. When the bytes run out every
// choice is zero, which always selects the smallest, terminating option.
type source struct {
	data []byte
	pos  int
}

func (s *source) byte() byte {
	if s.pos >= len(s.data) {
		return 0
	}
	b := s.data[s.pos]
	s.pos++
	return b
}

func (s *source) exhausted() bool { return s.pos >= len(s.data) }

// intn returns a number in [0, n) (0 when n <= 1).
func (s *source) intn(n int) int {
	if n <= 1 {
		return 0
	}
	var v uint32
	if n <= 256 {
		v = uint32(s.byte())
	} else {
		v = uint32(s.byte()) | uint32(s.byte())<<8 | uint32(s.byte())<<16
	}
	return int(v % uint32(n))
}

// chance reports true with probability about num/den (never when the input
// is exhausted).
func (s *source) chance(num, den int) bool { return s.intn(den) >= den-num }

func (s *source) u32() uint32 {
	return uint32(s.byte()) | uint32(s.byte())<<8 | uint32(s.byte())<<16 | uint32(s.byte())<<24
}

func (s *source) u64() uint64 { return uint64(s.u32()) | uint64(s.u32())<<32 }

// interestingU64 returns a 64-bit pattern biased towards edge cases.
func (s *source) interestingU64() uint64 {
	switch s.intn(8) {
	case 0:
		return uint64(s.intn(5))
	case 1:
		return []uint64{
			0, 1, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000,
			0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFF80000000, 0x100000000,
			0xFFFF, 0x10000, 0xFF, 0x80, 0x8000, 63, 64, 31, 32,
		}[s.intn(19)]
	case 2:
		return uint64(int64(int8(s.byte())))
	case 3:
		return uint64(s.u32())
	default:
		return s.u64()
	}
}

// interestingF32 returns float32 bits biased towards edge cases.
func (s *source) interestingF32() uint32 {
	if s.chance(1, 2) {
		return s.u32()
	}
	return []uint32{
		0, 0x80000000, 0x3F800000, 0xBF800000, 0x7F800000, 0xFF800000, 0x7FC00000,
		0xFFC00000, 0x7FA00000, 0x00000001, 0x807FFFFF, 0x7F7FFFFF, 0x4F000000,
		0xCF000000, 0x4F800000, 0x5F000000, 0xDF000000, 0x5F800000, 0x3F000000,
		0x3FC00000, 0x40200000, 0xC0200000, 0x4B000001, 0x4EFFFFFF, 0xBF7FFFFF,
	}[s.intn(25)]
}

// interestingF64 returns float64 bits biased towards edge cases.
func (s *source) interestingF64() uint64 {
	if s.chance(1, 2) {
		return s.u64()
	}
	return []uint64{
		0, 0x8000000000000000, 0x3FF0000000000000, 0xBFF0000000000000,
		0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000, 0xFFF8000000000000,
		0x7FF4000000000000, 1, 0x800FFFFFFFFFFFFF, 0x7FEFFFFFFFFFFFFF,
		0x41E0000000000000, 0xC1E0000000000000, 0x41F0000000000000,
		0x43E0000000000000, 0xC3E0000000000000, 0x43F0000000000000,
		0x3FE0000000000000, 0x3FF8000000000000, 0x4004000000000000,
		0xC004000000000000, 0x41DFFFFFFFC00000, 0xC1E0000000200000, 0x4330000000000001,
	}[s.intn(25)]
}
