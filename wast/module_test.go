package wast

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// goldenModules are encoded the way wabt's wat2wasm 1.0.32 encodes them
// (the expected bytes were produced by it).
var goldenModules = []struct {
	name, src, want string
}{
	{
		"implicit types and imports",
		`(module
  (type $v (func))
  (func $b (import "m" "b") (param i32 i64) (result f32))
  (func $a (param i32 i64) (result f32) (f32.const 0))
)`,
		"0061736d01000000010a0260000060027f7e017d020701016d01620001030201010a0901070043000000000b",
	},
	{
		"abbreviations and folded control",
		`(module
  (func (export "f") (param $x i32) (result i32)
    (block $out (result i32)
      (if (result i32) (local.get $x)
        (then (br $out (i32.const 1)))
        (else (i32.const 2)))))
  (func (param i32) (result i32 i32) (local.get 0) (block (param i32) (result i32 i32) (i32.const 3)))
  (memory (export "mem") (data "ab" "c"))
  (table $t (export "tab") funcref (elem 0 1))
  (global $g (export "g") i64 (i64.const -7))
  (elem declare func 0)
  (data $d "passive")
  (start 0)
)`,
		"0061736d01000000010c0260017f017f60017f027f7f0303020001040501700102020504010101010606017e0042790b07150401660000036d656d020003746162010001670300080100090c020041000b020001030001000a1d021100027f2000047f41010c010541020b0b0b09002000020141030b0b0b12020041000b03616263010770617373697665",
	},
	{
		"segments, SIMD and bulk memory",
		`(module
  (table 1 externref)
  (table $t2 2 funcref)
  (memory 1)
  (elem (table $t2) (offset (i32.const 1)) funcref (ref.func 0) (ref.null func))
  (elem (table 0) (i32.const 0) externref (ref.null extern))
  (func (param v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (local.get 0))
    (v128.load8_lane offset=3 1 (i32.const 0) (local.get 0))
    (i32x4.extract_lane 3) drop
    (select (result v128) (local.get 0) (v128.const f32x4 1 -1 nan inf) (i32.const 0))
    (table.init $t2 1 (i32.const 0) (i32.const 0) (i32.const 0))
    (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))
    (data.drop 0)
    (br_table 0 0 (i32.const 0)))
  (data "x")
)`,
		"0061736d0100000001060160017b017b030201000407026f00017000020503010001091802060141010b7002d2000bd0700b060041000b6f01d06f0b0c01010a5d015b0020002000fd0d000102030405060708090a0b0c0d0e1f41002000fd54000301fd1b031a2000fd0c0000803f000080bf0000c07f0000807f41001c017b410041004100fc0c0101410041004100fc0a0000fc090041000e0100000b0b0401010178",
	},
}

func TestEncodeGolden(t *testing.T) {
	for _, g := range goldenModules {
		got, err := ParseModule(g.name+".wat", []byte(g.src))
		if err != nil {
			t.Errorf("%s: %v", g.name, err)
			continue
		}
		if h := hex.EncodeToString(got); h != g.want {
			t.Errorf("%s:\n got %s\nwant %s", g.name, h, g.want)
		}
	}
}

