//go:build linux && (amd64 || arm64) && kilnjit

package jitengine_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// bulk uses every bulk-memory, table and reference instruction of 2.0
// and calls with several results, all compiled except $slow (it reads
// an imported mutable global, which the JIT leaves to the interpreter).
const bulk = `(module
  (import "env" "gc" (func $gc (param externref) (result externref)))
  (import "env" "pair" (func $pair (param i32) (result i32 i64)))
  (import "env" "ig" (global $ig (mut i32)))
  (type $i2 (func (param i32) (result i32 i64)))
  (type $r (func (result i32)))
  (memory 1 2)
  (data $d "\01\02\03\04\05\06\07\08")
  (table $t 4 10 funcref)
  (table $t2 4 funcref)
  (table $e 4 externref)
  (table $tm 1 funcref)
  (elem $seg func $f1 $f2 $f3)
  (elem (table $tm) (i32.const 0) func $three)
  (global $gf (mut funcref) (ref.null func))
  (global $ge (mut externref) (ref.null extern))
  (func $f1 (result i32) (i32.const 1))
  (func $f2 (result i32) (i32.const 2))
  (func $f3 (result i32) (i32.const 3))
  (func $three (param i32) (result i32 i64)
    (local.get 0) (i64.extend_i32_u (i32.mul (local.get 0) (i32.const 3))))
  (func $slow (param i32) (result i32 i64)
    (i32.add (local.get 0) (global.get $ig)) (i64.const -1))

  ;; a checksum of bytes [at, at+n) weighted by position
  (func $sum (export "sum") (param $at i32) (param $n i32) (result i32) (local $s i32) (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.mul (i32.add (local.get $i) (i32.const 1))
        (i32.load8_u (i32.add (local.get $at) (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
  (func (export "ddrop") (data.drop $d))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))

  (func (export "tinit") (param i32 i32 i32) (table.init $t $seg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "edrop") (elem.drop $seg))
  (func (export "tcopy") (param i32 i32 i32) (table.copy $t2 $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "tself") (param i32 i32 i32) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "tsize") (result i32) (table.size $t))
  (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.func $f2) (local.get 0)))
  (func (export "tfill") (param i32 i32) (table.fill $t (local.get 0) (ref.func $f3) (local.get 1)))
  (func (export "tnull") (param i32) (table.set $t (local.get 0) (ref.null func)))
  (func (export "tisnull") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "tcall") (param i32) (result i32) (call_indirect $t (type $r) (local.get 0)))
  (func (export "tcall2") (param i32) (result i32) (call_indirect $t2 (type $r) (local.get 0)))
  (func (export "gset") (param i32) (global.set $gf (table.get $t (local.get 0))))
  (func (export "gcall") (result i32)
    (table.set $t2 (i32.const 3) (global.get $gf))
    (call_indirect $t2 (type $r) (i32.const 3)))
  (func (export "selfunc") (param i32) (result i32)
    (table.set $t2 (i32.const 2) (select (result funcref) (ref.func $f1) (ref.null func) (local.get 0)))
    (ref.is_null (table.get $t2 (i32.const 2))))

  (func (export "eset") (param i32 externref) (table.set $e (local.get 0) (local.get 1)))
  (func (export "eget") (param i32) (result externref) (table.get $e (local.get 0)))
  (func (export "esel") (param externref externref i32) (result externref)
    (select (result externref) (local.get 0) (local.get 1) (local.get 2)))
  (func (export "eglobal") (param externref) (result externref externref)
    (global.get $ge) (global.set $ge (local.get 0)) (global.get $ge))
  (func (export "efill") (param externref i32) (result i32)
    (table.fill $e (i32.const 1) (local.get 0) (local.get 1))
    (i32.add (ref.is_null (table.get $e (i32.const 1))) (ref.is_null (table.get $e (i32.const 3)))))
  (func (export "egrow") (param externref i32) (result i32) (table.grow $e (local.get 0) (local.get 1)))
  ;; the only reference to the externref is machine code's while $gc
  ;; collects garbage
  (func (export "keep") (param externref) (result externref) (local externref)
    (local.set 1 (local.get 0))
    (drop (call $gc (ref.null extern)))
    (local.get 1))

  (func (export "multi") (param i32) (result i32 i64 i32 i64 i32 i64 i32 i64)
    (call $three (local.get 0))
    (call_indirect $tm (type $i2) (i32.add (local.get 0) (i32.const 1)) (i32.const 0))
    (call $pair (local.get 0))
    (call $slow (local.get 0)))
  (func (export "swap") (param i32 i64) (result i64 i32)
    (local.get 0) (local.get 1)
    (block (param i32 i64) (result i64 i32)
      (local.set 1) (local.set 0) (local.get 1) (local.get 0))))`

