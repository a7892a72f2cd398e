package kiln

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// opCase runs function "f" of a one-function module.
type opCase struct {
	name string
	// sig is the function's (param ...) (result ...) text, body its
	// instructions; mem adds a one-page memory with the given data string.
	sig, body string
	mem       string
	args      []uint64
	want      []uint64
	trap      string // expected trap message, instead of want
}

func f32b(f float32) uint64 { return uint64(math.Float32bits(f)) }
func f64b(f float64) uint64 { return math.Float64bits(f) }

// watBytes escapes every byte of s for a text-format string.
func watBytes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "\\%02x", s[i])
	}
	return b.String()
}

func runOpCases(t *testing.T, cases []opCase) {
	t.Helper()
	rt := NewRuntime(RuntimeConfig{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := ""
			if c.mem != "" {
				mem = fmt.Sprintf(`(memory 1) (data (i32.const 0) "%s")`, watBytes(c.mem))
			}
			src := fmt.Sprintf(`(module %s (func (export "f") %s %s))`, mem, c.sig, c.body)
			inst := instantiate(t, rt, src)
			got, err := inst.Func("f").Call(context.Background(), c.args...)
			if c.trap != "" {
				var trap *Trap
				if !errors.As(err, &trap) || !strings.Contains(err.Error(), c.trap) {
					t.Fatalf("got %v, %v; want trap %q", got, err, c.trap)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestIntegerOps(t *testing.T) {
	runOpCases(t, []opCase{
		{name: "i32.add wraps", sig: "(param i32 i32) (result i32)", body: "local.get 0 local.get 1 i32.add", args: []uint64{0xFFFFFFFF, 2}, want: []uint64{1}},
		{name: "i32.add const", sig: "(param i32) (result i32)", body: "local.get 0 i32.const -1 i32.add", args: []uint64{5}, want: []uint64{4}},
		{name: "i32.sub const left", sig: "(param i32) (result i32)", body: "i32.const 10 local.get 0 i32.sub", args: []uint64{3}, want: []uint64{7}},
		{name: "i32.lt_s const left", sig: "(param i32) (result i32)", body: "i32.const 10 local.get 0 i32.lt_s", args: []uint64{11}, want: []uint64{1}},
		{name: "i32.div_s", sig: "(param i32 i32) (result i32)", body: "local.get 0 local.get 1 i32.div_s", args: []uint64{uint64(uint32(0xFFFFFFF9)), 2}, want: []uint64{0xFFFFFFFD}},
		{name: "i32.div_s by zero", sig: "(param i32 i32) (result i32)", body: "local.get 0 local.get 1 i32.div_s", args: []uint64{1, 0}, trap: "integer divide by zero"},
		{name: "i32.div_s overflow", sig: "(param i32 i32) (result i32)", body: "local.get 0 local.get 1 i32.div_s", args: []uint64{0x80000000, 0xFFFFFFFF}, trap: "integer overflow"},
		{name: "i32.rem_s min -1", sig: "(param i32 i32) (result i32)", body: "local.get 0 local.get 1 i32.rem_s", args: []uint64{0x80000000, 0xFFFFFFFF}, want: []uint64{0}},
		{name: "scaled index", sig: "(param i32 i32) (result i32)", body: "(i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2)))", args: []uint64{100, 0x40000001}, want: []uint64{104}},
		{name: "scaled index left", sig: "(param i32 i32) (result i32)", body: "(i32.add (i32.shl (local.get 1) (i32.const 35)) (local.get 0))", args: []uint64{1, 3}, want: []uint64{25}},
		{name: "i32.rotl", sig: "(param i32) (result i32)", body: "local.get 0 i32.const 4 i32.rotl", args: []uint64{0xF0000001}, want: []uint64{0x1F}},
		{name: "i32.shr_s", sig: "(param i32) (result i32)", body: "local.get 0 i32.const 33 i32.shr_s", args: []uint64{0x80000000}, want: []uint64{0xC0000000}},
		{name: "i32.clz ctz popcnt", sig: "(param i32) (result i32 i32 i32)", body: "local.get 0 i32.clz local.get 0 i32.ctz local.get 0 i32.popcnt", args: []uint64{0x00F0}, want: []uint64{24, 4, 4}},
		{name: "i32.extend8_s", sig: "(param i32) (result i32)", body: "local.get 0 i32.extend8_s", args: []uint64{0x80}, want: []uint64{0xFFFFFF80}},
		{name: "i64.mul", sig: "(param i64 i64) (result i64)", body: "local.get 0 local.get 1 i64.mul", args: []uint64{1 << 32, 1 << 32}, want: []uint64{0}},
		{name: "i64.div_u by zero", sig: "(param i64 i64) (result i64)", body: "local.get 0 local.get 1 i64.div_u", args: []uint64{1, 0}, trap: "integer divide by zero"},
		{name: "i64.rem_s", sig: "(param i64 i64) (result i64)", body: "local.get 0 local.get 1 i64.rem_s", args: []uint64{uint64(1<<64 - 7), 2}, want: []uint64{uint64(1<<64 - 1)}},
		{name: "i64.shl const", sig: "(param i64) (result i64)", body: "local.get 0 i64.const 65 i64.shl", args: []uint64{3}, want: []uint64{6}},
		{name: "i64.eqz branch", sig: "(param i64) (result i32)", body: "(block (br_if 0 (i64.eqz (local.get 0)))) (if (result i32) (i64.eqz (local.get 0)) (then (i32.const 1)) (else (i32.const 2)))", args: []uint64{1 << 40}, want: []uint64{2}},
		{name: "i64.eqz", sig: "(param i64) (result i32)", body: "local.get 0 i64.eqz", args: []uint64{0}, want: []uint64{1}},
		{name: "i64.extend_i32_s", sig: "(param i32) (result i64)", body: "local.get 0 i64.extend_i32_s", args: []uint64{0xFFFFFFFE}, want: []uint64{uint64(1<<64 - 2)}},
		{name: "i32.wrap_i64", sig: "(param i64) (result i32)", body: "local.get 0 i32.wrap_i64", args: []uint64{0x1_0000_0005}, want: []uint64{5}},
	})
}

func TestFloatOps(t *testing.T) {
	runOpCases(t, []opCase{
		{name: "f32.add", sig: "(param f32 f32) (result f32)", body: "local.get 0 local.get 1 f32.add", args: []uint64{f32b(1.5), f32b(2.25)}, want: []uint64{f32b(3.75)}},
		{name: "f64.div", sig: "(param f64 f64) (result f64)", body: "local.get 0 local.get 1 f64.div", args: []uint64{f64b(1), f64b(4)}, want: []uint64{f64b(0.25)}},
		{name: "f64.min -0", sig: "(param f64 f64) (result f64)", body: "local.get 0 local.get 1 f64.min", args: []uint64{f64b(0), f64b(math.Copysign(0, -1))}, want: []uint64{f64b(math.Copysign(0, -1))}},
		{name: "f32.nearest", sig: "(param f32) (result f32)", body: "local.get 0 f32.nearest", args: []uint64{f32b(2.5)}, want: []uint64{f32b(2)}},
		{name: "f64.lt NaN", sig: "(param f64) (result i32)", body: "local.get 0 local.get 0 f64.lt", args: []uint64{f64b(math.NaN())}, want: []uint64{0}},
		{name: "i32.trunc_f32_s NaN", sig: "(param f32) (result i32)", body: "local.get 0 i32.trunc_f32_s", args: []uint64{f32b(float32(math.NaN()))}, trap: "invalid conversion to integer"},
		{name: "i32.trunc_f64_u overflow", sig: "(param f64) (result i32)", body: "local.get 0 i32.trunc_f64_u", args: []uint64{f64b(5e9)}, trap: "integer overflow"},
		{name: "i32.trunc_sat_f64_u", sig: "(param f64) (result i32)", body: "local.get 0 i32.trunc_sat_f64_u", args: []uint64{f64b(5e9)}, want: []uint64{0xFFFFFFFF}},
		{name: "f64.convert_i64_u", sig: "(param i64) (result f64)", body: "local.get 0 f64.convert_i64_u", args: []uint64{1 << 63}, want: []uint64{f64b(1 << 63)}},
		{name: "reinterpret", sig: "(param f32) (result i32)", body: "local.get 0 i32.reinterpret_f32", args: []uint64{f32b(-1)}, want: []uint64{0xBF800000}},
		// Go's constant -0.0 is +0: negative zero is written as bits.
		{name: "f32.copysign -0", sig: "(param f32 f32) (result f32)", body: "local.get 0 local.get 1 f32.copysign", args: []uint64{f32b(2), 0x80000000}, want: []uint64{f32b(-2)}},
		{name: "f32.copysign +0", sig: "(param f32 f32) (result f32)", body: "local.get 0 local.get 1 f32.copysign", args: []uint64{f32b(-2), f32b(0)}, want: []uint64{f32b(2)}},
		{name: "f64.copysign -0", sig: "(param f64 f64) (result f64)", body: "local.get 0 local.get 1 f64.copysign", args: []uint64{f64b(0.5), 1 << 63}, want: []uint64{f64b(-0.5)}},
	})
}

func TestMemoryOps(t *testing.T) {
	runOpCases(t, []opCase{
		{name: "load8_s", sig: "(result i32)", mem: "\xff", body: "i32.const 0 i32.load8_s", want: []uint64{0xFFFFFFFF}},
		{name: "load16_u offset", sig: "(result i32)", mem: "\x00\x34\x12", body: "i32.const 0 i32.load16_u offset=1", want: []uint64{0x1234}},
		{name: "i64.load32_s", sig: "(result i64)", mem: "\xfe\xff\xff\xff", body: "i32.const 0 i64.load32_s", want: []uint64{uint64(1<<64 - 2)}},
		{name: "store then load", sig: "(param i32 i64) (result i64)", mem: "x", body: "local.get 0 local.get 1 i64.store local.get 0 i64.load", args: []uint64{100, 0x1122334455667788}, want: []uint64{0x1122334455667788}},
		{name: "store16 truncates", sig: "(result i32)", mem: "x", body: "i32.const 8 i32.const 0x12345 i32.store16 i32.const 8 i32.load", want: []uint64{0x2345}},
		{name: "store constants", sig: "(result i64 i32)", mem: "x", body: "i32.const 0 i64.const -2 i64.store i32.const 8 i32.const 0x1ff i32.store8 i32.const 0 i64.load i32.const 8 i32.load", want: []uint64{uint64(1<<64 - 2), 0xff}},
		{name: "store constant out of bounds", sig: "", mem: "x", body: "i32.const 65535 i32.const 1 i32.store16", trap: "out of bounds memory access"},
		{name: "folded address add", sig: "(param i32) (result i32)", mem: "\x01\x02\x03\x04\x05", body: "(i32.load8_u offset=1 (i32.add (local.get 0) (i32.const -4)))", args: []uint64{6}, want: []uint64{4}},
		{name: "folded address add wraps", sig: "(param i32) (result i32)", mem: "x", body: "(i32.load8_u offset=1 (i32.add (local.get 0) (i32.const -4)))", args: []uint64{2}, trap: "out of bounds memory access"},
		{name: "folded store address", sig: "(param i32 i32) (result i32)", mem: "x", body: "(i32.store (i32.add (local.get 0) (i32.const 8)) (local.get 1)) (i32.load (i32.const 12))", args: []uint64{4, 99}, want: []uint64{99}},
		{name: "wrapped address", sig: "(param i64) (result i32)", mem: "\x01\x02\x03\x04\x05", body: "(i32.load8_u (i32.add (i32.wrap_i64 (local.get 0)) (i32.const 2)))", args: []uint64{0x7_0000_0001}, want: []uint64{4}},
		{name: "wrapped address store", sig: "(param i64) (result i32)", mem: "x", body: "(i32.store8 (i32.wrap_i64 (local.get 0)) (i32.const 9)) (i32.load8_u (i32.const 3))", args: []uint64{0x1_0000_0003}, want: []uint64{9}},
		{name: "load out of bounds", sig: "(result i32)", mem: "x", body: "i32.const 65533 i32.load", trap: "out of bounds memory access"},
		{name: "offset out of bounds", sig: "(result i32)", mem: "x", body: "i32.const 0 i32.load offset=65536", trap: "out of bounds memory access"},
		{name: "store out of bounds", sig: "", mem: "x", body: "i32.const -1 i32.const 0 i32.store8", trap: "out of bounds memory access"},
		{name: "size and grow", sig: "(result i32 i32 i32)", mem: "x", body: "memory.size i32.const 2 memory.grow memory.size", want: []uint64{1, 1, 3}},
		{name: "grow too much", sig: "(result i32)", mem: "x", body: "i32.const 70000 memory.grow", want: []uint64{0xFFFFFFFF}},
		{name: "fill and copy", sig: "(result i32)", mem: "x", body: "i32.const 10 i32.const 7 i32.const 4 memory.fill i32.const 20 i32.const 10 i32.const 4 memory.copy i32.const 20 i32.load", want: []uint64{0x07070707}},
		{name: "fill out of bounds", sig: "", mem: "x", body: "i32.const 65535 i32.const 0 i32.const 2 memory.fill", trap: "out of bounds memory access"},
	})
}

func TestControlOps(t *testing.T) {
	runOpCases(t, []opCase{
		{name: "unreachable", sig: "", body: "unreachable", trap: "unreachable"},
		{name: "block result via br", sig: "(param i32) (result i32)", body: "(block (result i32) (br_if 0 (i32.const 7) (local.get 0)) drop (i32.const 9))", args: []uint64{1}, want: []uint64{7}},
		{name: "block br_if not taken", sig: "(param i32) (result i32)", body: "(block (result i32) (br_if 0 (i32.const 7) (local.get 0)) drop (i32.const 9))", args: []uint64{0}, want: []uint64{9}},
		{name: "br_table", sig: "(param i32) (result i32)", body: "(block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 10))) (return (i32.const 11))) (i32.const 12)", args: []uint64{1}, want: []uint64{11}},
		{name: "br_table default", sig: "(param i32) (result i32)", body: "(block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 10))) (return (i32.const 11))) (i32.const 12)", args: []uint64{99}, want: []uint64{12}},
		{name: "br_table with value", sig: "(param i32) (result i32)", body: "(block (result i32) (block (result i32) (br_table 0 1 (i32.const 5) (local.get 0))) (i32.const 1) (i32.add))", args: []uint64{0}, want: []uint64{6}},
		{name: "loop with params", sig: "(param i32) (result i32)", body: "(local.get 0) (loop (param i32) (result i32) (i32.sub (i32.const 1)) (local.tee 0) (br_if 0 (local.get 0)))", args: []uint64{5}, want: []uint64{0}},
		{name: "if else", sig: "(param i32) (result i32)", body: "(if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))", args: []uint64{0}, want: []uint64{2}},
		{name: "if fused compare", sig: "(param i32 i32) (result i32)", body: "(if (result i32) (i32.gt_u (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 2)))", args: []uint64{3, 2}, want: []uint64{1}},
		{name: "multi-value block", sig: "(result i32 i32)", body: "(block (result i32 i32) (i32.const 1) (i32.const 2))", want: []uint64{1, 2}},
		{name: "swap through return", sig: "(param i32 i32) (result i32 i32)", body: "local.get 1 local.get 0", args: []uint64{1, 2}, want: []uint64{2, 1}},
		{name: "local.set aliasing", sig: "(param i32) (result i32)", body: "local.get 0 (local.set 0 (i32.const 9)) local.get 0 i32.add", args: []uint64{1}, want: []uint64{10}},
		{name: "tee in expression", sig: "(param i32) (result i32)", body: "(i32.add (local.tee 0 (i32.const 4)) (local.get 0))", args: []uint64{1}, want: []uint64{8}},
		{name: "select", sig: "(param i32) (result i64)", body: "(select (i64.const 1) (i64.const 2) (local.get 0))", args: []uint64{0}, want: []uint64{2}},
		{name: "dead code emits nothing harmful", sig: "(result i32)", body: "(return (i32.const 3)) (i32.div_s (i32.const 1) (i32.const 0))", want: []uint64{3}},
	})
}

func TestTableAndRefOps(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{})
	inst := instantiate(t, rt, `(module
		(type $i (func (result i32)))
		(table $t 3 funcref)
		(elem (table $t) (i32.const 0) func $one $two)
		(func $one (result i32) (i32.const 1))
		(func $two (result i32) (i32.const 2))
		(func (export "call") (param i32) (result i32) (call_indirect $t (type $i) (local.get 0)))
		(func (export "bad") (result i64) (call_indirect $t (result i64) (i32.const 0)))
		(func (export "grow") (result i32) (table.grow $t (ref.null func) (i32.const 2)))
		(func (export "null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
		(func (export "copy") (table.copy $t $t (i32.const 2) (i32.const 1) (i32.const 1))))`)
	ctx := context.Background()
	check := func(name string, args []uint64, want uint64, trap string) {
		t.Helper()
		got, err := inst.Func(name).Call(ctx, args...)
		if trap != "" {
			if err == nil || !strings.Contains(err.Error(), trap) {
				t.Fatalf("%s%v: got %v, %v; want trap %q", name, args, got, err, trap)
			}
			return
		}
		if err != nil || got[0] != want {
			t.Fatalf("%s%v = %v, %v; want %d", name, args, got, err, want)
		}
	}
	check("call", []uint64{1}, 2, "")
	check("call", []uint64{2}, 0, "uninitialized element")
	check("call", []uint64{3}, 0, "undefined element")
	check("bad", nil, 0, "indirect call type mismatch")
	check("null", []uint64{2}, 1, "")
	check("null", []uint64{5}, 0, "out of bounds table access")
	if _, err := inst.Func("copy").Call(ctx); err != nil {
		t.Fatal(err)
	}
	check("call", []uint64{2}, 2, "")
	check("grow", nil, 3, "")
	if n := inst.Table("nonexistent"); n != nil {
		t.Fatal("Table of a missing export is not nil")
	}
}
