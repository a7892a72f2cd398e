package opt

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/jit/ir"
)

var interesting = map[ir.Type][]uint64{
	// 0, -0, 1, -1.5, NaN, -inf, largest, smallest subnormal, 2^31, 2^64
	ir.F32: {0, 0x8000_0000, 0x3F80_0000, 0xBFC0_0000, 0x7FC0_0000, 0xFF80_0000, 0x7F7F_FFFF, 1, 0x4F00_0000, 0x5F80_0000},
	ir.F64: {0, 1 << 63, 0x3FF0_0000_0000_0000, 0xBFF8_0000_0000_0000, 0x7FF8_0000_0000_0000, 0xFFF0_0000_0000_0000,
		0x7FEF_FFFF_FFFF_FFFF, 1, 0x41E0_0000_0000_0000, 0x43F0_0000_0000_0000},
	ir.I32: {0, 1, 2, 31, 32, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE, 12345},
	ir.I64: {0, 1, 2, 63, 64, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ^uint64(0), 0xFFFF_FFFF, 1 << 32},
}

type noEnv struct{}

func (noEnv) Call(uint32, []uint64) ([]uint64, error) { return nil, errors.New("no calls") }
func (noEnv) GlobalGet(uint32) (uint64, error)        { return 0, errors.New("no globals") }
func (noEnv) GlobalSet(uint32, uint64) error          { return errors.New("no globals") }

func run(f *ir.Func, args ...uint64) string {
	budget := 1000
	res, err := ir.Run(f, noEnv{}, args, &budget)
	if err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprint(res)
}

// For every binary operation, type and placement of a constant (left,
// right, both), the folded function must compute what the original does
// on every interesting input, traps included.
func TestFoldPreservesBinaryOps(t *testing.T) {
	var intOps []ir.Op
	for op := ir.OpAdd; op <= ir.OpGeU; op++ {
		if op.IsBinary() || op.IsCompare() {
			intOps = append(intOps, op)
		}
	}
	floatOps := []ir.Op{ir.OpFAdd, ir.OpFSub, ir.OpFMul, ir.OpFDiv, ir.OpFMin, ir.OpFMax, ir.OpFCopysign,
		ir.OpFEq, ir.OpFNe, ir.OpFLt, ir.OpFGt, ir.OpFLe, ir.OpFGe}
	checked := 0
	for _, typ := range []ir.Type{ir.I32, ir.I64, ir.F32, ir.F64} {
		ops := intOps
		if typ.IsFloat() {
			ops = floatOps
		}
		for _, op := range ops {
			for _, c := range interesting[typ] {
				for shape := 0; shape < 3; shape++ {
					build := func() *ir.Func {
						f := ir.NewFunc("t", ir.Signature{Params: []ir.Type{typ}, Results: []ir.Type{resultType(op, typ)}})
						b := f.Entry()
						x, y := b.Params[0], b.Const(typ, c)
						switch shape {
						case 1:
							x, y = y, x
						case 2:
							x = b.Const(typ, c^1)
						}
						b.Return(b.Append(op, resultType(op, typ), 0, x, y))
						return f
					}
					orig, folded := build(), build()
					Run(folded)
					if err := ir.Verify(folded); err != nil {
						t.Fatalf("%v %v shape %d c=%#x: %v\n%v", op, typ, shape, c, err, folded)
					}
					for _, in := range interesting[typ] {
						if a, b := run(orig, in), run(folded, in); a != b {
							t.Errorf("%v %v shape %d c=%#x input %#x: folded gives %s, original %s\n%v", op, typ, shape, c, in, b, a, folded)
						}
						checked++
					}
				}
			}
		}
	}
	t.Logf("%d folded evaluations compared", checked)
}

func resultType(op ir.Op, t ir.Type) ir.Type {
	if op.IsCompare() || op >= ir.OpFEq && op <= ir.OpFGe {
		return ir.I32
	}
	return t
}

