package validator

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// allFeatures enables every proposal kiln knows.
const allFeatures = ^wasm.Features(0)

// compileText encodes, decodes and validates a WAT module with every
// feature, recording the instructions of function 0's body... of every
// defined function, in order.
func compileText(t *testing.T, src string) (*wasm.Module, []string, error) {
	t.Helper()
	bin, err := wast.Parser{Features: allFeatures}.ParseModule("test.wat", []byte(src))
	if err != nil {
		t.Fatalf("text: %v", err)
	}
	m, err := decoder.Decode(bin, allFeatures)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	var lines []string
	err = ValidateModule(m, allFeatures, func(uint32) FuncVisitor { return &laterRecorder{lines: &lines} })
	return m, lines, err
}

// laterRecorder renders the State fields of the later proposals.
type laterRecorder struct{ lines *[]string }

func (r *laterRecorder) Begin(*Func) error { return nil }
func (r *laterRecorder) End(*Func) error   { return nil }
func (r *laterRecorder) Instr(in *wasm.Instr, s *State) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s in=%s out=%s", in.Op, typeList(s.In), typeList(s.Out))
	if s.Callee != nil {
		fmt.Fprintf(&b, " callee=%s", s.Callee)
	}
	if s.Tag != nil {
		fmt.Fprintf(&b, " tag=%s", s.Tag)
	}
	for i, tt := range s.TagTypes {
		l := s.Label(in.Catches[i].Label)
		fmt.Fprintf(&b, " catch%d=%v->%d/%s", i, tt != nil, l.Kind, typeList(l.Types))
	}
	if s.Composite != nil {
		fmt.Fprintf(&b, " comp=%d/%d", s.Composite.Kind, len(s.Composite.Fields))
	}
	if s.CastType != 0 {
		fmt.Fprintf(&b, " cast=%s", s.CastType)
	}
	if in.Op == wasm.OpEnd || in.Op == wasm.OpCatch || in.Op == wasm.OpCatchAll || in.Op == wasm.OpDelegate {
		fmt.Fprintf(&b, " L0=%d", s.Label(0).Kind)
	}
	*r.lines = append(*r.lines, b.String())
	return nil
}

