//go:build linux && (amd64 || arm64)

package gentest

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/kilnrt/kiln/internal/numeric"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// laneEdges are lane values (as raw bits of each lane width) that hit the
// edge cases of the SIMD lowerings: signed and unsigned limits, and for
// float lanes NaN, infinities, -0 and values at the conversion limits.
var laneEdges = map[int][]uint64{
	8:  {0, 1, 0x7f, 0x80, 0x81, 0xfe, 0xff},
	16: {0, 1, 0x7fff, 0x8000, 0x8001, 0xffff, 0x00ff, 0xff00},
	32: {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x7fc00000, 0xffc00001, 0x7f800000, 0xff800000,
		0x80000000, uint64(math.Float32bits(1.5)), uint64(math.Float32bits(2.5)),
		uint64(math.Float32bits(-2.5)), 0x4f000000, 0x4f800000, 0xcf000000, 0x4effffff, 0x7f7fffff, 1},
	64: {0, 1, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 0x7ff8000000000000, 0xfff0000000000001,
		math.Float64bits(math.Inf(1)), math.Float64bits(-0.5), math.Float64bits(2147483647.5), math.Float64bits(-2147483648.5),
		math.Float64bits(4294967295.5), math.Float64bits(4294967296), math.Float64bits(-1), 0x8000000000000000},
}

// RandomV128 fills a v128 with lanes of a random width, each an edge
// value or random bits.
func RandomV128(rng *rand.Rand) numeric.V128 {
	w := []int{8, 16, 32, 64}[rng.Intn(4)]
	var b [2]uint64
	for i := 0; i < 128/w; i++ {
		var x uint64
		if rng.Intn(3) > 0 {
			x = laneEdges[w][rng.Intn(len(laneEdges[w]))]
		} else {
			x = rng.Uint64()
		}
		if w < 64 {
			x &= 1<<w - 1
		}
		b[i*w/64] |= x << (i * w % 64)
	}
	return numeric.V128{Lo: b[0], Hi: b[1]}
}

// SIMDFuncs builds one function per SIMD opcode lowered reports (with
// every lane index for the lane operations, and constant and variable
// shift counts), its operands as parameters; a pressure variant keeps
// pressure more v128 values live across the operation (more than the
// back end's vector registers, so that operands and results live in
// slots too).
func SIMDFuncs(rng *rand.Rand, lowered func(wasm.Opcode) bool, pressure int) ([]*ir.Func, []wasm.Opcode) {
	var fs []*ir.Func
	var ops []wasm.Opcode
	for code := wasm.Opcode(0); code < 0x200; code++ {
		op := wasm.PrefixSIMD<<16 | code
		if !ir.SIMDSupported(op) || !lowered(op) {
			continue
		}
		args, result, err := ir.SIMDSignature(op)
		if err != nil {
			panic(err)
		}
		lanes := 1
		if info := op.Info(); info.Imm == wasm.ImmLane {
			lanes = 16 / laneBytes(info.Name)
		}
		for lane := 0; lane < lanes; lane++ {
			params := args
			if op == wasm.OpI8x16Shuffle {
				params = args[:2]
			}
			for _, variant := range []int{0, 1, 2} {
				constCount, pressed := variant == 1, variant == 2
				if pressed && result != ir.V128 {
					continue
				}
				if constCount && (len(args) != 2 || args[1] != ir.I32) {
					continue
				}
				ps := params
				if constCount {
					ps = params[:1]
				}
				results := []ir.Type{result}
				if pressed {
					results = append(results, ir.V128)
				}
				f := ir.NewFunc(fmt.Sprintf("%v/%d/%d", op, lane, variant), ir.Signature{Params: ps, Results: results})
				b := f.Entry()
				vals := append([]*ir.Value(nil), b.Params...)
				var live []*ir.Value
				for i := 0; pressed && i < pressure; i++ {
					x := b.Append(ir.OpV128Make, ir.V128, 0, b.Const(ir.I64, uint64(i)*0x9e3779b97f4a7c15), b.Const(ir.I64, uint64(i)))
					if vals[0].Type == ir.V128 {
						x = b.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpI32x4Add, 0), x, vals[0])
					}
					live = append(live, x)
				}
				if constCount {
					vals = append(vals, b.Const(ir.I32, uint64(rng.Intn(70))))
				}
				if op == wasm.OpI8x16Shuffle {
					var idx [2]uint64
					for i := 0; i < 16; i++ {
						idx[i/8] |= uint64(rng.Intn(32)) << (8 * (i % 8))
					}
					vals = append(vals, b.Append(ir.OpV128Make, ir.V128, 0, b.Const(ir.I64, idx[0]), b.Const(ir.I64, idx[1])))
				}
				r := b.Append(ir.OpSIMD, result, ir.SIMDAux(op, uint8(lane)), vals...)
				if !pressed {
					b.Return(r)
					fs, ops = append(fs, f), append(ops, op)
					continue
				}
				acc := live[0]
				for _, x := range live[1:] {
					acc = b.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpV128Xor, 0), acc, x)
				}
				b.Return(r, acc)
				fs, ops = append(fs, f), append(ops, op)
			}
		}
	}
	return fs, ops
}

