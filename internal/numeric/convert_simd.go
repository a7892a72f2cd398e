package numeric

// Lane-wise conversions; each lane follows the scalar instruction of the
// same name.

// F32x4ConvertI32x4S is f32x4.convert_i32x4_s.
func F32x4ConvertI32x4S(a V128) V128 {
	return V128{map32(a.Lo, F32ConvertI32S), map32(a.Hi, F32ConvertI32S)}
}

// F32x4ConvertI32x4U is f32x4.convert_i32x4_u.
func F32x4ConvertI32x4U(a V128) V128 {
	return V128{map32(a.Lo, F32ConvertI32U), map32(a.Hi, F32ConvertI32U)}
}

// I32x4TruncSatF32x4S is i32x4.trunc_sat_f32x4_s.
func I32x4TruncSatF32x4S(a V128) V128 {
	return V128{map32(a.Lo, I32TruncSatF32S), map32(a.Hi, I32TruncSatF32S)}
}

// I32x4TruncSatF32x4U is i32x4.trunc_sat_f32x4_u.
func I32x4TruncSatF32x4U(a V128) V128 {
	return V128{map32(a.Lo, I32TruncSatF32U), map32(a.Hi, I32TruncSatF32U)}
}

// I32x4TruncSatF64x2SZero is i32x4.trunc_sat_f64x2_s_zero: the two f64 lanes
// truncate into lanes 0 and 1; lanes 2 and 3 are zero.
func I32x4TruncSatF64x2SZero(a V128) V128 {
	return V128{Lo: pack32(I32TruncSatF64S(a.Lo), I32TruncSatF64S(a.Hi))}
}

// I32x4TruncSatF64x2UZero is i32x4.trunc_sat_f64x2_u_zero.
func I32x4TruncSatF64x2UZero(a V128) V128 {
	return V128{Lo: pack32(I32TruncSatF64U(a.Lo), I32TruncSatF64U(a.Hi))}
}

// F64x2ConvertLowI32x4S is f64x2.convert_low_i32x4_s: lanes 0 and 1.
func F64x2ConvertLowI32x4S(a V128) V128 {
	return V128{F64ConvertI32S(uint32(a.Lo)), F64ConvertI32S(uint32(a.Lo >> 32))}
}

// F64x2ConvertLowI32x4U is f64x2.convert_low_i32x4_u.
func F64x2ConvertLowI32x4U(a V128) V128 {
	return V128{F64ConvertI32U(uint32(a.Lo)), F64ConvertI32U(uint32(a.Lo >> 32))}
}

// F32x4DemoteF64x2Zero is f32x4.demote_f64x2_zero: the two f64 lanes demote
// into lanes 0 and 1; lanes 2 and 3 are zero.
func F32x4DemoteF64x2Zero(a V128) V128 {
	return V128{Lo: pack32(F32DemoteF64(a.Lo), F32DemoteF64(a.Hi))}
}

// F64x2PromoteLowF32x4 is f64x2.promote_low_f32x4: lanes 0 and 1.
func F64x2PromoteLowF32x4(a V128) V128 {
	return V128{F64PromoteF32(uint32(a.Lo)), F64PromoteF32(uint32(a.Lo >> 32))}
}