func TestLaterProposalsState(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // lines that must appear, in order
		err       string
	}{
		{name: "return_call", src: `(func $f (param i32) (result i64) (return_call $f (local.get 0)))`,
			want: []string{"return_call in=[i32] out=[] callee=(func (param i32) (result i64))"}},
		{name: "return_call result mismatch", src: `(func $f (param i32) (result i64) (i32.const 0)) (func (result i32) (return_call $f (i32.const 0)))`,
			err: "type mismatch"},
		{name: "call_ref", src: `(type $t (func (param i32) (result i32))) (func (param (ref null $t)) (result i32) (call_ref $t (i32.const 1) (local.get 0)))`,
			want: []string{"call_ref in=[i32 (ref null 0)] out=[i32] callee=(func (param i32) (result i32))"}},
		{name: "br_on_null", src: `(func (param funcref) (result funcref) (block (br_on_null 0 (local.get 0)) (return)) (ref.null func))`,
			want: []string{"br_on_null in=[funcref] out=[(ref func)]"}},
		{name: "try_table", src: `(tag $e (param i32)) (func (result i32) (block $h (result i32) (try_table (catch $e $h) (throw $e (i32.const 1))) (i32.const 0)))`,
			want: []string{"try_table in=[] out=[] catch0=true->1/[i32]", "throw in=[i32] out=[] tag=(func (param i32))", "end in=[] out=[] L0=5"}},
		{name: "catch label types", src: `(tag $e (param i32)) (func (block $h (try_table (catch $e $h))))`,
			err: "type mismatch"},
		{name: "legacy try", src: `(tag $e (param i64)) (func (result i64) (try (result i64) (do (i64.const 1)) (catch $e) (catch_all (i64.const 2))))`,
			want: []string{"catch in=[i64] out=[i64] tag=(func (param i64)) L0=6", "catch_all in=[i64] out=[] L0=7", "end in=[i64] out=[i64] L0=7"}},
		{name: "rethrow outside catch", src: `(func (try (do (rethrow 0))))`, err: "invalid rethrow label"},
		{name: "struct", src: `(type $s (struct (field $x (mut i8)) (field i64))) (func (param (ref $s)) (result i32) (struct.set $s $x (local.get 0) (i32.const 3)) (struct.get_u $s $x (local.get 0)))`,
			want: []string{"struct.set in=[(ref 0) i32] out=[] comp=1/2", "struct.get_u in=[(ref 0)] out=[i32] comp=1/2"}},
		{name: "packed get needs sign", src: `(type $s (struct (field i8))) (func (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0)))`,
			err: "type mismatch"},
		{name: "immutable field", src: `(type $s (struct (field i32))) (func (param (ref $s)) (struct.set $s 0 (local.get 0) (i32.const 1)))`,
			err: "field is immutable"},
		{name: "br_on_cast", src: `(type $s (struct)) (func (param anyref) (result anyref) (block $l (result (ref $s)) (br_on_cast $l anyref (ref $s) (local.get 0)) (return)) (drop) (ref.null any))`,
			want: []string{"br_on_cast in=[anyref] out=[anyref] cast=(ref 0)"}},
		{name: "ref.cast", src: `(type $s (struct)) (func (param anyref) (result (ref null $s)) (ref.cast (ref null $s) (local.get 0)))`,
			want: []string{"ref.cast in=[anyref] out=[(ref null 0)] cast=(ref null 0)"}},
		{name: "cast across hierarchies", src: `(func (param externref) (drop (ref.test anyref (local.get 0))))`, err: "type mismatch"},
		{name: "subtype", src: `(type $a (sub (struct (field i32)))) (type $b (sub $a (struct (field i32) (field i64)))) (func (param (ref $b)) (result (ref $a)) (local.get 0))`},
		{name: "final supertype", src: `(type $a (struct)) (type $b (sub $a (struct)))`, err: "sub type"},
		{name: "supertype mismatch", src: `(type $a (sub (struct (field i32)))) (type $b (sub $a (struct (field i64))))`, err: "sub type 1 does not match super type"},
		{name: "equivalent rec groups", src: `(rec (type $a (struct (field (ref null $a))))) (rec (type $b (struct (field (ref null $b))))) (func (param (ref $a)) (result (ref $b)) (local.get 0))`},
		{name: "atomic", src: `(memory 1 1 shared) (func (result i32) (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))`,
			want: []string{"i32.atomic.rmw.add in=[i32 i32] out=[i32]"}},
		{name: "atomic alignment", src: `(memory 1 1 shared) (func (result i32) (i32.atomic.load align=2 (i32.const 0)))`, err: "atomic alignment"},
		{name: "relaxed simd", src: `(func (param v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0)))`,
			want: []string{"f32x4.relaxed_madd in=[v128 v128 v128] out=[v128]"}},
		{name: "global struct.new", src: `(type $s (struct (field i32))) (global (ref $s) (struct.new $s (i32.const 1)))`},
		{name: "non-defaultable table", src: `(type $f (func)) (table 1 (ref $f))`, err: "type mismatch"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, lines, err := compileText(t, "(module "+tc.src+")")
			switch {
			case tc.err != "" && err == nil:
				t.Fatalf("valid, want %q", tc.err)
			case tc.err != "" && !strings.Contains(err.Error(), tc.err):
				t.Fatalf("error %v, want %q", err, tc.err)
			case tc.err == "" && err != nil:
				t.Fatalf("invalid: %v", err)
			}
			next := 0
			for _, l := range lines {
				if next < len(tc.want) && l == tc.want[next] {
					next++
				}
			}
			if next < len(tc.want) {
				t.Errorf("missing %q in:\n%s", tc.want[next], strings.Join(lines, "\n"))
			}
		})
	}
}

func TestCanonicalTypes(t *testing.T) {
	m1, _, err := compileText(t, `(module (type $f (func (param i32))) (rec (type $a (struct (field (ref null $b)))) (type $b (array (ref null $a)))))`)
	if err != nil {
		t.Fatal(err)
	}
	m2, _, err := compileText(t, `(module (type (struct)) (rec (type $a (struct (field (ref null $b)))) (type $b (array (ref null $a)))) (type $f (func (param i32))))`)
	if err != nil {
		t.Fatal(err)
	}
	k1, k2 := CanonicalTypes(m1), CanonicalTypes(m2)
	if k1[0] != k2[3] || k1[1] != k2[1] || k1[2] != k2[2] {
		t.Error("equivalent types across modules have different keys")
	}
	if k1[1] == k1[2] || k2[0] == k2[1] {
		t.Error("different types share a key")
	}
}

