package wast

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kilnrt/kiln/wasm"
)

const scriptSrc = `(module $M (func (export "f") (param i32) (result i32) (local.get 0)))
(register "m" $M)
(module binary "\00asm" "\01\00\00\00")
(module quote "(func" " (nop))")
(invoke "f" (i32.const -1))
(get $M "g")
(assert_return (invoke $M "f" (i64.const 0x10) (f32.const -0.5) (f64.const inf))
  (i32.const 1) (f32.const nan:canonical) (f64.const nan:arithmetic) (f64.const -nan:0x1))
(assert_return (invoke "v" (v128.const i16x8 1 2 3 4 5 6 7 -1))
  (v128.const f32x4 1.0 nan:canonical -0 nan:arithmetic)
  (v128.const i64x2 1 -1))
(assert_return (invoke "r" (ref.null func) (ref.null extern) (ref.extern 7))
  (ref.null func) (ref.extern 7) (ref.extern) (ref.func) (ref.null)
  (either (i32.const 1) (i32.const 2)))
(assert_trap (invoke "t") "unreachable")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module quote "(func (i32.const 0x1_0000_0000))") "constant out of range")
(assert_malformed (module (func (unknown.op))) "unknown operator")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(assert_uninstantiable (module (memory 1) (data (i32.const 70000) "a")) "out of bounds")
(module definition $D (memory 1))
(module instance $I $D)
(assert_exception (invoke "throw"))
(thread $T (shared (module $M)) (register "mem" $M) (invoke "f" (i32.const 1)))
(wait $T)
`

