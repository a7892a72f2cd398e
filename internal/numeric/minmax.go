package numeric

// Lane-wise minimum and maximum of integer lanes.

// I8x16MinS is i8x16.min_s.
func I8x16MinS(a, b V128) V128 {
	x, y := a.u8(), b.u8()
	for i := range x {
		if int8(y[i]) < int8(x[i]) {
			x[i] = y[i]
		}
	}
	return fromU8(x)
}

// I8x16MinU is i8x16.min_u.
func I8x16MinU(a, b V128) V128 {
	x, y := a.u8(), b.u8()
	for i := range x {
		if y[i] < x[i] {
			x[i] = y[i]
		}
	}
	return fromU8(x)
}

// I8x16MaxS is i8x16.max_s.
func I8x16MaxS(a, b V128) V128 {
	x, y := a.u8(), b.u8()
	for i := range x {
		if int8(y[i]) > int8(x[i]) {
			x[i] = y[i]
		}
	}
	return fromU8(x)
}

// I8x16MaxU is i8x16.max_u.
func I8x16MaxU(a, b V128) V128 {
	x, y := a.u8(), b.u8()
	for i := range x {
		if y[i] > x[i] {
			x[i] = y[i]
		}
	}
	return fromU8(x)
}

// I16x8MinS is i16x8.min_s.
func I16x8MinS(a, b V128) V128 {
	x, y := a.u16(), b.u16()
	for i := range x {
		if int16(y[i]) < int16(x[i]) {
			x[i] = y[i]
		}
	}
	return fromU16(x)
}

// I16x8MinU is i16x8.min_u.
func I16x8MinU(a, b V128) V128 {
	x, y := a.u16(), b.u16()
	for i := range x {
		if y[i] < x[i] {
			x[i] = y[i]
		}
	}
	return fromU16(x)
}

// I16x8MaxS is i16x8.max_s.
func I16x8MaxS(a, b V128) V128 {
	x, y := a.u16(), b.u16()
	for i := range x {
		if int16(y[i]) > int16(x[i]) {
			x[i] = y[i]
		}
	}
	return fromU16(x)
}

// I16x8MaxU is i16x8.max_u.
func I16x8MaxU(a, b V128) V128 {
	x, y := a.u16(), b.u16()
	for i := range x {
		if y[i] > x[i] {
			x[i] = y[i]
		}
	}
	return fromU16(x)
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
