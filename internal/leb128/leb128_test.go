package leb128

import (
	"errors"
	"math"
	"testing"
)

func TestDecodeUint32(t *testing.T) {
	tests := []struct {
		in   []byte
		want uint32
		n    int
		err  error
	}{
		{[]byte{0x00}, 0, 1, nil},
		{[]byte{0x7f}, 127, 1, nil},
		{[]byte{0x80, 0x01}, 128, 2, nil},
		{[]byte{0x80, 0x00}, 0, 2, nil}, // padded zero is allowed
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, math.MaxUint32, 5, nil},
		{[]byte{0x82, 0x80, 0x80, 0x80, 0x00, 0xaa}, 2, 5, nil}, // trailing bytes are not read
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 0, 5, ErrTooLarge},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, 0, 5, ErrTooLarge},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 0, 5, ErrTooLong},
		{nil, 0, 0, ErrEOF},
		{[]byte{0x80}, 0, 1, ErrEOF},
		{[]byte{0x80, 0x80, 0x80, 0x80}, 0, 4, ErrEOF},
	}
	for _, tt := range tests {
		v, n, err := DecodeUint32(tt.in)
		if !errors.Is(err, tt.err) || (tt.err == nil && (v != tt.want || n != tt.n)) {
			t.Errorf("DecodeUint32(%x) = %d, %d, %v; want %d, %d, %v", tt.in, v, n, err, tt.want, tt.n, tt.err)
		}
	}
}

func TestDecodeUint64(t *testing.T) {
	max := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}
	if v, n, err := DecodeUint64(max); err != nil || v != math.MaxUint64 || n != 10 {
		t.Errorf("DecodeUint64(max) = %d, %d, %v", v, n, err)
	}
	tooLarge := []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}
	if _, _, err := DecodeUint64(tooLarge); err != ErrTooLarge {
		t.Errorf("DecodeUint64(%x) error %v, want ErrTooLarge", tooLarge, err)
	}
	tooLong := []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}
	if _, _, err := DecodeUint64(tooLong); err != ErrTooLong {
		t.Errorf("DecodeUint64(%x) error %v, want ErrTooLong", tooLong, err)
	}
}

func TestDecodeInt32(t *testing.T) {
	tests := []struct {
		in   []byte
		want int32
		err  error
	}{
		{[]byte{0x00}, 0, nil},
		{[]byte{0x3f}, 63, nil},
		{[]byte{0x40}, -64, nil},
		{[]byte{0x7f}, -1, nil},
		{[]byte{0xff, 0x7f}, -1, nil}, // padded -1 is allowed
		{[]byte{0xc0, 0x00}, 64, nil},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x78}, math.MinInt32, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x07}, math.MaxInt32, nil},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x7f}, -1, nil},
		// The unused bits of the last byte must extend the sign.
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x70}, 0, ErrTooLarge},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 0, ErrTooLarge},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x1f}, 0, ErrTooLarge},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x4f}, 0, ErrTooLarge},
		{[]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 0, ErrTooLong},
		{[]byte{0xff, 0xff}, 0, ErrEOF},
	}
	for _, tt := range tests {
		v, _, err := DecodeInt32(tt.in)
		if err != tt.err || (err == nil && v != tt.want) {
			t.Errorf("DecodeInt32(%x) = %d, %v; want %d, %v", tt.in, v, err, tt.want, tt.err)
		}
	}
}

func TestDecodeInt33AndInt64(t *testing.T) {
	// s33 holds every u32 type index as a non-negative value.
	if v, n, err := DecodeInt33([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}); err != nil || v != math.MaxUint32 || n != 5 {
		t.Errorf("DecodeInt33(max u32) = %d, %d, %v", v, n, err)
	}
	if v, _, err := DecodeInt33([]byte{0x40}); err != nil || v != -64 {
		t.Errorf("DecodeInt33(0x40) = %d, %v", v, err)
	}
	if _, _, err := DecodeInt33([]byte{0x80, 0x80, 0x80, 0x80, 0x20}); err != ErrTooLarge {
		t.Errorf("DecodeInt33 with unused bits: %v, want ErrTooLarge", err)
	}
	minI64 := []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}
	if v, _, err := DecodeInt64(minI64); err != nil || v != math.MinInt64 {
		t.Errorf("DecodeInt64(min) = %d, %v", v, err)
	}
	bad := []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e}
	if _, _, err := DecodeInt64(bad); err != ErrTooLarge {
		t.Errorf("DecodeInt64(%x) error %v, want ErrTooLarge", bad, err)
	}
}

// TestRoundTrip encodes boundary values and decodes them back.
func TestRoundTrip(t *testing.T) {
	unsigned := []uint64{0, 1, 63, 64, 127, 128, 16383, 16384, math.MaxUint32 - 1, math.MaxUint32, 1 << 32, math.MaxUint64}
	for _, u := range unsigned {
		b := AppendUint64(nil, u)
		v, n, err := DecodeUint64(b)
		if err != nil || v != u || n != len(b) {
			t.Errorf("u64 %d: encoded %x, decoded %d, %d, %v", u, b, v, n, err)
		}
		if u <= math.MaxUint32 {
			if !equalBytes(AppendUint32(nil, uint32(u)), b) {
				t.Errorf("AppendUint32(%d) differs from AppendUint64", u)
			}
			v, _, err := DecodeUint32(b)
			if err != nil || uint64(v) != u {
				t.Errorf("u32 %d: decoded %d, %v", u, v, err)
			}
		}
	}
	signed := []int64{0, 1, -1, 63, 64, -64, -65, 8191, -8192, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64}
	for _, s := range signed {
		b := AppendInt64(nil, s)
		v, n, err := DecodeInt64(b)
		if err != nil || v != s || n != len(b) {
			t.Errorf("s64 %d: encoded %x, decoded %d, %d, %v", s, b, v, n, err)
		}
		if s >= math.MinInt32 && s <= math.MaxInt32 {
			v, _, err := DecodeInt32(b)
			if err != nil || int64(v) != s {
				t.Errorf("s32 %d: decoded %d, %v", s, v, err)
			}
		}
	}
}

func equalBytes(a, b []byte) bool { return string(a) == string(b) }

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{0x80, 0x7f})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Whatever decodes must re-encode to a canonical form that decodes
		// to the same value.
		if v, n, err := DecodeUint64(b); err == nil {
			if n < 1 || n > 10 {
				t.Fatalf("DecodeUint64 read %d bytes", n)
			}
			if w, _, err := DecodeUint64(AppendUint64(nil, v)); err != nil || w != v {
				t.Fatalf("u64 %d does not round-trip", v)
			}
		}
		if v, n, err := DecodeInt64(b); err == nil {
			if n < 1 || n > 10 {
				t.Fatalf("DecodeInt64 read %d bytes", n)
			}
			if w, _, err := DecodeInt64(AppendInt64(nil, v)); err != nil || w != v {
				t.Fatalf("s64 %d does not round-trip", v)
			}
		}
		if v, _, err := DecodeInt32(b); err == nil {
			if w, _, err := DecodeInt64(AppendInt64(nil, int64(v))); err != nil || w != int64(v) {
				t.Fatalf("s32 %d does not round-trip", v)
			}
		}
	})
}