func TestParseScript(t *testing.T) {
	s, err := ParseScript("s.wast", []byte(scriptSrc))
	if err != nil {
		t.Fatal(err)
	}
	kinds := make([]string, len(s.Commands))
	for i, c := range s.Commands {
		kinds[i] = commandName(c)
	}
	want := []string{"ModuleCommand", "RegisterCommand", "ModuleCommand", "ModuleCommand", "ActionCommand",
		"ActionCommand", "AssertReturn", "AssertReturn", "AssertReturn", "AssertTrap", "AssertTrap",
		"AssertExhaustion", "AssertInvalid", "AssertMalformed", "AssertMalformed", "AssertUnlinkable",
		"AssertUninstantiable", "ModuleCommand", "ModuleInstanceCommand", "AssertException", "ThreadCommand", "WaitCommand"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Fatalf("commands (-want +got):\n%s", diff)
	}

	m := s.Commands[0].(*ModuleCommand).Module
	if m.ID != "$M" || m.Kind != ModuleText || m.Err != nil || len(m.Binary) == 0 {
		t.Errorf("text module: %+v", m)
	}
	if p := s.Commands[1].Position(); p.Line != 2 || p.Col != 1 || p.File != "s.wast" {
		t.Errorf("register position %v", p)
	}
	if r := s.Commands[1].(*RegisterCommand); r.Name != "m" || r.Module != "$M" {
		t.Errorf("register: %+v", r)
	}
	if b := s.Commands[2].(*ModuleCommand).Module; b.Kind != ModuleBinary || string(b.Binary) != "\x00asm\x01\x00\x00\x00" {
		t.Errorf("binary module: %+v", b)
	}
	q := s.Commands[3].(*ModuleCommand).Module
	if q.Kind != ModuleQuote || q.Quote != "(func  (nop))" {
		t.Errorf("quote module: %+v", q)
	}
	if bin, err := q.Encode(); err != nil || len(bin) == 0 {
		t.Errorf("quote module encode: %v", err)
	}
	inv := s.Commands[4].(*ActionCommand).Action
	if inv.Kind != ActionInvoke || inv.Name != "f" || inv.Module != "" || len(inv.Args) != 1 ||
		inv.Args[0] != (Value{Type: wasm.I32, Lo: 0xFFFFFFFF}) {
		t.Errorf("invoke: %+v", inv)
	}
	if get := s.Commands[5].(*ActionCommand).Action; get.Kind != ActionGet || get.Module != "$M" || get.Name != "g" {
		t.Errorf("get: %+v", get)
	}

	ar := s.Commands[6].(*AssertReturn)
	wantArgs := []Value{
		{Type: wasm.I64, Lo: 0x10},
		{Type: wasm.F32, Lo: uint64(math.Float32bits(-0.5))},
		{Type: wasm.F64, Lo: math.Float64bits(math.Inf(1))},
	}
	if diff := cmp.Diff(wantArgs, ar.Action.Args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
	if len(ar.Expected) != 4 || ar.Expected[0].Kind != ResultValue || ar.Expected[0].Value.Lo != 1 ||
		ar.Expected[1].Kind != ResultNaN || ar.Expected[1].NaN != NaNCanonical || ar.Expected[1].Value.Type != wasm.F32 ||
		ar.Expected[2].Kind != ResultNaN || ar.Expected[2].NaN != NaNArithmetic ||
		ar.Expected[3].Kind != ResultValue || ar.Expected[3].Value.Lo != 0xFFF0000000000001 {
		t.Errorf("results: %+v", ar.Expected)
	}

	vr := s.Commands[7].(*AssertReturn)
	if got := vr.Action.Args[0]; got.Type != wasm.V128 || got.Lo != 0x0004000300020001 || got.Hi != 0xFFFF000700060005 {
		t.Errorf("v128 arg: %+v", got)
	}
	lanes := vr.Expected[0]
	if lanes.Kind != ResultLanes || lanes.Shape != ShapeF32x4 || lanes.LaneNaN[1] != NaNCanonical ||
		lanes.LaneNaN[3] != NaNArithmetic || lanes.LaneNaN[0] != NaNNone ||
		uint32(lanes.Value.Lo) != math.Float32bits(1) || uint32(lanes.Value.Hi) != 0x80000000 {
		t.Errorf("v128 lanes: %+v", lanes)
	}
	if exact := vr.Expected[1]; exact.Kind != ResultValue || exact.Value.Lo != 1 || exact.Value.Hi != math.MaxUint64 {
		t.Errorf("v128 exact: %+v", exact)
	}
	if b := vr.Action.Args[0].V128(); b[0] != 1 || b[15] != 0xFF {
		t.Errorf("V128() = %v", b)
	}

	rr := s.Commands[8].(*AssertReturn)
	wantRefArgs := []Value{{Type: wasm.FuncRef, Null: true}, {Type: wasm.ExternRef, Null: true}, {Type: wasm.ExternRef, Ref: 7}}
	if diff := cmp.Diff(wantRefArgs, rr.Action.Args); diff != "" {
		t.Errorf("ref args (-want +got):\n%s", diff)
	}
	e := rr.Expected
	if e[0].Kind != ResultValue || !e[0].Value.Null || e[0].Value.Type != wasm.FuncRef ||
		e[1].Kind != ResultValue || e[1].Value.Ref != 7 ||
		e[2].Kind != ResultRef || e[2].Heap != wasm.HeapExtern ||
		e[3].Kind != ResultRef || e[3].Heap != wasm.HeapFunc ||
		e[4].Kind != ResultRefNull ||
		e[5].Kind != ResultEither || len(e[5].Either) != 2 || e[5].Either[1].Value.Lo != 2 {
		t.Errorf("ref results: %+v", e)
	}

	if tr := s.Commands[10].(*AssertTrap); tr.Module == nil || tr.Action != nil || tr.Message != "unreachable" || tr.Module.Err != nil {
		t.Errorf("assert_trap module: %+v", tr)
	}
	mq := s.Commands[13].(*AssertMalformed).Module
	if _, err := mq.Encode(); err == nil || !errors.Is(err, wasm.ErrMalformed) {
		t.Errorf("malformed quote module encodes: %v", err)
	}
	mt := s.Commands[14].(*AssertMalformed).Module
	if mt.Err == nil || !strings.Contains(mt.Err.Error(), "s.wast:20:34: unknown operator unknown.op") {
		t.Errorf("malformed text module error: %v", mt.Err)
	}
	if d := s.Commands[17].(*ModuleCommand).Module; !d.Definition || d.ID != "$D" {
		t.Errorf("module definition: %+v", d)
	}
	if mi := s.Commands[18].(*ModuleInstanceCommand); mi.Instance != "$I" || mi.Module != "$D" {
		t.Errorf("module instance: %+v", mi)
	}
	if th := s.Commands[20].(*ThreadCommand); th.ID != "$T" || len(th.Shared) != 1 || th.Shared[0] != "$M" || len(th.Commands) != 2 {
		t.Errorf("thread: %+v", th)
	}
	if w := s.Commands[21].(*WaitCommand); w.Thread != "$T" {
		t.Errorf("wait: %+v", w)
	}
}

// commandName names the concrete type of a command.
func commandName(v Command) string {
	switch v.(type) {
	case *ModuleCommand:
		return "ModuleCommand"
	case *ModuleInstanceCommand:
		return "ModuleInstanceCommand"
	case *RegisterCommand:
		return "RegisterCommand"
	case *ActionCommand:
		return "ActionCommand"
	case *AssertReturn:
		return "AssertReturn"
	case *AssertTrap:
		return "AssertTrap"
	case *AssertExhaustion:
		return "AssertExhaustion"
	case *AssertException:
		return "AssertException"
	case *AssertInvalid:
		return "AssertInvalid"
	case *AssertMalformed:
		return "AssertMalformed"
	case *AssertUnlinkable:
		return "AssertUnlinkable"
	case *AssertUninstantiable:
		return "AssertUninstantiable"
	case *ThreadCommand:
		return "ThreadCommand"
	case *WaitCommand:
		return "WaitCommand"
	}
	return "?"
}

func TestParseScriptErrors(t *testing.T) {
	tests := []struct{ src, msg string }{
		{`(frobnicate)`, "s.wast:1:1: unknown script command '(frobnicate'"},
		{`(invoke)`, "s.wast:1:8: unexpected token ')', expected an export name string"},
		{`(invoke "f" (i32.const 1.5))`, "s.wast:1:24: unknown operator \"1.5\": not a valid i32 literal"},
		{`(invoke "f" (i32.const 4294967296))`, "constant out of range"},
		{`(assert_return (invoke "f") (v128.const i32x4 1 2 3))`, "wrong number of lane literals"},
		{`(assert_trap (invoke "f"))`, "expected a failure message string"},
		{`(module`, "unclosed '('"},
	}
	for _, tt := range tests {
		_, err := ParseScript("s.wast", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %v, want one containing %q", tt.src, err, tt.msg)
		}
	}
}