var gcRuns atomic.Int32

func bulkInstance(t *testing.T, eng kiln.Engine, fuel kiln.FuelSource) (*kiln.Instance, *kiln.CompiledModule) {
	t.Helper()
	ctx := context.Background()
	bin, err := wast.ParseModule("bulk.wat", []byte(bulk))
	if err != nil {
		t.Fatal(err)
	}
	r := kiln.NewRuntime(kiln.RuntimeConfig{Engine: eng, FuelSource: fuel})
	ref := wasm.FuncType{Params: []wasm.ValType{wasm.ExternRef}, Results: []wasm.ValType{wasm.ExternRef}}
	pair := wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32, wasm.I64}}
	_, err = r.NewHostModule("env").
		RawRefFunc("gc", ref, func(ctx context.Context, c *kiln.Caller, stack []uint64, refs []any) {
			runtime.GC()
			runtime.GC()
			time.Sleep(5 * time.Millisecond) // let finalizers run
			gcRuns.Add(1)
		}).
		RawFunc("pair", pair, func(ctx context.Context, c *kiln.Caller, stack []uint64) {
			stack[0], stack[1] = uint64(uint32(stack[0]+100)), stack[0]<<40
		}).
		Global("ig", wasm.GlobalType{Type: wasm.I32, Mutable: true}, kiln.ValueI32(1000)).
		Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return compileInstance(t, r, bin)
}

type box struct{ n int }

var (
	boxA, boxB = &box{1}, &box{2}
	i32        = kiln.ValueI32
	ext        = kiln.ValueExtern
	nullExt    = kiln.ValueNullRef(wasm.ExternRef)
)