func TestParseModuleBareFields(t *testing.T) {
	a, err := ParseModule("a.wat", []byte(`(func (export "f"))`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseModule("b.wat", []byte(`(module $m (func (export "f")))`))
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("bare fields encode differently from the module form")
	}
}

func TestModuleErrors(t *testing.T) {
	tests := []struct{ src, msg string }{
		{`(func $f) (func $f)`, "m.wat:1:11: duplicate func $f"},
		{`(func (param $x i32) (local $x i32))`, "duplicate local $x"},
		{`(func (block $l (br $m)))`, "unknown label $m"},
		{`(func block $l end $k)`, "mismatching label $k"},
		{`(func (local.get $y))`, "unknown local $y"},
		{`(func (call $nowhere))`, "unknown func $nowhere"},
		{`(type $t (func)) (func (type $t) (param i32))`, "inline function type"},
		{`(func (type 5) (param i32))`, "unknown type"},
		{`(func) (import "a" "b" (func))`, "import after function"},
		{`(global i32 (i32.const 0)) (global (import "a" "b") i32)`, "import after global"},
		{`(memory 1) (func (drop (i32.load align=3 (i32.const 0))))`, "alignment must be a power of two: align=3"},
		{`(memory 1) (func (drop (i32.load align=4294967296 (i32.const 0))))`, "alignment 4294967296 too large"},
		{`(memory 1) (func (drop (i32.load align=0x8000000000000000 (i32.const 0))))`, "alignment 0x8000000000000000 too large: at most 2^31"},
		{`(memory 1) (func (drop (i32.load align=36893488147419103232 (i32.const 0))))`, "alignment must be a power of two"},
		{`(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))`, "constant out of range"},
		{`(memory 0x1_0000_0000)`, "constant out of range"},
		{`(func) (start 0) (start 0)`, "multiple start sections"},
		{`(func (i32.const 0x1_0000_0000) drop)`, "constant out of range"},
		{`(func (i32.add0))`, "unknown operator i32.add0"},
		{`(func (v128.const i32x4 1 2 3) drop)`, "wrong number of lane literals"},
		{`(func (i8x16.shuffle 0 1 2) drop)`, "invalid lane length"},
		{`(func (i8x16.extract_lane_s 256 (v128.const i64x2 0 0)) drop)`, "malformed lane index"},
		{`(func (call_indirect (param $x i32)))`, "cannot be named"},
		{`(func (if (i32.const 1) (i32.const 2)))`, "expected (then ...)"},
		{`(func nop end)`, "unexpected token end"},
		{`(func block nop)`, "unexpected token ')', expected 'end'"},
		{`(func block else end)`, "unexpected token 'else', expected 'end'"},
		{`(func i32.const 1 if else else end)`, "unexpected token 'else', expected 'end'"},
		{`(func block $a loop $b end $a end)`, "mismatching label $a"},
		{`(func block (block nop) catch end)`, "unexpected token 'catch', expected 'end'"},
		{`(func (block block))`, "unexpected token ')', expected 'end'"},
		{`(func ` + strings.Repeat("try_table ", 10001) + `)`, "flat try and try_table instructions nested deeper than 10000"},
		{`(frob)`, "unknown module field '(frob'"},
		{`(func (result i32) (param i32))`, "unexpected token '(param'"},
		{`(func (local i32) (param i32))`, "unexpected token param"},
		{`(memory 1) (func (drop (i32.load align=-1 (i32.const 0))))`, "unknown operator align=-1"},
		{`(func (drop (i32.const 1_)))`, "unknown operator \"1_\""},
		{`(func (drop (i32.const nan)))`, "unexpected token 'nan'"},
		{`(func $)`, "empty identifier"},
		{`(data"a")`, "unknown operator"},
		{`(func (v128.const i32x4 0x10000000000000000 0) drop)`, "wrong number of lane literals"},
		{`(func (v128.const i32x4 0 0 0 0 0) drop)`, "wrong number of lane literals"},
		{`(func (i8x16.extract_lane_s -1 (v128.const i64x2 0 0)) drop)`, "unexpected token -1: malformed lane index"},
		{`(@)`, "empty annotation id"},
		{`(@x`, "unclosed annotation"},
		{`(func (i8x16.shuffle nan 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)))`, "malformed lane index"},
		{`(func))`, "m.wat:1:7: unexpected token ')'"},
		{`(export "a" (func 0) extra)`, "unexpected token 'extra', expected ')'"},
	}
	for _, tt := range tests {
		_, err := ParseModule("m.wat", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %v, want one containing %q", tt.src, err, tt.msg)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Pos.File != "m.wat" || e.Pos.Line < 1 || e.Pos.Col < 1 {
			t.Errorf("%s: error without a position: %v", tt.src, err)
		}
		if !errors.Is(err, wasm.ErrMalformed) {
			t.Errorf("%s: error does not wrap wasm.ErrMalformed", tt.src)
		}
	}
}

func TestMemory64TextRules(t *testing.T) {
	src := []byte(`(memory 0x1_0000_0000) (func (drop (i32.load offset=0x1_0000_0000 (i32.const 0))))`)
	if _, err := ParseModule("m.wat", src); err == nil {
		t.Error("2.0 rules accept 64-bit limits and offsets on a 32-bit memory")
	}
	if _, err := (Parser{Features: wasm.FeatureMemory64}).ParseModule("m.wat", src); err != nil {
		t.Errorf("memory64 rules: %v", err)
	}
}

func TestEncodeGCTypes(t *testing.T) {
	src := `(module
	  (rec
	    (type $a (struct (field $x i32) (field (mut i8))))
	    (type $b (sub $a (struct (field i32) (field (mut i8)) (field (ref null $a))))))
	  (type $c (array (mut i16)))
	  (type $f (sub final (func (param (ref $a)))))
	  (type (func (param (ref func) (ref null any) anyref) (result (ref null 1)))))`
	got, err := ParseModule("gc.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "0061736d01000000" + "0126" + "04" +
		"4e02" + "5f027f007801" + "5001005f037f0078016300" + "00" +
		"5e7701" +
		"6001640000" +
		"600364706e6e" + "016301"
	if h := hex.EncodeToString(got); h != want {
		t.Errorf("got  %s\nwant %s", h, want)
	}
}
