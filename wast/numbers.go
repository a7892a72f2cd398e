package wast

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Numeric literals. Integers are decimal or 0x-hexadecimal with '_'
// between digits; iN constants accept both the signed and the unsigned
// range. Floats are decimal or hexadecimal, inf, nan and nan:0xPAYLOAD.

// splitSign removes a leading '+' or '-'.
func splitSign(s string) (neg, signed bool, rest string) {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return s[0] == '-', true, s[1:]
	}
	return false, false, s
}

// digitsOK checks digit syntax with '_' only between digits.
func digitsOK(s string, hex bool) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			if s[i-1] == '_' {
				return false
			}
		case c >= '0' && c <= '9':
		case hex && isHex(c):
		default:
			return false
		}
	}
	return true
}

// parseNat parses an unsigned literal without sign into a uint64.
// ok is false for bad syntax; over is set when it does not fit.
func parseNat(s string) (v uint64, ok, over bool) {
	hex := false
	if strings.HasPrefix(s, "0x") {
		hex, s = true, s[2:]
	}
	if !digitsOK(s, hex) {
		return 0, false, false
	}
	base := uint64(10)
	if hex {
		base = 16
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			continue
		}
		d := uint64(hexVal(c))
		hi, lo := bits.Mul64(v, base)
		if hi != 0 || lo+d < lo {
			over = true
		}
		v = lo + d
	}
	return v, true, over
}

// parseU32 parses an unsigned 32-bit literal (indices, alignments, lanes).
func parseU32(s string) (uint32, bool) {
	v, ok, over := parseNat(s)
	if !ok || over || v > math.MaxUint32 {
		return 0, false
	}
	return uint32(v), true
}

// parseU64 parses an unsigned 64-bit literal (offsets, limits).
func parseU64(s string) (uint64, bool) {
	v, ok, over := parseNat(s)
	return v, ok && !over
}

// errRange and errSyntax distinguish the two ways a literal can be bad.
type numErr byte

const (
	numOK numErr = iota
	numSyntax
	numRange
)

// parseInt parses an iN literal (N = 8, 16, 32, 64) into its bits,
// accepting -2^(N-1) .. 2^N-1.
func parseInt(s string, width uint) (uint64, numErr) {
	neg, signed, rest := splitSign(s)
	v, ok, over := parseNat(rest)
	if !ok {
		return 0, numSyntax
	}
	if over {
		return 0, numRange
	}
	mask := uint64(1)<<width - 1
	if width == 64 {
		mask = math.MaxUint64
	}
	if neg {
		if v > uint64(1)<<(width-1) {
			return 0, numRange
		}
		return -v & mask, numOK
	}
	if v > mask || (signed && v > uint64(1)<<(width-1)-1) {
		// An explicitly signed literal must fit the signed range.
		return 0, numRange
	}
	return v, numOK
}

// parseFloat parses an fN literal (N = 32 or 64) into its bits.
func parseFloat(s string, width int) (uint64, numErr) {
	neg, _, rest := splitSign(s)
	var sign uint64
	if neg {
		sign = 1 << (width - 1)
	}
	mantBits := 52
	expMask := uint64(0x7ff) << 52
	if width == 32 {
		mantBits = 23
		expMask = uint64(0xff) << 23
	}
	switch {
	case rest == "inf":
		return sign | expMask, numOK
	case rest == "nan":
		return sign | expMask | 1<<(mantBits-1), numOK
	case strings.HasPrefix(rest, "nan:0x"):
		p, ok, over := parseNat(rest[4:])
		if !ok {
			return 0, numSyntax
		}
		if over || p == 0 || p >= 1<<mantBits {
			return 0, numRange
		}
		return sign | expMask | p, numOK
	}
	var f float64
	var err numErr
	if strings.HasPrefix(rest, "0x") {
		f, err = parseHexFloat(rest[2:], width)
	} else {
		f, err = parseDecFloat(rest, width)
	}
	if err != numOK {
		return 0, err
	}
	if width == 32 {
		return sign | uint64(math.Float32bits(float32(f))), numOK
	}
	return sign | math.Float64bits(f), numOK
}

// floatParts splits the digits of a float literal,
// int[.frac][marker[+-]exp] with marker one of markers, and checks that
// each part is well-formed (hexadecimal digits before the exponent when
// hex); exp is "" when there is no exponent.
func floatParts(s, markers string, hex bool) (intPart, frac, exp string, ok bool) {
	mant := s
	if i := strings.IndexAny(s, markers); i >= 0 {
		mant, exp = s[:i], s[i+1:]
		if _, _, e := splitSign(exp); !digitsOK(e, false) {
			return "", "", "", false
		}
	}
	intPart = mant
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if !digitsOK(intPart, hex) || (frac != "" && !digitsOK(frac, hex)) {
		return "", "", "", false
	}
	return intPart, frac, exp, true
}

// parseDecFloat parses digits[.digits][e[+-]digits] exactly rounded to
// the target size (the result of a float32 parse is exact in float64).
func parseDecFloat(s string, bits int) (float64, numErr) {
	if _, _, _, ok := floatParts(s, "eE", false); !ok {
		return 0, numSyntax
	}
	clean := strings.ReplaceAll(s, "_", "")
	f, err := strconv.ParseFloat(clean, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && !math.IsInf(f, 0) {
			return f, numOK // underflow to zero or a subnormal is fine
		}
		return 0, numRange
	}
	return f, numOK
}

// parseHexFloat parses hexdigits[.hexdigits][p[+-]digits] (after "0x")
// exactly rounded to the target size.
func parseHexFloat(s string, bits int) (float64, numErr) {
	intPart, frac, exp, ok := floatParts(s, "pP", true)
	if !ok {
		return 0, numSyntax
	}
	if exp == "" {
		exp = "0"
	}
	// Exact value: mantissa digits as a big integer scaled by 2^(exp-4*len(frac)).
	digits := strings.ReplaceAll(intPart+frac, "_", "")
	m, ok := new(big.Int).SetString(digits, 16)
	if !ok {
		return 0, numSyntax
	}
	e, err := strconv.ParseInt(strings.ReplaceAll(exp, "_", ""), 10, 64)
	if err != nil {
		// An enormous exponent: zero stays zero, anything else is out of range
		// (or underflows to zero for a negative exponent).
		if m.Sign() == 0 || strings.HasPrefix(exp, "-") {
			return 0, numOK
		}
		return 0, numRange
	}
	e -= 4 * int64(len(strings.ReplaceAll(frac, "_", "")))
	return roundBig(m, e, bits)
}

// roundBig rounds m * 2^e to the nearest float of the given size (ties to
// even) and reports overflow as a range error.
func roundBig(m *big.Int, e int64, bits int) (float64, numErr) {
	if m.Sign() == 0 {
		return 0, numOK
	}
	if e > 1<<20 {
		return 0, numRange
	}
	if e < -(1 << 20) {
		return 0, numOK
	}
	// m fits the precision exactly; Float32 and Float64 do the rounding.
	f := new(big.Float).SetMode(big.ToNearestEven).SetPrec(uint(m.BitLen()) + 1).SetInt(m)
	f.SetMantExp(f, int(e))
	var v float64
	if bits == 32 {
		v32, _ := f.Float32()
		v = float64(v32)
	} else {
		v, _ = f.Float64()
	}
	if math.IsInf(v, 0) {
		return 0, numRange
	}
	return v, numOK
}
