//go:build linux && amd64

package codegen

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/kilnrt/kiln/jit/internal/gentest"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// TestSIMDOpsAgainstIR runs every SIMD lowering on edge-case and random
// operands, for the x86-64-v2 floor and the host, against ir.Run (the
// interpreter's semantics, internal/numeric); 16 v128 values kept live
// across it in a variant put operands and results in slots too.
func TestSIMDOpsAgainstIR(t *testing.T) { gentest.SIMDOps(t, backends(t), simdLowered, 16) }

// TestShuffleForms checks i8x16.shuffle's special forms against ir.Run:
// whole 32-bit lanes of one operand (PSHUFD), bytes of one operand
// (one PSHUFB), both operands the same value, and the general case,
// with the operands in registers and, under pressure, in slots.
func TestShuffleForms(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	dwords := func(base byte) func(i int, j byte) byte {
		return func(i int, j byte) byte { return base + 4*j + byte(i%4) }
	}
	forms := []struct {
		name string
		same bool                     // shuffle x, x
		idx  func(i int, j byte) byte // byte i's index; j a random dword 0-3
	}{
		{"both", false, func(i int, _ byte) byte { return byte(rng.Intn(32)) }},
		{"first", false, func(i int, _ byte) byte { return byte(rng.Intn(16)) }},
		{"second", false, func(i int, _ byte) byte { return byte(16 + rng.Intn(16)) }},
		{"dwords-first", false, dwords(0)},
		{"dwords-second", false, dwords(16)},
		{"same", true, func(i int, _ byte) byte { return byte(rng.Intn(32)) }},
		{"dwords-same", true, func(i int, j byte) byte { return byte(16*rng.Intn(2)) + 4*j + byte(i%4) }},
	}
	var fs []*ir.Func
	for _, form := range forms {
		for k := 0; k < 8; k++ {
			for _, pressure := range []bool{false, true} {
				var idx [2]uint64
				var j byte
				for i := 0; i < 16; i++ {
					if i%4 == 0 {
						j = byte(rng.Intn(4))
					}
					idx[i/8] |= uint64(form.idx(i, j)&31) << (8 * (i % 8))
				}
				params := []ir.Type{ir.V128, ir.V128}
				if form.same {
					params = params[:1]
				}
				results := []ir.Type{ir.V128}
				if pressure {
					results = append(results, ir.V128)
				}
				f := ir.NewFunc(fmt.Sprintf("%s/%d/%v", form.name, k, pressure), ir.Signature{Params: params, Results: results})
				b := f.Entry()
				x, y := b.Params[0], b.Params[len(params)-1]
				var live []*ir.Value
				for i := 0; pressure && i < 16; i++ {
					c := b.Append(ir.OpV128Make, ir.V128, 0, b.Const(ir.I64, uint64(i)*0x9e3779b97f4a7c15), b.Const(ir.I64, uint64(i)))
					live = append(live, b.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpI32x4Add, 0), c, x))
				}
				mask := b.Append(ir.OpV128Make, ir.V128, 0, b.Const(ir.I64, idx[0]), b.Const(ir.I64, idx[1]))
				r := b.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpI8x16Shuffle, 0), x, y, mask)
				if pressure {
					acc := live[0]
					for _, l := range live[1:] {
						acc = b.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpV128Xor, 0), acc, l)
					}
					b.Return(r, acc)
				} else {
					b.Return(r)
				}
				fs = append(fs, f)
			}
		}
	}
	for _, target := range targets(t) {
		e, n := compileNative(t, fs, 0, nil, target)
		if n != len(fs) {
			t.Fatalf("%d of %d shuffles compiled", n, len(fs))
		}
		for i, f := range fs {
			for try := 0; try < 20; try++ {
				var args []uint64
				for range f.Sig.Params {
					x := gentest.RandomV128(rng)
					args = append(args, x.Lo, x.Hi)
				}
				budget := 100
				want, werr := ir.Run(f, e, args, &budget)
				got, gerr := e.Run(uint32(i), args, 1000)
				if werr != nil || gerr != nil || !gentest.SameSIMD(wasm.OpI8x16Shuffle, want, got) {
					t.Fatalf("%v: %s%#x: native %s, IR %s", target, f.Name, args, gentest.Outcome(got, gerr), gentest.Outcome(want, werr))
				}
			}
		}
	}
}
