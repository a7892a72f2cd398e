//go:build kilnjit

package kiln

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/kilnrt/kiln/wasm"
)

// baselineWAT exercises what the baseline compiler does on its own
// (jit/codegen/baseline*.go) rather than through the optimising back
// end's lowerings: lazy local.get entries overwritten by local.set and
// local.tee in and around blocks, block and if parameters and results,
// branches carrying values out of nested blocks and loops, br_table
// with values, multi-value calls, select on lazy operands, constants
// wider than an immediate, memory.fill and memory.copy whose bulk fuel
// the budget cannot pay (their slow path), memory.grow, globals, deep
// recursion, call_indirect and traps at known positions.
const baselineWAT = `(module
  (memory 1 8)
  (table 4 funcref)
  (elem (i32.const 0) $add3 $sub3)
  (global $g (mut i64) (i64.const 7))
  (type $t3 (func (param i32 i32 i32) (result i32)))
  (func $add3 (type $t3) (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  (func $sub3 (type $t3) (i32.sub (i32.sub (local.get 0) (local.get 1)) (local.get 2)))
  (func $pair (param i64) (result i64 i32)
    (i64.mul (local.get 0) (i64.const 0x100000001)) (i32.wrap_i64 (local.get 0)))
  (func (export "alias") (param $a i32) (param $b i32) (result i32)
    ;; lazy reads of $a, then $a changes before they are used
    (local.get $a) (local.get $a)
    (local.set $a (i32.const 100))
    (i32.add)
    (local.get $b)
    (block (param i32) (result i32)
      (local.set $b (i32.const 1000))
      (i32.add (local.get $b)))
    (i32.add)
    (local.tee $a (i32.add (local.get $a) (local.get $a)))
    (i32.add))
  (func (export "blockalias") (param $x i32) (result i32)
    ;; a lazy read below a block whose one path writes the local
    (local.get $x)
    (block $out
      (br_if $out (i32.eqz (local.get $x)))
      (local.set $x (i32.const 55)))
    (i32.add (local.get $x)))
  (func (export "loopsum") (param $n i32) (result i64) (local $acc i64)
    (block $done (result i64)
      (loop $l (result i64)
        (local.get $acc)
        (br_if $done (i32.eqz (local.get $n)))
        (drop)
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l))))
  (func (export "table") (param $i i32) (param $v i32) (result i32)
    (block $b2 (result i32)
      (block $b1 (result i32)
        (block $b0 (result i32)
          (i32.mul (local.get $v) (i32.const 3))
          (br_table $b0 $b1 $b2 (local.get $i)))
        (return (i32.add (i32.const 10))))
      (return (i32.add (i32.const 20))))
    (i32.add (i32.const 30)))
  (func (export "ifparams") (param $c i32) (param $v i32) (result i32 i32)
    (local.get $v) (i32.const 5)
    (if (param i32 i32) (result i32 i32) (local.get $c)
      (then (i32.add) (i32.const 1))
      (else (i32.sub) (i32.const 2))))
  (func (export "multi") (param $x i64) (result i64)
    (call $pair (local.get $x))
    (i64.extend_i32_u)
    (i64.xor))
  (func (export "sel") (param $a i64) (param $b i64) (param $c i32) (result i64)
    (select (local.get $a) (i64.const -0x123456789) (local.get $c))
    (select (f64.reinterpret_i64 (local.get $b)) (f64.const 1e300) (local.get $c))
    (i64.trunc_sat_f64_s) (i64.add)
    (i64.add (local.get $b)))
  (func (export "indirect") (param $i i32) (result i32)
    (call_indirect (type $t3) (i32.const 10) (i32.const 3) (i32.const 2) (local.get $i)))
  (func (export "bulk") (param $n i32) (result i32)
    (memory.fill (i32.const 16) (i32.const 0xab) (local.get $n))
    (memory.copy (i32.const 1) (i32.const 16) (local.get $n))
    (i32.add (i32.load (i32.const 0)) (i32.load8_u (local.get $n))))
  (func (export "grow") (param $n i32) (result i32)
    (drop (memory.grow (local.get $n)))
    (i64.store offset=8 (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 16)) (global.get $g))
    (global.set $g (i64.add (global.get $g) (i64.const 1)))
    (i32.add (memory.size) (i32.wrap_i64 (global.get $g))))
  (func $deep (export "deep") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.div_u (i32.const 1) (local.get $n)))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get $n) (i32.const 1)))))))
  (func (export "floats") (param $x f64) (result f64) (local $f f32)
    (local.set $f (f32.demote_f64 (local.get $x)))
    (f64.add (f64.promote_f32 (f32.mul (local.get $f) (f32.const 1.5)))
      (f64.min (local.get $x) (f64.const -0.0)))))`

