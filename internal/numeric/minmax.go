package numeric

// Lane-wise minimum and maximum of integer lanes.

// I8x16MinS is i8x16.min_s.
func I8x16MinS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSelect(x, y, swarSpread(swarLtS(y, x, msb8), 8)) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16MinU is i8x16.min_u.
func I8x16MinU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSelect(x, y, swarSpread(swarLtU(y, x, msb8), 8)) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16MaxS is i8x16.max_s.
func I8x16MaxS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSelect(x, y, swarSpread(swarLtS(x, y, msb8), 8)) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16MaxU is i8x16.max_u.
func I8x16MaxU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSelect(x, y, swarSpread(swarLtU(x, y, msb8), 8)) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8MinS is i16x8.min_s.
func I16x8MinS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSelect(x, y, swarSpread(swarLtS(y, x, msb16), 16)) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8MinU is i16x8.min_u.
func I16x8MinU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSelect(x, y, swarSpread(swarLtU(y, x, msb16), 16)) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8MaxS is i16x8.max_s.
func I16x8MaxS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSelect(x, y, swarSpread(swarLtS(x, y, msb16), 16)) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8MaxU is i16x8.max_u.
func I16x8MaxU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSelect(x, y, swarSpread(swarLtU(x, y, msb16), 16)) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I32x4MinS is i32x4.min_s.
func I32x4MinS(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		if int32(x) < int32(y) {
			return x
		}
		return y
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4MinU is i32x4.min_u.
func I32x4MinU(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		if x < y {
			return x
		}
		return y
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4MaxS is i32x4.max_s.
func I32x4MaxS(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		if int32(x) > int32(y) {
			return x
		}
		return y
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4MaxU is i32x4.max_u.
func I32x4MaxU(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		if x > y {
			return x
		}
		return y
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}
