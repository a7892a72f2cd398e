package numeric

// I8x16Splat is i8x16.splat of the low 8 bits of x.
func I8x16Splat(x uint32) V128 {
	h := uint64(uint8(x)) * lsb8
	return V128{h, h}
}

// I16x8Splat is i16x8.splat of the low 16 bits of x.
func I16x8Splat(x uint32) V128 {
	h := uint64(uint16(x)) * lsb16
	return V128{h, h}
}

// I32x4Splat is i32x4.splat.
func I32x4Splat(x uint32) V128 {
	h := uint64(x) * (1 | 1<<32)
	return V128{h, h}
}

// I64x2Splat is i64x2.splat.
func I64x2Splat(x uint64) V128 { return V128{x, x} }

// F32x4Splat is f32x4.splat of the f32 bits x.
func F32x4Splat(x uint32) V128 { return I32x4Splat(x) }

// F64x2Splat is f64x2.splat of the f64 bits x.
func F64x2Splat(x uint64) V128 { return V128{x, x} }

// half returns the half of v holding byte index i (0..15) and the shift of
// that byte within it.
func (v V128) half(i uint8) (uint64, uint8) {
	if i&8 == 0 {
		return v.Lo, i & 7 * 8
	}
	return v.Hi, i & 7 * 8
}

// I8x16ExtractLaneS is i8x16.extract_lane_s: the lane sign-extended to i32.
func I8x16ExtractLaneS(v V128, lane uint8) uint32 {
	h, s := v.half(lane)
	return uint32(int8(h >> s))
}

// I8x16ExtractLaneU is i8x16.extract_lane_u: the lane zero-extended to i32.
func I8x16ExtractLaneU(v V128, lane uint8) uint32 {
	h, s := v.half(lane)
	return uint32(uint8(h >> s))
}

// I16x8ExtractLaneS is i16x8.extract_lane_s.
func I16x8ExtractLaneS(v V128, lane uint8) uint32 {
	h, s := v.half(lane * 2)
	return uint32(int16(h >> s))
}

// I16x8ExtractLaneU is i16x8.extract_lane_u.
func I16x8ExtractLaneU(v V128, lane uint8) uint32 {
	h, s := v.half(lane * 2)
	return uint32(uint16(h >> s))
}

// I32x4ExtractLane is i32x4.extract_lane.
func I32x4ExtractLane(v V128, lane uint8) uint32 {
	h, s := v.half(lane * 4)
	return uint32(h >> s)
}

// I64x2ExtractLane is i64x2.extract_lane.
func I64x2ExtractLane(v V128, lane uint8) uint64 {
	if lane&1 == 0 {
		return v.Lo
	}
	return v.Hi
}

// F32x4ExtractLane is f32x4.extract_lane (f32 bits).
func F32x4ExtractLane(v V128, lane uint8) uint32 { return I32x4ExtractLane(v, lane) }

// F64x2ExtractLane is f64x2.extract_lane (f64 bits).
func F64x2ExtractLane(v V128, lane uint8) uint64 { return I64x2ExtractLane(v, lane) }

// replace stores the low width bits of x at byte index i (a multiple of the
// lane size).
func (v V128) replace(i uint8, x, mask uint64) V128 {
	s := i & 7 * 8
	if i&8 == 0 {
		v.Lo = v.Lo&^(mask<<s) | (x&mask)<<s
	} else {
		v.Hi = v.Hi&^(mask<<s) | (x&mask)<<s
	}
	return v
}

// I8x16ReplaceLane is i8x16.replace_lane with the low 8 bits of x.
func I8x16ReplaceLane(v V128, lane uint8, x uint32) V128 {
	return v.replace(lane, uint64(x), 0xff)
}

// I16x8ReplaceLane is i16x8.replace_lane with the low 16 bits of x.
func I16x8ReplaceLane(v V128, lane uint8, x uint32) V128 {
	return v.replace(lane*2, uint64(x), 0xffff)
}

// I32x4ReplaceLane is i32x4.replace_lane.
func I32x4ReplaceLane(v V128, lane uint8, x uint32) V128 {
	return v.replace(lane*4, uint64(x), 0xffffffff)
}

// I64x2ReplaceLane is i64x2.replace_lane.
func I64x2ReplaceLane(v V128, lane uint8, x uint64) V128 {
	if lane&1 == 0 {
		v.Lo = x
	} else {
		v.Hi = x
	}
	return v
}

// F32x4ReplaceLane is f32x4.replace_lane with f32 bits x.
func F32x4ReplaceLane(v V128, lane uint8, x uint32) V128 { return I32x4ReplaceLane(v, lane, x) }

// F64x2ReplaceLane is f64x2.replace_lane with f64 bits x.
func F64x2ReplaceLane(v V128, lane uint8, x uint64) V128 { return I64x2ReplaceLane(v, lane, x) }

