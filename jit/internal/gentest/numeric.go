//go:build linux && (amd64 || arm64)

package gentest

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/kilnrt/kiln/jit/ir"
)

// interesting are operand bit patterns that hit the edge cases.
var interesting = []uint64{0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0x7fff, 0x8000,
	0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 1 << 32, 0x7fffffffffffffff, 0x8000000000000000,
	0xffffffffffffffff, 0xfffffffffffffffe, 0xdeadbeefcafebabe,
	uint64(math.Float32bits(1.5)), uint64(math.Float32bits(-2.5)), uint64(math.Float32bits(float32(math.NaN()))),
	uint64(math.Float32bits(float32(math.Inf(-1)))), uint64(math.Float32bits(2147483648)), 0x4f000000, 0xcf000000,
	math.Float64bits(0.5), math.Float64bits(-0.5), math.Float64bits(math.Inf(1)), math.Float64bits(-1),
	math.Float64bits(4294967295.5), math.Float64bits(-2147483648.9), math.Float64bits(9.3e18), math.Float64bits(1.8e19),
	math.Float64bits(math.NaN()), 0x8000000000000000 | math.Float64bits(0), math.Float64bits(2.5), math.Float64bits(3.5)}

// floatEdges are float values (as float64) for the float operand cases.
var floatEdges = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, math.Inf(1), math.Inf(-1),
	math.NaN(), 2147483647, 2147483648, -2147483648, -2147483649, 4294967295, 4294967296,
	9223372036854775807, -9223372036854775808, 18446744073709551615, 1e-40, math.MaxFloat32}

// RandomBits is a random operand of type t, often an edge case.
func RandomBits(rng *rand.Rand, t ir.Type) uint64 {
	var x uint64
	if t.IsFloat() && rng.Intn(2) == 0 {
		f := floatEdges[rng.Intn(len(floatEdges))]
		if t == ir.F32 {
			return uint64(math.Float32bits(float32(f)))
		}
		return math.Float64bits(f)
	}
	if rng.Intn(2) == 0 {
		x = interesting[rng.Intn(len(interesting))]
	} else {
		x = rng.Uint64() >> uint(rng.Intn(64))
	}
	if t == ir.I32 || t == ir.F32 {
		x = uint64(uint32(x))
	}
	return x
}

// Outcome is a comparable summary of a run.
func Outcome(res []uint64, err error) string {
	var te *ir.TrapError
	if errors.As(err, &te) {
		return "trap " + te.Message
	}
	if err != nil {
		return "error " + err.Error()
	}
	return fmt.Sprint(res)
}

