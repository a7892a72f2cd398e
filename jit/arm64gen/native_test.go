//go:build linux && arm64

package arm64gen

import (
	"testing"

	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/internal/gentest"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// These run the machine code: on arm64 hosts, and under qemu-aarch64 in
// CI (.ci/run).

// arm64Backend is this package for jit/internal/gentest's harness.
type arm64Backend arm64.Features

func (b arm64Backend) Check(f *ir.Func) error { return Check(f) }

func (b arm64Backend) Compile(funcs []*ir.Func) (*gentest.Compiled, error) {
	m, err := Compile(funcs, arm64.Features(b))
	if err != nil {
		return nil, err
	}
	return &gentest.Compiled{Code: m.Code, Entries: m.Entries, Resume: m.Resume}, nil
}

func (b arm64Backend) String() string { return arm64.Features(b).String() }

// backends are the baseline and the host (which may have LSE and more,
// unused by the lowering so far but part of the target).
func backends() []gentest.Backend {
	return []gentest.Backend{arm64Backend(Required), arm64Backend(arm64.Detect())}
}

func TestNumericOpsAgainstIR(t *testing.T) { gentest.NumericOps(t, backends()) }

func TestSpecNative(t *testing.T) { gentest.SpecNative(t, arm64Backend(arm64.Detect())) }

func TestRandomModulesNative(t *testing.T) {
	n := 150
	if testing.Short() {
		n = 40
	}
	gentest.RandomModules(t, backends(), n)
}

// A frame beyond the immediate offsets of SP-relative loads and stores
// (5000 values live at once, across a call: their slots span 40 KB):
// slots go through rFar, the prologue's and return's SP adjustments
// through a register; the result equals ir.Run's.
func TestLargeFrame(t *testing.T) {
	sig := &ir.Signature{Params: []ir.Type{ir.I64}, Results: []ir.Type{ir.I64}}
	callee := ir.NewFunc("callee", *sig)
	cb := callee.Entry()
	cb.Return(cb.Binary(ir.OpMul, cb.Params[0], cb.Const(ir.I64, 3)))
	f := ir.NewFunc("big", *sig)
	b := f.Entry()
	x := b.Params[0]
	var vs []*ir.Value
	for i := 0; i < 5000; i++ {
		vs = append(vs, b.Binary(ir.OpAdd, x, b.Const(ir.I64, uint64(i*i+1))))
	}
	acc := b.Call(0, sig, x)
	for _, v := range vs {
		acc = b.Binary(ir.OpXor, b.Binary(ir.OpMul, acc, b.Const(ir.I64, 31)), v)
	}
	b.Return(acc)
	for _, fn := range []*ir.Func{callee, f} {
		if err := ir.Verify(fn); err != nil {
			t.Fatal(err)
		}
	}
	e, n := gentest.Compile(t, arm64Backend(Required), []*ir.Func{callee, f}, 0, nil)
	if n != 2 {
		t.Fatalf("%d functions compiled, want 2", n)
	}
	for _, arg := range []uint64{0, 1, 0xdeadbeefcafe} {
		budget := 100
		e.Budget = 100 // ir.Run's calls through the harness
		want, err := ir.Run(f, e, []uint64{arg}, &budget)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Run(1, []uint64{arg}, 100)
		if err != nil || got[0] != want[0] {
			t.Errorf("big(%#x) = %v, %v; want %v", arg, got, err, want)
		}
	}
}

// Every SIMD lowering against ir.Run, with 40 v128 values kept live
// across it in a variant (more than the 29 vector registers a function
// with a v128 has), so operands and results also live in slots. For the
// baseline only: no SIMD lowering depends on an optional feature.
func TestSIMDOpsAgainstIR(t *testing.T) {
	gentest.SIMDOps(t, []gentest.Backend{arm64Backend(Required)}, simdLowered, 40)
}

// i8x16.shuffle's forms: one operand's bytes (TBL of one register), both
// operands one value, and the general case (V30:V31), in registers and
// in slots.
func TestShuffleForms(t *testing.T) {
	gentest.ShuffleForms(t, []gentest.Backend{arm64Backend(Required)}, 40)
}

// A loop whose back edge swaps the registers of an f32 and a v128: each
// new value takes the register the other parameter freed, so the edge's
// parallel moves form a cycle, broken by saving the register the f32
// moves into while the v128 is read from it (TestDifferentialJIT found
// its upper half lost when vector moves were FMOV D).
func TestMixedVectorCycle(t *testing.T) {
	sig := ir.Signature{Params: []ir.Type{ir.F32, ir.V128, ir.I32}, Results: []ir.Type{ir.F32, ir.V128}}
	f := ir.NewFunc("cycle", sig)
	entry := f.Entry()
	h, x := f.NewBlock(), f.NewBlock()
	a, b, i := h.AddParam(ir.F32), h.AddParam(ir.V128), h.AddParam(ir.I32)
	entry.Jump(h, entry.Params[0], entry.Params[1], entry.Const(ir.I32, 0))
	lane := h.Append(ir.OpSIMD, ir.F32, ir.SIMDAux(wasm.OpF32x4ExtractLane, 3), b) // b's last use
	splat := h.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpF32x4Splat, 0), a)     // a's last use
	a2 := h.Binary(ir.OpFAdd, lane, lane)
	b2 := h.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpI32x4Add, 0), splat, b)
	i2 := h.Binary(ir.OpAdd, i, h.Const(ir.I32, 1))
	h.Branch(h.Compare(ir.OpLtU, i2, entry.Params[2]), ir.Edge{To: h, Args: []*ir.Value{a2, b2, i2}}, ir.Edge{To: x})
	x.Return(a2, b2)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	e, n := gentest.Compile(t, arm64Backend(Required), []*ir.Func{f}, 0, nil)
	if n != 1 {
		t.Fatalf("%d functions compiled, want 1", n)
	}
	for _, iters := range []uint64{1, 2, 3, 7} {
		args := []uint64{0x3f800000, 0x4000000040400000, 0x40a0000040800000, iters}
		budget := 100
		e.Budget = 100
		want, err := ir.Run(f, e, args, &budget)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Run(0, args, 100)
		if err != nil || !gentest.SameResult(f, got, want) {
			t.Errorf("%d iterations: %#x, %v; want %#x", iters, got, err, want)
		}
	}
}
