// Package leb128 reads and writes the LEB128 variable-length integers of the
// WebAssembly binary format.
//
// Readers enforce the format's size limits: an N-bit integer takes at most
// ceil(N/7) bytes, and the unused bits of the last byte must be zero (unsigned)
// or a sign extension (signed). Violations are reported as ErrTooLong
// ("integer representation too long") or ErrTooLarge ("integer too large"),
// the wording of the official test suite; running out of input is ErrEOF
// ("unexpected end").
package leb128

import "errors"

var (
	// ErrEOF means the input ended inside an integer.
	ErrEOF = errors.New("unexpected end")
	// ErrTooLong means the encoding used more bytes than the type allows.
	ErrTooLong = errors.New("integer representation too long")
	// ErrTooLarge means the final byte carries bits beyond the type's width.
	ErrTooLarge = errors.New("integer too large")
)

// DecodeUint32 decodes an unsigned 32-bit integer from b and returns it with
// the number of bytes read.
func DecodeUint32(b []byte) (uint32, int, error) {
	v, n, err := decodeUnsigned(b, 32)
	return uint32(v), n, err
}

// DecodeUint64 decodes an unsigned 64-bit integer.
func DecodeUint64(b []byte) (uint64, int, error) { return decodeUnsigned(b, 64) }

// DecodeInt32 decodes a signed 32-bit integer.
func DecodeInt32(b []byte) (int32, int, error) {
	v, n, err := decodeSigned(b, 32)
	return int32(v), n, err
}

// DecodeInt33 decodes the signed 33-bit integer used for block type indices.
func DecodeInt33(b []byte) (int64, int, error) { return decodeSigned(b, 33) }

// DecodeInt64 decodes a signed 64-bit integer.
func DecodeInt64(b []byte) (int64, int, error) { return decodeSigned(b, 64) }

func decodeUnsigned(b []byte, bits uint) (uint64, int, error) {
	maxBytes := int((bits + 6) / 7)
	var v uint64
	for i := 0; i < maxBytes; i++ {
		if i >= len(b) {
			return 0, i, ErrEOF
		}
		c := b[i]
		shift := uint(i) * 7
		if i == maxBytes-1 {
			// The last permitted byte: no continuation, no bits past the width.
			if c&0x80 != 0 {
				return 0, i + 1, ErrTooLong
			}
			if used := bits - shift; used < 7 && c>>used != 0 {
				return 0, i + 1, ErrTooLarge
			}
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, maxBytes, ErrTooLong
}

func decodeSigned(b []byte, bits uint) (int64, int, error) {
	maxBytes := int((bits + 6) / 7)
	var v int64
	for i := 0; i < maxBytes; i++ {
		if i >= len(b) {
			return 0, i, ErrEOF
		}
		c := b[i]
		shift := uint(i) * 7
		if i == maxBytes-1 {
			if c&0x80 != 0 {
				return 0, i + 1, ErrTooLong
			}
			if used := bits - shift; used < 7 {
				// The unused high bits must all equal the sign bit.
				rest := int8(c<<1) >> (used)
				if rest != 0 && rest != -1 {
					return 0, i + 1, ErrTooLarge
				}
			}
		}
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			if shift+7 < 64 && c&0x40 != 0 {
				v |= -1 << (shift + 7)
			}
			return v, i + 1, nil
		}
	}
	return 0, maxBytes, ErrTooLong
}

// AppendUint64 appends the shortest unsigned encoding of v to b.
func AppendUint64(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

// AppendUint32 appends the shortest unsigned encoding of v to b.
func AppendUint32(b []byte, v uint32) []byte { return AppendUint64(b, uint64(v)) }

// AppendInt64 appends the shortest signed encoding of v to b.
func AppendInt64(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