// baselineCalls are the calls compared, each with its arguments.
var baselineCalls = []struct {
	name string
	args []uint64
}{
	{"alias", []uint64{3, 4}}, {"alias", []uint64{0xffffffff, 1}},
	{"blockalias", []uint64{0}}, {"blockalias", []uint64{9}},
	{"loopsum", []uint64{0}}, {"loopsum", []uint64{1000}},
	{"table", []uint64{0, 5}}, {"table", []uint64{1, 5}}, {"table", []uint64{2, 5}}, {"table", []uint64{7, 5}},
	{"ifparams", []uint64{0, 9}}, {"ifparams", []uint64{1, 9}},
	{"multi", []uint64{0x1234567890}},
	{"sel", []uint64{1, 2, 0}}, {"sel", []uint64{1, 2, 1}},
	{"indirect", []uint64{0}}, {"indirect", []uint64{1}}, {"indirect", []uint64{2}}, {"indirect", []uint64{9}},
	{"bulk", []uint64{8}}, {"bulk", []uint64{40000}}, {"bulk", []uint64{70000}},
	{"grow", []uint64{1}}, {"grow", []uint64{100}},
	{"deep", []uint64{100}}, {"deep", []uint64{0}},
	{"floats", []uint64{0x400921fb54442d18}}, {"floats", []uint64{0x7ff8000000000001}},
}

// TestBaselineAgainstInterpreter runs baselineWAT on EngineBaseline and
// on the interpreter, with fuel enough and too little (bulk's slow path,
// and calls stopped midway), and requires the same results, errors
// (trap message and backtrace) and fuel, and that the baseline compiled
// every function.
func TestBaselineAgainstInterpreter(t *testing.T) {
	if err := EngineBaseline.Available(); err != nil {
		if runtime.GOARCH == "amd64" && runtime.GOOS == "linux" {
			t.Fatalf("EngineBaseline unavailable on linux/amd64: %v", err)
		}
		t.Skip(err)
	}
	for _, fuel := range []uint64{0, 1 << 30, 100, 3} {
		outcome := map[Engine][]string{}
		for _, e := range []Engine{EngineBaseline, EngineInterpreter} {
			rt := NewRuntime(RuntimeConfig{Engine: e, Features: wasm.Features2})
			cm := compile(t, rt, baselineWAT)
			if e == EngineBaseline && runtime.GOARCH == "amd64" {
				if s := cm.EngineStats(); s[EngineBaseline] != len(cm.module.Funcs) {
					t.Fatalf("the baseline compiled %v of %d functions", s, len(cm.module.Funcs))
				}
			}
			for _, c := range baselineCalls {
				cfg := ModuleConfig{}
				if fuel > 0 {
					cfg.FuelSource = NewFuelTank(fuel)
				}
				inst, err := rt.Instantiate(context.Background(), cm, cfg)
				if err != nil {
					t.Fatal(err)
				}
				res, err := inst.Func(c.name).Call(context.Background(), c.args...)
				left := uint64(0)
				if fuel > 0 {
					left = cfg.FuelSource.(*FuelTank).Remaining()
				}
				outcome[e] = append(outcome[e], fmt.Sprintf("%s%v: %v %v fuel left %d", c.name, c.args, res, err, left))
				inst.Close(context.Background())
			}
		}
		for i := range outcome[EngineInterpreter] {
			if b, in := outcome[EngineBaseline][i], outcome[EngineInterpreter][i]; b != in {
				t.Errorf("fuel %d:\n  baseline:    %s\n  interpreter: %s", fuel, b, in)
			}
		}
	}
}