// bulkCalls run in order on both engines: memory and tables are state,
// so a wrong write shows in a later sum, tcall or eget.
var bulkCalls = []struct {
	name string
	args []kiln.Value
}{
	{"fill", []kiln.Value{i32(10), i32(0x1ab), i32(20)}}, {"sum", []kiln.Value{i32(0), i32(64)}},
	// overlapping copies, both directions
	{"init", []kiln.Value{i32(0), i32(0), i32(8)}}, {"copy", []kiln.Value{i32(3), i32(0), i32(8)}}, {"sum", []kiln.Value{i32(0), i32(64)}},
	{"copy", []kiln.Value{i32(1), i32(4), i32(8)}}, {"sum", []kiln.Value{i32(0), i32(64)}},
	// bounds at the edges: the last byte, one past (trap, nothing written)
	{"fill", []kiln.Value{i32(65535), i32(9), i32(1)}}, {"sum", []kiln.Value{i32(65520), i32(16)}},
	{"fill", []kiln.Value{i32(65530), i32(7), i32(7)}}, {"sum", []kiln.Value{i32(65520), i32(16)}},
	{"fill", []kiln.Value{i32(65536), i32(7), i32(0)}}, {"fill", []kiln.Value{i32(65537), i32(7), i32(0)}},
	{"copy", []kiln.Value{i32(65530), i32(0), i32(7)}}, {"copy", []kiln.Value{i32(0), i32(65530), i32(7)}},
	{"copy", []kiln.Value{i32(0), i32(-1), i32(2)}}, {"sum", []kiln.Value{i32(0), i32(16)}},
	{"init", []kiln.Value{i32(100), i32(6), i32(3)}}, {"init", []kiln.Value{i32(100), i32(8), i32(0)}},
	{"init", []kiln.Value{i32(65535), i32(0), i32(2)}}, {"sum", []kiln.Value{i32(65520), i32(16)}},
	{"ddrop", nil}, {"init", []kiln.Value{i32(0), i32(0), i32(0)}}, {"init", []kiln.Value{i32(0), i32(0), i32(1)}},
	{"grow", []kiln.Value{i32(1)}}, {"fill", []kiln.Value{i32(65535), i32(5), i32(2)}}, {"sum", []kiln.Value{i32(65530), i32(8)}},
	{"fill", []kiln.Value{i32(0), i32(3), i32(131072)}}, {"copy", []kiln.Value{i32(65536), i32(1), i32(65536)}},
	{"copy", []kiln.Value{i32(1), i32(0), i32(131071)}}, {"sum", []kiln.Value{i32(131000), i32(64)}},
	{"fill", []kiln.Value{i32(0), i32(1), i32(1 << 20)}}, {"sum", []kiln.Value{i32(100000), i32(64)}},

	{"tsize", nil}, {"tisnull", []kiln.Value{i32(0)}}, {"tcall", []kiln.Value{i32(0)}},
	{"tinit", []kiln.Value{i32(1), i32(0), i32(3)}}, {"tcall", []kiln.Value{i32(1)}}, {"tcall", []kiln.Value{i32(3)}},
	{"tinit", []kiln.Value{i32(2), i32(1), i32(3)}}, {"tinit", []kiln.Value{i32(4), i32(3), i32(0)}}, {"tinit", []kiln.Value{i32(5), i32(0), i32(0)}},
	{"tself", []kiln.Value{i32(0), i32(1), i32(3)}}, {"tcall", []kiln.Value{i32(0)}}, {"tcall", []kiln.Value{i32(2)}},
	{"tself", []kiln.Value{i32(1), i32(0), i32(3)}}, {"tcall", []kiln.Value{i32(3)}}, {"tself", []kiln.Value{i32(2), i32(0), i32(3)}},
	{"tcopy", []kiln.Value{i32(0), i32(1), i32(3)}}, {"tcall2", []kiln.Value{i32(0)}}, {"tcall2", []kiln.Value{i32(2)}}, {"tcall2", []kiln.Value{i32(3)}},
	{"edrop", nil}, {"tinit", []kiln.Value{i32(0), i32(0), i32(1)}}, {"tinit", []kiln.Value{i32(0), i32(0), i32(0)}},
	{"tgrow", []kiln.Value{i32(2)}}, {"tsize", nil}, {"tcall", []kiln.Value{i32(5)}}, {"tgrow", []kiln.Value{i32(5)}}, {"tgrow", []kiln.Value{i32(0)}},
	{"tfill", []kiln.Value{i32(4), i32(2)}}, {"tcall", []kiln.Value{i32(5)}}, {"tfill", []kiln.Value{i32(5), i32(2)}}, {"tfill", []kiln.Value{i32(6), i32(0)}},
	{"tnull", []kiln.Value{i32(4)}}, {"tisnull", []kiln.Value{i32(4)}}, {"tcall", []kiln.Value{i32(4)}}, {"tnull", []kiln.Value{i32(6)}},
	{"tisnull", []kiln.Value{i32(6)}}, {"tcall", []kiln.Value{i32(6)}},
	{"gcall", nil}, {"gset", []kiln.Value{i32(5)}}, {"gcall", nil}, {"selfunc", []kiln.Value{i32(1)}}, {"selfunc", []kiln.Value{i32(0)}},

	{"eget", []kiln.Value{i32(0)}}, {"eset", []kiln.Value{i32(0), ext(boxA)}}, {"eget", []kiln.Value{i32(0)}}, {"eget", []kiln.Value{i32(4)}},
	{"eset", []kiln.Value{i32(4), ext(boxA)}}, {"esel", []kiln.Value{ext(boxA), ext(boxB), i32(0)}}, {"esel", []kiln.Value{ext(boxA), nullExt, i32(1)}},
	{"esel", []kiln.Value{nullExt, ext(boxB), i32(1)}}, {"eglobal", []kiln.Value{ext(boxB)}}, {"eglobal", []kiln.Value{nullExt}},
	{"efill", []kiln.Value{ext(boxB), i32(2)}}, {"efill", []kiln.Value{ext(boxA), i32(3)}}, {"efill", []kiln.Value{nullExt, i32(4)}},
	{"egrow", []kiln.Value{ext(boxA), i32(2)}}, {"eget", []kiln.Value{i32(5)}}, {"keep", []kiln.Value{ext(boxB)}},

	{"multi", []kiln.Value{i32(7)}}, {"swap", []kiln.Value{i32(-3), kiln.ValueI64(1 << 40)}},
}