// NumericFuncs builds one function per numeric operation and operand
// type: every lowering, compared with ir.Run on edge-case and random
// operands.
func NumericFuncs() []*ir.Func {
	var fs []*ir.Func
	add := func(name string, params []ir.Type, result ir.Type, body func(b *ir.Block, ps []*ir.Value) *ir.Value) {
		f := ir.NewFunc(name, ir.Signature{Params: params, Results: []ir.Type{result}})
		b := f.Entry()
		b.Return(body(b, b.Params))
		fs = append(fs, f)
	}
	for _, t := range []ir.Type{ir.I32, ir.I64} {
		for op := ir.OpAdd; op <= ir.OpGeU; op++ {
			op, t := op, t
			switch {
			case op.IsBinary():
				add(fmt.Sprint(op, t), []ir.Type{t, t}, t, func(b *ir.Block, p []*ir.Value) *ir.Value { return b.Binary(op, p[0], p[1]) })
				// and with a constant second operand (immediate forms)
				for _, c := range []uint64{0, 1, 5, 31, 63, 0xffffffff, 0x8000000000000000} {
					c := c
					add(fmt.Sprint(op, t, "const", c), []ir.Type{t}, t, func(b *ir.Block, p []*ir.Value) *ir.Value {
						return b.Binary(op, p[0], b.Const(t, c))
					})
				}
			case op.IsUnary():
				add(fmt.Sprint(op, t), []ir.Type{t}, t, func(b *ir.Block, p []*ir.Value) *ir.Value { return b.Unary(op, p[0]) })
			case op == ir.OpEqz:
				add(fmt.Sprint(op, t), []ir.Type{t}, ir.I32, func(b *ir.Block, p []*ir.Value) *ir.Value { return b.Append(op, ir.I32, 0, p[0]) })
			case op.IsCompare():
				add(fmt.Sprint(op, t), []ir.Type{t, t}, ir.I32, func(b *ir.Block, p []*ir.Value) *ir.Value { return b.Compare(op, p[0], p[1]) })
			}
		}
	}
	conv := []struct {
		op       ir.Op
		from, to ir.Type
	}{
		{ir.OpWrap, ir.I64, ir.I32}, {ir.OpExtendS, ir.I32, ir.I64}, {ir.OpExtendU, ir.I32, ir.I64},
		{ir.OpExt8S, ir.I32, ir.I32}, {ir.OpExt16S, ir.I32, ir.I32}, {ir.OpExt8S, ir.I64, ir.I64},
		{ir.OpExt16S, ir.I64, ir.I64}, {ir.OpExt32S, ir.I64, ir.I64},
		{ir.OpDemote, ir.F64, ir.F32}, {ir.OpPromote, ir.F32, ir.F64},
		{ir.OpReinterpret, ir.I32, ir.F32}, {ir.OpReinterpret, ir.F32, ir.I32},
		{ir.OpReinterpret, ir.I64, ir.F64}, {ir.OpReinterpret, ir.F64, ir.I64},
	}
	for _, it := range []ir.Type{ir.I32, ir.I64} {
		for _, ft := range []ir.Type{ir.F32, ir.F64} {
			for _, op := range []ir.Op{ir.OpTruncS, ir.OpTruncU, ir.OpTruncSatS, ir.OpTruncSatU} {
				conv = append(conv, struct {
					op       ir.Op
					from, to ir.Type
				}{op, ft, it})
			}
			for _, op := range []ir.Op{ir.OpConvertS, ir.OpConvertU} {
				conv = append(conv, struct {
					op       ir.Op
					from, to ir.Type
				}{op, it, ft})
			}
		}
	}
	for _, c := range conv {
		c := c
		add(fmt.Sprint(c.op, c.from, c.to), []ir.Type{c.from}, c.to, func(b *ir.Block, p []*ir.Value) *ir.Value { return b.Append(c.op, c.to, 0, p[0]) })
	}
	for _, t := range []ir.Type{ir.F32, ir.F64} {
		for op := ir.OpFAdd; op <= ir.OpFGe; op++ {
			op, t := op, t
			switch {
			case op >= ir.OpFAdd && op <= ir.OpFCopysign:
				add(fmt.Sprint(op, t), []ir.Type{t, t}, t, func(b *ir.Block, p []*ir.Value) *ir.Value { return b.Append(op, t, 0, p[0], p[1]) })
			case op >= ir.OpFAbs && op <= ir.OpFNearest:
				add(fmt.Sprint(op, t), []ir.Type{t}, t, func(b *ir.Block, p []*ir.Value) *ir.Value { return b.Append(op, t, 0, p[0]) })
			default:
				add(fmt.Sprint(op, t), []ir.Type{t, t}, ir.I32, func(b *ir.Block, p []*ir.Value) *ir.Value { return b.Append(op, ir.I32, 0, p[0], p[1]) })
			}
		}
	}
	for _, t := range []ir.Type{ir.I32, ir.I64, ir.F32, ir.F64} {
		t := t
		add(fmt.Sprint("select", t), []ir.Type{t, t, ir.I32}, t, func(b *ir.Block, p []*ir.Value) *ir.Value { return b.Append(ir.OpSelect, t, 0, p...) })
	}
	return fs
}

// SameResult compares results of f, every NaN equal to every other (the
// IR and the hardware may pick different payloads). Results are slots
// (a v128's two are compared exactly).
func SameResult(f *ir.Func, a, b []uint64) bool {
	if len(a) != len(b) || len(a) != ir.SlotCount(f.Sig.Results) {
		return false
	}
	var ts []ir.Type
	for _, t := range f.Sig.Results {
		ts = append(ts, t)
		if t == ir.V128 {
			ts = append(ts, t)
		}
	}
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		switch ts[i] {
		case ir.F32:
			if math.IsNaN(float64(math.Float32frombits(uint32(a[i])))) && math.IsNaN(float64(math.Float32frombits(uint32(b[i])))) {
				continue
			}
		case ir.F64:
			if math.IsNaN(math.Float64frombits(a[i])) && math.IsNaN(math.Float64frombits(b[i])) {
				continue
			}
		}
		return false
	}
	return true
}

// NumericOps compiles every function of NumericFuncs with each back end
// (all must compile) and compares it, run natively on edge-case and
// random operands, with ir.Run.
func NumericOps(t *testing.T, backends []Backend) {
	fs := NumericFuncs()
	for _, target := range backends {
		e, n := Compile(t, target, fs, 0, nil)
		if n != len(fs) {
			for _, f := range fs {
				if err := target.Check(f); err != nil {
					t.Errorf("%s: %v", f.Name, err)
				}
			}
		}
		rng := rand.New(rand.NewSource(1))
		runs := 0
		for i, f := range fs {
			for try := 0; try < 300; try++ {
				args := make([]uint64, len(f.Sig.Params))
				for j, p := range f.Sig.Params {
					args[j] = RandomBits(rng, p)
				}
				budget := 100
				want, werr := ir.Run(f, e, args, &budget)
				got, gerr := e.Run(uint32(i), args, 1000)
				if (werr == nil) != (gerr == nil) || (werr != nil && Outcome(nil, werr) != Outcome(nil, gerr)) ||
					(werr == nil && !SameResult(f, want, got)) {
					t.Errorf("%v: %s%#x: native %s, IR %s", target, f.Name, args, Outcome(got, gerr), Outcome(want, werr))
					break
				}
				runs++
			}
		}
		t.Logf("%v: %d functions, %d runs compared", target, len(fs), runs)
	}
}