// laneBytes is the lane width in bytes of a lane instruction's shape.
func laneBytes(name string) int {
	switch name[:5] {
	case "i8x16":
		return 1
	case "i16x8":
		return 2
	case "i32x4", "f32x4":
		return 4
	}
	return 8
}

// SameSIMD compares results, NaN lanes of float-producing operations as
// equal whatever their payloads (both engines produce a valid NaN).
func SameSIMD(op wasm.Opcode, want, got []uint64) bool {
	if len(want) != len(got) {
		return false
	}
	if len(want) > 2 { // a second result checks the values kept live across
		if want[2] != got[2] || want[3] != got[3] {
			return false
		}
		want, got = want[:2], got[:2]
	}
	if want[0] == got[0] && (len(want) == 1 || want[1] == got[1]) {
		return true
	}
	name := op.Info().Name
	if len(want) == 1 || name[0] != 'f' {
		return false
	}
	w := 32
	if name[:5] == "f64x2" {
		w = 64
	}
	for h := 0; h < 2; h++ {
		for s := 0; s < 64; s += w {
			a, b := want[h]>>s, got[h]>>s
			if w == 32 {
				a, b = a&0xffffffff, b&0xffffffff
				if a != b && !(math.IsNaN(float64(math.Float32frombits(uint32(a)))) && math.IsNaN(float64(math.Float32frombits(uint32(b))))) {
					return false
				}
			} else if a != b && !(math.IsNaN(math.Float64frombits(a)) && math.IsNaN(math.Float64frombits(b))) {
				return false
			}
		}
	}
	return true
}

// SIMDOps runs every SIMD lowering of SIMDFuncs on edge-case and
// random operands, for each back end, against ir.Run (the interpreter's
// semantics, internal/numeric).
func SIMDOps(t *testing.T, backends []Backend, lowered func(wasm.Opcode) bool, pressure int) {
	rng := rand.New(rand.NewSource(2))
	fs, ops := SIMDFuncs(rng, lowered, pressure)
	if len(fs) < 400 {
		t.Fatalf("only %d SIMD functions built", len(fs))
	}
	for _, target := range backends {
		e, n := Compile(t, target, fs, 0, nil)
		if n != len(fs) {
			for _, f := range fs {
				if err := target.Check(f); err != nil {
					t.Errorf("%s: %v", f.Name, err)
				}
			}
		}
		runs := 0
		for i, f := range fs {
			op := ops[i]
			for try := 0; try < 200; try++ {
				var args []uint64
				for _, p := range f.Sig.Params {
					if p == ir.V128 {
						x := RandomV128(rng)
						args = append(args, x.Lo, x.Hi)
					} else {
						args = append(args, RandomBits(rng, p))
					}
				}
				budget := 100
				want, werr := ir.Run(f, e, args, &budget)
				got, gerr := e.Run(uint32(i), args, 1000)
				if werr != nil || gerr != nil || !SameSIMD(op, want, got) {
					t.Errorf("%v: %s%#x: native %s, IR %s", target, f.Name, args, Outcome(got, gerr), Outcome(want, werr))
					break
				}
				runs++
			}
		}
		t.Logf("%v: %d functions, %d runs compared", target, len(fs), runs)
	}
}

// ShuffleForms checks i8x16.shuffle's special forms against ir.Run:
// whole 32-bit lanes of one operand, bytes of one operand, both
// operands the same value, and the general case, with the operands in
// registers and, with pressure v128 values live across, in slots.
func ShuffleForms(t *testing.T, backends []Backend, pressure int) {
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
			for _, pressed := range []bool{false, true} {
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
				if pressed {
					results = append(results, ir.V128)
				}
				f := ir.NewFunc(fmt.Sprintf("%s/%d/%v", form.name, k, pressed), ir.Signature{Params: params, Results: results})
				b := f.Entry()
				x, y := b.Params[0], b.Params[len(params)-1]
				var live []*ir.Value
				for i := 0; pressed && i < pressure; i++ {
					c := b.Append(ir.OpV128Make, ir.V128, 0, b.Const(ir.I64, uint64(i)*0x9e3779b97f4a7c15), b.Const(ir.I64, uint64(i)))
					live = append(live, b.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpI32x4Add, 0), c, x))
				}
				mask := b.Append(ir.OpV128Make, ir.V128, 0, b.Const(ir.I64, idx[0]), b.Const(ir.I64, idx[1]))
				r := b.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpI8x16Shuffle, 0), x, y, mask)
				if pressed {
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
	for _, target := range backends {
		e, n := Compile(t, target, fs, 0, nil)
		if n != len(fs) {
			t.Fatalf("%d of %d shuffles compiled", n, len(fs))
		}
		for i, f := range fs {
			for try := 0; try < 20; try++ {
				var args []uint64
				for range f.Sig.Params {
					x := RandomV128(rng)
					args = append(args, x.Lo, x.Hi)
				}
				budget := 100
				want, werr := ir.Run(f, e, args, &budget)
				got, gerr := e.Run(uint32(i), args, 1000)
				if werr != nil || gerr != nil || !SameSIMD(wasm.OpI8x16Shuffle, want, got) {
					t.Fatalf("%v: %s%#x: native %s, IR %s", target, f.Name, args, Outcome(got, gerr), Outcome(want, werr))
				}
			}
		}
	}
}