// TestJITTiersUpFromBaseline: under EngineJIT (where the JIT has a
// baseline) every function starts as the baseline's code; the hot ones
// are compiled again in the background and promoted, after which their
// callers (machine code through the link table, call_indirect through
// the call index sharing it, Go through Promoted) run the optimised code
// with the interpreter's results, traps, backtraces and fuel.
func TestJITTiersUpFromBaseline(t *testing.T) {
	if err := EngineJIT.Available(); err != nil || runtime.GOARCH != "amd64" {
		t.Skip("the JIT has no baseline here")
	}
	jit := NewRuntime(RuntimeConfig{Engine: EngineJIT})
	interp := NewRuntime(RuntimeConfig{Engine: EngineInterpreter})
	cm, icm := compile(t, jit, tierWAT), compile(t, interp, tierWAT)
	for i, c := range cm.codes {
		if b, ok := c.(interface{ Baseline() bool }); !ok || !b.Baseline() {
			t.Fatalf("function %d: %T is not the baseline's code", i, c)
		}
	}
	// $sq and $spin get hot; wait for their promotion.
	deadline := time.Now().Add(2 * time.Minute)
	for !(promoted(cm, 0) && promoted(cm, 2)) {
		if time.Now().After(deadline) {
			t.Fatalf("not promoted after 2 minutes: $sq %v, $spin %v", promoted(cm, 0), promoted(cm, 2))
		}
		want := runTier(t, interp, icm, "run", 3000)
		if got := runTier(t, jit, cm, "run", 3000); got.err != nil || got.res[0] != want.res[0] || got.fuel != want.fuel {
			t.Fatalf("run(3000) while tiering: %v %v fuel %d, want %v fuel %d", got.res, got.err, got.fuel, want.res, want.fuel)
		}
		runTier(t, jit, cm, "spin", 300000)
	}
	for _, c := range []struct {
		name string
		args []uint64
	}{
		{"run", []uint64{0}}, {"run", []uint64{1000}}, {"spin", []uint64{100}}, {"spin", []uint64{1 << 20}},
		{"div", []uint64{7, 2}}, {"div", []uint64{7, 0}}, {"divs", []uint64{50}},
	} {
		want := runTier(t, interp, icm, c.name, c.args...)
		got := runTier(t, jit, cm, c.name, c.args...)
		if !equalU64(got.res, want.res) || got.fuel != want.fuel || (got.err == nil) != (want.err == nil) {
			t.Errorf("%s%v: %v %v fuel %d; interpreter: %v %v fuel %d", c.name, c.args, got.res, got.err, got.fuel, want.res, want.err, want.fuel)
		}
		var gt, wt *Trap
		if errors.As(want.err, &wt) && (!errors.As(got.err, &gt) || gt.Code != wt.Code || !sameFuncs(gt.Frames, wt.Frames)) {
			t.Errorf("%s%v: trap %v, interpreter's %v", c.name, c.args, got.err, want.err)
		}
	}
}

// TestJITTiersUpIndirect: a function called only through call_indirect
// is promoted too, and calls through the call index (which shares the
// link table's words) keep their results.
func TestJITTiersUpIndirect(t *testing.T) {
	if err := EngineJIT.Available(); err != nil || runtime.GOARCH != "amd64" {
		t.Skip("the JIT has no baseline here")
	}
	const src = `(module
	  (type $t (func (param i64) (result i64)))
	  (table 2 funcref) (elem (i32.const 1) $sq)
	  (func $sq (type $t) (i64.mul (local.get 0) (local.get 0)))
	  (func (export "run") (param $n i64) (result i64) (local $acc i64)
	    (loop $l
	      (local.set $acc (i64.add (local.get $acc) (call_indirect (type $t) (local.get $n) (i32.const 1))))
	      (local.tee $n (i64.sub (local.get $n) (i64.const 1)))
	      (br_if $l (i64.ne (i64.const 0))))
	    (local.get $acc)))`
	jit := NewRuntime(RuntimeConfig{Engine: EngineJIT})
	cm := compile(t, jit, src)
	inst, err := jit.Instantiate(context.Background(), cm, ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	run := inst.Func("run")
	waitPromoted(t, cm, 0, func() error {
		res, err := run.Call(context.Background(), 100000)
		if err == nil && res[0] != 333338333350000 {
			err = fmt.Errorf("run(100000) = %d", res[0])
		}
		return err
	})
	if res, err := run.Call(context.Background(), 1000); err != nil || res[0] != 333833500 {
		t.Fatalf("run(1000) = %v %v", res, err)
	}
}