func TestTypesAcrossModules(t *testing.T) {
	ma, _, err := compileText(t, `(module (type $s (sub (struct))) (type $t (sub $s (struct (field i32)))) (type $f (func (param i32))))`)
	if err != nil {
		t.Fatal(err)
	}
	mb, _, err := compileText(t, `(module (type $f (func (param i32))) (type $s (sub (struct))) (type $a (array i8)))`)
	if err != nil {
		t.Fatal(err)
	}
	a, b := NewTypes(ma), NewTypes(mb)
	checks := []struct {
		name string
		got  bool
		want bool
	}{
		{"equivalent function types", TypeMatches(a, 2, b, 0), true},
		{"subtype to equivalent supertype", TypeMatches(a, 1, b, 1), true},
		{"supertype is not a subtype", TypeMatches(b, 1, a, 1), false},
		{"struct is not array", TypeMatches(a, 0, b, 2), false},
		{"(ref $t) <: (ref null $s)", ValTypeMatches(a, wasm.RefType(false, 1), b, wasm.RefType(true, 1)), true},
		{"(ref null $t) </: (ref $s)", ValTypeMatches(a, wasm.RefType(true, 1), b, wasm.RefType(false, 1)), false},
		{"(ref $t) <: structref", ValTypeMatches(a, wasm.RefType(false, 1), b, wasm.RefType(true, wasm.HeapStruct)), true},
		{"nullref <: (ref null $a)", ValTypeMatches(a, wasm.RefType(true, wasm.HeapNone), b, wasm.RefType(true, 2)), true},
		{"(ref $f) <: funcref", ValTypeMatches(a, wasm.RefType(false, 2), b, wasm.FuncRef), true},
		{"(ref $f) </: anyref", ValTypeMatches(a, wasm.RefType(false, 2), b, wasm.RefType(true, wasm.HeapAny)), false},
		{"i32 = i32", ValTypesEquivalent(a, wasm.I32, b, wasm.I32), true},
		{"(ref $t) != (ref $s)", ValTypesEquivalent(a, wasm.RefType(false, 1), b, wasm.RefType(false, 1)), false},
		{"(ref $s) = (ref $s)", ValTypesEquivalent(a, wasm.RefType(false, 0), b, wasm.RefType(false, 1)), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v", c.name, c.got)
		}
	}
}

// stoppingVisitor fails at its first instruction and counts its calls
// (atomically: with several workers, visitors of different functions
// run at once).
type stoppingVisitor struct{ calls *atomic.Int64 }

var errEngine = fmt.Errorf("engine: unsupported instruction")

func (v stoppingVisitor) Begin(*Func) error { return nil }
func (v stoppingVisitor) End(*Func) error   { v.calls.Add(1); return nil }
func (v stoppingVisitor) Instr(*wasm.Instr, *State) error {
	v.calls.Add(1)
	return errEngine
}

func TestVisitorErrorDoesNotHideInvalidModule(t *testing.T) {
	for _, workers := range []int{1, 2} {
		for _, tc := range []struct {
			name, src string
			invalid   bool
		}{
			{"later instruction invalid", `(func (nop) (i32.add (i32.const 0)) (drop))`, true},
			{"later function invalid", `(func (nop)) (func (result i32) (i64.const 0))`, true},
			{"valid", `(func (nop)) (func (result i32) (i32.const 0))`, false},
		} {
			bin, err := wast.Parser{}.ParseModule("t.wat", []byte("(module "+tc.src+")"))
			if err != nil {
				t.Fatal(err)
			}
			m, err := decoder.Decode(bin, wasm.Features2)
			if err != nil {
				t.Fatal(err)
			}
			var calls atomic.Int64
			err = Validate(m, Config{Features: wasm.Features2, Concurrency: workers}, func(uint32) FuncVisitor { return stoppingVisitor{&calls} })
			switch {
			case tc.invalid && !errors.Is(err, wasm.ErrInvalid):
				t.Errorf("%s (%d workers): got %v, want an invalid module", tc.name, workers, err)
			case !tc.invalid && !errors.Is(err, errEngine):
				t.Errorf("%s (%d workers): got %v, want the visitor's error", tc.name, workers, err)
			}
			if n := calls.Load(); workers == 1 && n != 1 {
				t.Errorf("%s: visitor called %d times after failing", tc.name, n-1)
			}
		}
	}
}