// I8x16Shuffle is i8x16.shuffle: result byte i is byte lanes[i] of the
// 32-byte concatenation a‖b. The 16 lane-index immediates are passed as the
// bytes of a V128 (the instruction's immediate, read as a v128); each index is
// taken modulo 32 (the validator guarantees < 32). Engines that see the
// immediate ahead of time can use ShufflePlan for the common whole-lane
// patterns.
func I8x16Shuffle(a, b V128, lanes V128) V128 {
	src := [4]uint64{a.Lo, a.Hi, b.Lo, b.Hi}
	return V128{shuffleHalf(&src, lanes.Lo), shuffleHalf(&src, lanes.Hi)}
}

// shuffleHalf gathers 8 bytes of src, byte i from index byte i of idx.
func shuffleHalf(src *[4]uint64, idx uint64) uint64 {
	var r uint64
	for i := uint(0); i < 64; i += 8 {
		j := idx >> i
		r |= (src[j>>3&3] >> (j & 7 * 8) & 0xFF) << i
	}
	return r
}

// ShufflePlan is an i8x16.shuffle immediate prepared for execution: when
// the pattern moves whole 32-bit lanes (as i32x4 and i64x2 shuffles do),
// Lanes32 names the source lane (0-7 of a‖b) of each result lane.
type ShufflePlan struct {
	Lanes V128 // the 16 byte indices, as I8x16Shuffle takes them
	// Whole32 reports that Lanes32 describes the pattern.
	Whole32 bool
	Lanes32 [4]uint8
}

// PlanShuffle prepares the lane indices of an i8x16.shuffle.
func PlanShuffle(idx [16]byte) ShufflePlan {
	p := ShufflePlan{Lanes: fromU8(idx), Whole32: true}
	for k := 0; k < 4; k++ {
		l := idx[4*k] & 31
		p.Lanes32[k] = l / 4
		for i := 0; i < 4; i++ {
			if idx[4*k+i]&31 != l+uint8(i) || l%4 != 0 {
				p.Whole32 = false
			}
		}
	}
	return p
}

// Shuffle applies the plan to a and b: I8x16Shuffle(a, b, p.Lanes).
func (p *ShufflePlan) Shuffle(a, b V128) V128 {
	if !p.Whole32 {
		return I8x16Shuffle(a, b, p.Lanes)
	}
	src := [8]uint32{uint32(a.Lo), uint32(a.Lo >> 32), uint32(a.Hi), uint32(a.Hi >> 32),
		uint32(b.Lo), uint32(b.Lo >> 32), uint32(b.Hi), uint32(b.Hi >> 32)}
	l := &p.Lanes32
	return V128{pack32(src[l[0]&7], src[l[1]&7]), pack32(src[l[2]&7], src[l[3]&7])}
}

// I8x16Swizzle is i8x16.swizzle: result byte i is byte s[i] of a, or 0 when
// s[i] >= 16.
func I8x16Swizzle(a, s V128) V128 {
	return V128{swizzleHalf(a, s.Lo), swizzleHalf(a, s.Hi)}
}

// swizzleHalf gathers 8 bytes of a, byte i from index byte i of idx (0
// for an index of 16 or more).
func swizzleHalf(a V128, idx uint64) uint64 {
	var r uint64
	for i := uint(0); i < 64; i += 8 {
		j := uint8(idx >> i)
		w := a.Lo
		if j >= 8 {
			w = a.Hi
		}
		if j < 16 {
			r |= (w >> (j & 7 * 8) & 0xFF) << i
		}
	}
	return r
}

// V128Load8x8S is v128.load8x8_s applied to the loaded 8 bytes x
// (little-endian): each byte sign-extended to an i16 lane.
func V128Load8x8S(x uint64) V128 { return I16x8ExtendLowI8x16S(V128{Lo: x}) }

// V128Load8x8U is v128.load8x8_u.
func V128Load8x8U(x uint64) V128 { return I16x8ExtendLowI8x16U(V128{Lo: x}) }

// V128Load16x4S is v128.load16x4_s.
func V128Load16x4S(x uint64) V128 { return I32x4ExtendLowI16x8S(V128{Lo: x}) }

// V128Load16x4U is v128.load16x4_u.
func V128Load16x4U(x uint64) V128 { return I32x4ExtendLowI16x8U(V128{Lo: x}) }

// V128Load32x2S is v128.load32x2_s.
func V128Load32x2S(x uint64) V128 {
	return V128{uint64(int64(int32(x))), uint64(int64(int32(x >> 32)))}
}

// V128Load32x2U is v128.load32x2_u.
func V128Load32x2U(x uint64) V128 { return V128{x & 0xffffffff, x >> 32} }

// V128Load32Zero is v128.load32_zero.
func V128Load32Zero(x uint32) V128 { return V128{Lo: uint64(x)} }

// V128Load64Zero is v128.load64_zero.
func V128Load64Zero(x uint64) V128 { return V128{Lo: x} }
