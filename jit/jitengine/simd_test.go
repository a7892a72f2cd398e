//go:build linux && amd64 && kilnjit

// SIMD is compiled on amd64 only: on arm64 v128 functions run in the
// interpreter (jit/arm64gen's Check).

package jitengine_test

import (
	"context"
	"fmt"
	"math/bits"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// vectors passes v128 values (two slots each) every way a call can go:
// from Go into compiled code and back, from compiled code to a host
// function, to a function the JIT leaves to the interpreter ($slow
// reads an imported mutable global) and from it back into compiled
// code, with several results, through a v128 global and memory.
const vectors = `(module
  (import "env" "hswap" (func $hswap (param v128) (result v128 i32)))
  (import "env" "ig" (global $ig (mut i32)))
  (global $gv (mut v128) (v128.const i32x4 1 2 3 4))
  (memory 1)
  (func $fast (param v128 i32 v128) (result v128 i32 v128)
    (f32x4.mul (local.get 0) (local.get 2))
    (i32.add (local.get 1) (i32.const 1))
    (i64x2.mul (local.get 2) (local.get 0)))
  (func $slow (param v128 i32 v128) (result v128 i32 v128)
    (call $fast (i32x4.add (local.get 0) (i32x4.splat (global.get $ig)))
                (i32.add (local.get 1) (global.get $ig))
                (i8x16.swizzle (local.get 2) (local.get 0))))
  (func (export "mix") (param $a v128) (param $n i32) (param $b v128) (result v128 i32 v128)
    (local $x v128) (local $y v128) (local $k i32) (local $h i32)
    (call $slow (local.get $a) (local.get $n) (local.get $b))
    (local.set $y) (local.set $k) (local.set $x)
    (call $fast (local.get $x) (local.get $k) (local.get $y))
    (local.set $y) (local.set $k) (local.set $x)
    (call $hswap (local.get $y))
    (local.set $h) (local.set $y)
    (global.set $gv (v128.xor (global.get $gv) (local.get $y)))
    (v128.store offset=3 (local.get $n) (local.get $x))
    (i32x4.add (v128.load offset=3 (local.get $n)) (global.get $gv))
    (i32.add (i32.add (local.get $k) (local.get $h)) (i32x4.extract_lane 2 (local.get $y)))
    (global.get $gv)))`

func vectorsInstance(t *testing.T, eng kiln.Engine) (*kiln.Instance, *kiln.CompiledModule) {
	t.Helper()
	ctx := context.Background()
	bin, err := wast.ParseModule("vectors.wat", []byte(vectors))
	if err != nil {
		t.Fatal(err)
	}
	r := kiln.NewRuntime(kiln.RuntimeConfig{Engine: eng})
	hswap := wasm.FuncType{Params: []wasm.ValType{wasm.V128}, Results: []wasm.ValType{wasm.V128, wasm.I32}}
	if _, err := r.NewHostModule("env").
		RawFunc("hswap", hswap, func(ctx context.Context, c *kiln.Caller, s []uint64) {
			s[0], s[1], s[2] = s[1], s[0], uint64(bits.OnesCount64(s[0]))
		}).
		Global("ig", wasm.GlobalType{Type: wasm.I32, Mutable: true}, kiln.ValueI32(7)).Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	return compileInstance(t, r, bin)
}

func TestV128AcrossCalls(t *testing.T) {
	jit, cm := vectorsInstance(t, kiln.EngineJIT)
	interp, _ := vectorsInstance(t, kiln.EngineInterpreter)
	if stats := cm.EngineStats(); stats[kiln.EngineInterpreter] != 1 || stats[kiln.EngineJIT] != 2 {
		t.Errorf("engine stats %v: want $fast and mix compiled, $slow interpreted", stats)
	}
	ctx := context.Background()
	show := func(vs []kiln.Value, err error) string {
		if err != nil {
			return "error " + err.Error()
		}
		s := ""
		for _, v := range vs {
			s += fmt.Sprintf(" %v:%#x:%#x", v.Type, v.Lo, v.Hi)
		}
		return s
	}
	for i, n := range []uint32{0, 5, 65520, 65533} {
		args := []kiln.Value{
			kiln.ValueV128(0x3f8000004000_0000+uint64(i), 0xc0400000bf800000),
			kiln.ValueI32(int32(n)),
			kiln.ValueV128(0x0f0e0d0c0b0a0908^uint64(i), 0x0706050403020100),
		}
		// Twice: the v128 global carries over.
		for round := 0; round < 2; round++ {
			got := show(jit.Func("mix").CallValues(ctx, args))
			want := show(interp.Func("mix").CallValues(ctx, args))
			if got != want {
				t.Errorf("mix(%d) round %d: jit%s, interpreter%s", n, round, got, want)
			}
		}
	}
}