// show prints a result so that both engines' can be compared: funcrefs
// belong to different runtimes and only their nullness is shown.
func show(vs []kiln.Value, err error) string {
	var trap *kiln.Trap
	if errors.As(err, &trap) {
		return "trap " + trap.Code.String()
	}
	if err != nil {
		return "error " + err.Error()
	}
	s := ""
	for _, v := range vs {
		switch v.Type {
		case wasm.ExternRef:
			s += fmt.Sprintf(" extern(%v)", v.Ref)
		case wasm.FuncRef:
			s += fmt.Sprintf(" func(null=%v)", v.Ref == nil)
		default:
			s += fmt.Sprintf(" %v:%#x", v.Type, v.Lo)
		}
	}
	return s
}

// Bulk memory, tables, references and multi-result calls compiled by the
// JIT compute, trap and spend fuel as in the interpreter.
func TestBulkAgainstInterpreter(t *testing.T) {
	tanks := [2]*kiln.FuelTank{kiln.NewFuelTank(1 << 40), kiln.NewFuelTank(1 << 40)}
	jit, cm := bulkInstance(t, kiln.EngineJIT, tanks[0])
	interp, _ := bulkInstance(t, kiln.EngineInterpreter, tanks[1])
	if stats := cm.EngineStats(); stats[kiln.EngineInterpreter] != 1 {
		t.Errorf("engine stats %v: want every function but $slow compiled", stats)
	}
	ctx := context.Background()
	for _, c := range bulkCalls {
		got := show(jit.Func(c.name).CallValues(ctx, c.args))
		want := show(interp.Func(c.name).CallValues(ctx, c.args))
		if got != want {
			t.Errorf("%s%v: jit%s, interpreter%s", c.name, c.args, got, want)
		}
		if tanks[0].Consumed() != tanks[1].Consumed() {
			t.Errorf("after %s%v: jit consumed %d fuel, interpreter %d", c.name, c.args, tanks[0].Consumed(), tanks[1].Consumed())
		}
	}
	// The fill of a MiB traps before charging more than the memory's size.
	t.Logf("fuel %d", tanks[0].Consumed())
}

// An externref only machine code holds (as a handle) stays alive while a
// host function it calls collects garbage.
func TestExternrefSurvivesGC(t *testing.T) {
	inst, _ := bulkInstance(t, kiln.EngineJIT, nil)
	var finalized atomic.Bool
	arg := func() []kiln.Value {
		b := &box{42}
		runtime.SetFinalizer(b, func(*box) { finalized.Store(true) })
		return []kiln.Value{ext(b)}
	}
	before := gcRuns.Load()
	res, err := inst.Func("keep").CallValues(context.Background(), arg())
	if err != nil {
		t.Fatal(err)
	}
	if gcRuns.Load() == before {
		t.Fatal("the host function did not run")
	}
	if finalized.Load() {
		t.Error("the externref was collected while machine code held it")
	}
	if b, ok := res[0].Ref.(*box); !ok || b.n != 42 {
		t.Errorf("keep returned %v", res[0].Ref)
	}
}