// Unary operations and conversions on constants fold to what ir.Run
// computes on the original.
func TestFoldPreservesUnaryOps(t *testing.T) {
	type conv struct {
		op       ir.Op
		from, to ir.Type
	}
	var convs []conv
	for _, typ := range []ir.Type{ir.I32, ir.I64} {
		for _, op := range []ir.Op{ir.OpClz, ir.OpCtz, ir.OpPopcnt, ir.OpExt8S, ir.OpExt16S} {
			convs = append(convs, conv{op, typ, typ})
		}
		convs = append(convs, conv{ir.OpEqz, typ, ir.I32})
	}
	convs = append(convs, conv{ir.OpWrap, ir.I64, ir.I32}, conv{ir.OpExtendS, ir.I32, ir.I64},
		conv{ir.OpExtendU, ir.I32, ir.I64}, conv{ir.OpExt32S, ir.I64, ir.I64},
		conv{ir.OpDemote, ir.F64, ir.F32}, conv{ir.OpPromote, ir.F32, ir.F64},
		conv{ir.OpReinterpret, ir.F32, ir.I32}, conv{ir.OpReinterpret, ir.I64, ir.F64})
	for _, ft := range []ir.Type{ir.F32, ir.F64} {
		for _, op := range []ir.Op{ir.OpFAbs, ir.OpFNeg, ir.OpFSqrt, ir.OpFCeil, ir.OpFFloor, ir.OpFTrunc, ir.OpFNearest} {
			convs = append(convs, conv{op, ft, ft})
		}
		for _, it := range []ir.Type{ir.I32, ir.I64} {
			convs = append(convs, conv{ir.OpTruncSatS, ft, it}, conv{ir.OpTruncSatU, ft, it},
				conv{ir.OpConvertS, it, ft}, conv{ir.OpConvertU, it, ft})
		}
	}
	for _, cv := range convs {
		for _, c := range interesting[cv.from] {
			build := func() *ir.Func {
				f := ir.NewFunc("t", ir.Signature{Results: []ir.Type{cv.to}})
				b := f.Entry()
				b.Return(b.Append(cv.op, cv.to, 0, b.Const(cv.from, c)))
				return f
			}
			orig, folded := build(), build()
			Run(folded)
			if len(folded.Entry().Insts) != 1 || folded.Entry().Insts[0].Op != ir.OpConst {
				t.Errorf("%v %#x not folded:\n%v", cv.op, c, folded)
			}
			if a, b := run(orig), run(folded); a != b {
				t.Errorf("%v %v %#x: folded %s, original %s", cv.op, cv.from, c, b, a)
			}
		}
	}
}

// A branch on a constant becomes a jump; the untaken side disappears, the
// merge parameter becomes the constant, which then folds further, and the
// chain of jumps left collapses into one block.
func TestFoldBranches(t *testing.T) {
	f := ir.NewFunc("t", ir.Signature{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.I32}})
	entry := f.Entry()
	then, els, merge := f.NewBlock(), f.NewBlock(), f.NewBlock()
	entry.Branch(entry.Const(ir.I32, 1), ir.Edge{To: then}, ir.Edge{To: els})
	then.Jump(merge, then.Const(ir.I32, 10))
	els.Jump(merge, els.Binary(ir.OpDivU, entry.Params[0], els.Const(ir.I32, 0)))
	m := merge.AddParam(ir.I32)
	merge.Return(merge.Binary(ir.OpAdd, m, merge.Const(ir.I32, 5)))
	Run(f)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	want := `func t(i32) -> (i32)
b0(v0:i32):
  v7:i32 = const 15
  return v7
`
	if got := f.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Dead pure values go; effects (a division that may trap, a call, a
// global write) stay even when unused; a value circulating only around a
// loop is dead with its parameter.
func TestDeadCode(t *testing.T) {
	f := ir.NewFunc("t", ir.Signature{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.I32}})
	entry := f.Entry()
	x := entry.Params[0]
	entry.Binary(ir.OpMul, x, x) // dead
	entry.Binary(ir.OpDivS, x, x)
	entry.Call(3, &ir.Signature{Results: []ir.Type{ir.I32}})
	entry.Append(ir.OpGlobalSet, ir.None, 0, x)
	head, exit := f.NewBlock(), f.NewBlock()
	entry.Jump(head, x, x)
	i, junk := head.AddParam(ir.I32), head.AddParam(ir.I32)
	junk2 := head.Binary(ir.OpAdd, junk, junk)
	i2 := head.Binary(ir.OpSub, i, head.Const(ir.I32, 1))
	head.Branch(i2, ir.Edge{To: head, Args: []*ir.Value{i2, junk2}}, ir.Edge{To: exit})
	exit.Return(i2)
	DeadCode(f)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	text := f.String()
	for _, want := range []string{"div_s", "call 3", "global.set 0", "sub"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q removed:\n%s", want, text)
		}
	}
	if strings.Contains(text, "mul") || strings.Contains(text, "add") || len(head.Params) != 1 {
		t.Errorf("dead code kept:\n%s", text)
	}
}

// A loop-invariant local passed around a loop is replaced by its value.
func TestRedundantParams(t *testing.T) {
	f := ir.NewFunc("t", ir.Signature{Params: []ir.Type{ir.I32, ir.I32}, Results: []ir.Type{ir.I32}})
	entry := f.Entry()
	head := f.NewBlock()
	entry.Jump(head, entry.Params[0], entry.Params[1])
	i, n := head.AddParam(ir.I32), head.AddParam(ir.I32)
	i2 := head.Binary(ir.OpAdd, i, n)
	head.Branch(head.Compare(ir.OpLtU, i2, n), ir.Edge{To: head, Args: []*ir.Value{i2, n}}, ir.Edge{To: head, Args: []*ir.Value{i, n}})
	RemoveRedundantParams(f)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	if len(head.Params) != 1 || head.Insts[0].Args[1] != entry.Params[1] {
		t.Errorf("n not replaced:\n%v", f)
	}
}
