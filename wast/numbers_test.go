package wast

import (
	"math"
	"testing"
)

func TestParseInt(t *testing.T) {
	tests := []struct {
		text  string
		width uint
		want  uint64
		err   numErr
	}{
		{"0", 32, 0, numOK},
		{"4294967295", 32, 0xFFFFFFFF, numOK},
		{"4294967296", 32, 0, numRange},
		{"-2147483648", 32, 0x80000000, numOK},
		{"-2147483649", 32, 0, numRange},
		{"+2147483647", 32, 0x7FFFFFFF, numOK},
		{"+2147483648", 32, 0, numRange},
		{"0xffff_ffff", 32, 0xFFFFFFFF, numOK},
		{"-0x1", 32, 0xFFFFFFFF, numOK},
		{"1_000", 32, 1000, numOK},
		{"1__0", 32, 0, numSyntax},
		{"_1", 32, 0, numSyntax},
		{"1_", 32, 0, numSyntax},
		{"0x", 32, 0, numSyntax},
		{"0xg", 32, 0, numSyntax},
		{"18446744073709551615", 64, math.MaxUint64, numOK},
		{"18446744073709551616", 64, 0, numRange},
		{"-9223372036854775808", 64, 1 << 63, numOK},
		{"-9223372036854775809", 64, 0, numRange},
		{"255", 8, 255, numOK},
		{"-128", 8, 0x80, numOK},
		{"256", 8, 0, numRange},
		{"-129", 8, 0, numRange},
		{"1.0", 32, 0, numSyntax},
	}
	for _, tt := range tests {
		got, err := parseInt(tt.text, tt.width)
		if err != tt.err || (err == numOK && got != tt.want) {
			t.Errorf("parseInt(%q, %d) = %#x, %d; want %#x, %d", tt.text, tt.width, got, err, tt.want, tt.err)
		}
	}
}

func TestParseFloat(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  uint64
		err   numErr
	}{
		{"0", 32, 0, numOK},
		{"-0", 32, 0x80000000, numOK},
		{"1.5", 32, 0x3FC00000, numOK},
		{"0x1.8p1", 32, 0x40400000, numOK},
		{"0x1p-149", 32, 1, numOK},   // smallest subnormal
		{"0x1p-150", 32, 0, numOK},   // ties to even: rounds to zero
		{"0x1.8p-149", 32, 2, numOK}, // ties to even: rounds up
		{"0x1.fffffep127", 32, 0x7F7FFFFF, numOK},
		{"0x1.fffffefffffffffffp127", 32, 0x7F7FFFFF, numOK},
		{"0x1.ffffffp127", 32, 0, numRange},
		{"0x1p128", 32, 0, numRange},
		{"1e39", 32, 0, numRange},
		{"1e-50", 32, 0, numOK},
		{"inf", 32, 0x7F800000, numOK},
		{"-inf", 64, 0xFFF0000000000000, numOK},
		{"nan", 32, 0x7FC00000, numOK},
		{"-nan", 64, 0xFFF8000000000000, numOK},
		{"nan:0x1", 32, 0x7F800001, numOK},
		{"nan:0x7f_ffff", 32, 0x7FFFFFFF, numOK},
		{"nan:0x80_0000", 32, 0, numRange},
		{"nan:0x0", 32, 0, numRange},
		{"nan:0xf_ffff_ffff_ffff", 64, 0x7FFFFFFFFFFFFFFF, numOK},
		{"1_000.000_1", 64, math.Float64bits(1000.0001), numOK},
		{"1.e2", 64, math.Float64bits(100), numOK},
		{"0x1.", 64, math.Float64bits(1), numOK},
		{"0x1P+4", 64, math.Float64bits(16), numOK},
		{".5", 64, 0, numSyntax},
		{"1e", 64, 0, numSyntax},
		{"0x.8", 64, 0, numSyntax},
		{"infinity", 64, 0, numSyntax},
		{"1_.0", 64, 0, numSyntax},
	}
	for _, tt := range tests {
		got, err := parseFloat(tt.text, tt.width)
		if err != tt.err || (err == numOK && got != tt.want) {
			t.Errorf("parseFloat(%q, %d) = %#x, %d; want %#x, %d", tt.text, tt.width, got, err, tt.want, tt.err)
		}
	}
}
