package wast

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// TestLaterInstructionEncodings checks the binary encoding of the text
// forms of the 3.0 and threads instructions: each function body must
// contain the expected bytes.
func TestLaterInstructionEncodings(t *testing.T) {
	cases := []struct {
		name, src string
		want      string // hex of the instruction bytes
	}{
		{"return_call", `(func $f (return_call $f))`, "1200"},
		{"return_call_indirect", `(table 1 funcref) (func (return_call_indirect (type 0) (i32.const 0)))`, "41001300" + "00"},
		{"call_ref", `(type $t (func)) (func (param (ref $t)) (call_ref $t (local.get 0)))`, "20001400"},
		{"try_table", `(tag $e (param i32)) (func (block $l (result i32) (try_table (result i32) (catch $e $l) (catch_all_ref 1) (i32.const 1)) ))`,
			"1f7f0200000003" + "01" + "4101" + "0b"},
		{"flat try_table", `(tag $e) (func (block $l try_table (catch_ref $e $l) end))`, "1f40010100000b"},
		{"legacy try", `(tag $e) (func (try (do nop) (catch $e rethrow 0) (catch_all)))`, "0640" + "01" + "0700" + "0900" + "19" + "0b"},
		{"legacy delegate", `(func (block $b (try (do) (delegate $b))))`, "02400640" + "1800" + "0b"},
		{"flat legacy", `(tag $e) (func try $t catch $e catch_all end $t)`, "0640" + "0700" + "19" + "0b"},
		{"struct field names", `(type $s (struct (field $a i32) (field $b (mut i64)))) (func (param (ref $s)) (drop (struct.get $s $b (local.get 0))))`,
			"2000fb02" + "0001" + "1a"},
		{"array.new_fixed", `(type $a (array i8)) (func (drop (array.new_fixed $a 2 (i32.const 1) (i32.const 2))))`, "fb08" + "0002"},
		{"ref.test null", `(func (param anyref) (drop (ref.test (ref null i31) (local.get 0))))`, "fb15" + "6c"},
		{"ref.cast", `(type $s (struct)) (func (param anyref) (drop (ref.cast (ref $s) (local.get 0))))`, "fb16" + "00"},
		{"br_on_cast", `(func (param anyref) (result anyref) (block (result i31ref) (br_on_cast 0 anyref i31ref (local.get 0)) (return)))`,
			"fb18" + "03" + "00" + "6e6c"},
		{"atomic", `(memory 1 1 shared) (func (drop (i64.atomic.rmw32.cmpxchg_u offset=8 (i32.const 0) (i64.const 1) (i64.const 2))))`,
			"fe4e" + "0208"},
		{"atomic.fence", `(func (atomic.fence))`, "fe0300"},
		{"relaxed simd", `(func (param v128) (drop (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 0) (local.get 0))))`, "fd93021a"},
	}
	p := Parser{Features: wasm.Features3 | wasm.FeatureThreads}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bin, err := p.ParseModule("t.wat", []byte("(module "+tc.src+")"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := hex.DecodeString(tc.want)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(bin, want) {
				t.Errorf("encoding lacks %s:\n%s", tc.want, hex.EncodeToString(bin))
			}
		})
	}
}

// TestLaterTextErrors checks text forms the parser must reject.
func TestLaterTextErrors(t *testing.T) {
	for _, src := range []string{
		`(func (try (do) (catch_all) (catch_all)))`,
		`(tag $e) (func (try (do) (catch $e) (delegate 0)))`,
		`(func (try_table (catch $missing 0)))`,
		`(type $s (struct (field $a i32))) (func (param (ref $s)) (drop (struct.get $s $b (local.get 0))))`,
		`(func) (import "m" "t" (tag))`,
	} {
		if _, err := (Parser{Features: wasm.Features3}).ParseModule("t.wat", []byte("(module "+src+")")); err == nil {
			t.Errorf("accepted: %s", src)
		}
	}
}
