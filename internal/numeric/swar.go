package numeric

// SWAR ("SIMD within a register") helpers: each works on one 64-bit half
// holding 8 or 16-bit lanes, given h, the mask of every lane's top bit
// (msb8 or msb16). Carries and borrows never cross lanes. All of them inline,
// so an operation on a V128 is a short straight-line sequence.

// swarAdd is the lane-wise wrapping sum x + y.
func swarAdd(x, y, h uint64) uint64 { return (x&^h + y&^h) ^ (x^y)&h }

// swarSub is the lane-wise wrapping difference x - y.
func swarSub(x, y, h uint64) uint64 { return (x | h - y&^h) ^ (x^^y)&h }

// swarLtU returns h-bits set in the lanes where x < y (unsigned): the borrow
// out of each lane's top bit.
func swarLtU(x, y, h uint64) uint64 {
	return (^x&y | (^x|y)&swarSub(x, y, h)) & h
}

// swarLtS returns h-bits set in the lanes where x < y (signed).
func swarLtS(x, y, h uint64) uint64 { return swarLtU(x^h, y^h, h) }

// swarSpread widens top-bit flags m (a subset of h) to full lanes of width w.
func swarSpread(m uint64, w uint) uint64 { return m >> (w - 1) * (1<<w - 1) }

// swarSelect takes lanes of y where mask is set and of x elsewhere.
func swarSelect(x, y, mask uint64) uint64 { return x&^mask | y&mask }

// swarAddSatU is the lane-wise unsigned saturating sum.
func swarAddSatU(x, y, h uint64, w uint) uint64 {
	s := swarAdd(x, y, h)
	carry := (x&y | (x|y)&^s) & h
	return s | swarSpread(carry, w)
}

// swarSubSatU is the lane-wise unsigned saturating difference.
func swarSubSatU(x, y, h uint64, w uint) uint64 {
	return swarSub(x, y, h) &^ swarSpread(swarLtU(x, y, h), w)
}

// swarSatS is the signed bound a lane saturates to when the true result has
// the sign of x: the lane maximum (0x7f..) or minimum (0x80..).
func swarSatS(x, h uint64, w uint) uint64 { return h - h>>(w-1) + x&h>>(w-1) }

// swarAddSatS is the lane-wise signed saturating sum: a lane overflows when
// x and y have the same sign and the wrapped sum has the other.
func swarAddSatS(x, y, h uint64, w uint) uint64 {
	s := swarAdd(x, y, h)
	overflow := ^(x ^ y) & (x ^ s) & h
	return s ^ (s^swarSatS(x, h, w))&swarSpread(overflow, w)
}

// swarSubSatS is the lane-wise signed saturating difference: a lane
// overflows when x and y differ in sign and the wrapped result differs from x.
func swarSubSatS(x, y, h uint64, w uint) uint64 {
	d := swarSub(x, y, h)
	overflow := (x ^ y) & (x ^ d) & h
	return d ^ (d^swarSatS(x, h, w))&swarSpread(overflow, w)
}

// swarAbs is the lane-wise wrapping absolute value: (x ^ m) - m with m the
// spread sign.
func swarAbs(x, h uint64, w uint) uint64 {
	m := swarSpread(x&h, w)
	return swarSub(x^m, m, h)
}

// swarShrS is the lane-wise arithmetic right shift by n < w: a logical shift,
// then sign extension from the shifted sign bit s by (t ^ s) - s.
func swarShrS(x uint64, n uint32, h uint64, w uint) uint64 {
	lanes := h >> (w - 1) * ((1<<w - 1) >> n) // the low w-n bits of every lane
	s := h >> n
	return swarSub(x>>n&lanes^s, s, h)
}
