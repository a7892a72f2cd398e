package wast

import (
	"errors"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// FuzzParseScript checks that the lexer, the script parser and the module
// encoder never panic, and that every error is a positioned *Error that
// wraps wasm.ErrMalformed.
func FuzzParseScript(f *testing.F) {
	f.Add([]byte(scriptSrc))
	for _, g := range goldenModules {
		f.Add([]byte(g.src))
	}
	f.Add([]byte(`(module (func $f (param $x i32) (result i32) (block $b (br_if $b (local.get $x) (i32.const 1))) (i32.const 0x1p3)))`))
	f.Add([]byte(`(module quote "(memory 1) (func (v128.store offset=4 align=16 (i32.const 0) (v128.const f64x2 nan:0x1 -inf)))")`))
	f.Add([]byte(`(assert_return (invoke "f" (f32.const -0x1.fffffep127)) (either (v128.const f32x4 nan:canonical 0 0 0) (ref.null)))`))
	f.Add([]byte(`(@a (;x;) "y") ;; z` + "\n" + `(module (type (sub (struct (field (mut i8))))) (rec (type (array i16))))`))
	f.Add([]byte(`(module (tag $e (param i32)) (func (result i32) (block $h (result i32) (try_table (catch $e $h) (throw $e (i32.const 1))) (i32.const 0))))`))
	f.Add([]byte(`(module (tag $e) (func (try $t (do (throw $e)) (catch $e (rethrow $t)) (catch_all)) try catch_all end (block (try (do) (delegate 0)))))`))
	f.Add([]byte(`(module (type $s (struct (field $a (mut i8)))) (func (param anyref) (drop (block (result (ref $s)) (br_on_cast 0 anyref (ref $s) (local.get 0)) (ref.cast (ref null $s)) (struct.get_u $s $a) (i32.atomic.rmw8.add_u offset=2 (i32.const 0)) (atomic.fence)))))`))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := ParseScript("fuzz.wast", src)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		for _, c := range s.Commands {
			if m := commandModule(c); m != nil {
				if _, err := m.Encode(); err != nil && m.Kind != ModuleBinary {
					checkFuzzError(t, err)
				}
			}
		}
		if _, err := ParseModule("fuzz.wat", src); err != nil {
			checkFuzzError(t, err)
		}
	})
}

func checkFuzzError(t *testing.T, err error) {
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error is not a *wast.Error: %v", err)
	}
	if !errors.Is(err, wasm.ErrMalformed) {
		t.Fatalf("error does not wrap wasm.ErrMalformed: %v", err)
	}
	if e.Pos.Line < 1 || e.Pos.Col < 1 {
		t.Fatalf("error without a position: %v", err)
	}
}
