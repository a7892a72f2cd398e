package validator

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// recorder is a FuncVisitor that renders what it sees, one line per
// instruction.
type recorder struct {
	lines     []string
	began     *Func
	maxHeight int
	ended     bool
}

func (r *recorder) Begin(f *Func) error { r.began = f; return nil }

func (r *recorder) End(f *Func) error { r.maxHeight, r.ended = f.MaxHeight, true; return nil }

func (r *recorder) Instr(in *wasm.Instr, s *State) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s h=%d d=%d", in.Op, s.Height, s.Depth)
	if s.Unreachable {
		b.WriteString(" dead")
	}
	fmt.Fprintf(&b, " in=%s out=%s", typeList(s.In), typeList(s.Out))
	if s.BlockType != nil {
		fmt.Fprintf(&b, " bt=%s", s.BlockType)
	}
	if s.Callee != nil {
		fmt.Fprintf(&b, " callee=%s", s.Callee)
	}
	label := func(d uint32) {
		l := s.Label(d)
		fmt.Fprintf(&b, " L%d=%d/%d%s", d, l.Kind, l.Height, typeList(l.Types))
	}
	switch in.Op {
	case wasm.OpBr, wasm.OpBrIf:
		label(in.Index)
	case wasm.OpBrTable:
		for _, l := range in.Labels {
			label(l)
		}
		label(in.Index)
	case wasm.OpElse, wasm.OpEnd:
		label(0)
	}
	r.lines = append(r.lines, b.String())
	return nil
}

func TestVisitorSeesStacks(t *testing.T) {
	cases := []struct {
		name            string
		params, results []wasm.ValType
		locals          []wasm.ValType
		body            []byte
		want            []string
		maxHeight       int
	}{
		{
			name:   "block and br_if",
			params: vt(i32), results: vt(i32),
			body: code(
				op(wasm.OpLocalGet, 0),
				blk(wasm.OpBlock, btI32),
				i32c(1), op(wasm.OpLocalGet, 0), op(wasm.OpBrIf, 0),
				op(wasm.OpDrop), i32c(2),
				op(wasm.OpEnd),
				op(wasm.OpI32Add),
			),
			want: []string{
				"local.get h=0 d=1 in=[] out=[i32]",
				"block h=1 d=1 in=[] out=[] bt=(func (result i32))",
				"i32.const h=1 d=2 in=[] out=[i32]",
				"local.get h=2 d=2 in=[] out=[i32]",
				"br_if h=3 d=2 in=[i32 i32] out=[i32] L0=1/1[i32]",
				"drop h=2 d=2 in=[i32] out=[]",
				"i32.const h=1 d=2 in=[] out=[i32]",
				"end h=2 d=2 in=[i32] out=[i32] bt=(func (result i32)) L0=1/1[i32]",
				"i32.add h=2 d=1 in=[i32 i32] out=[i32]",
				"end h=1 d=1 in=[i32] out=[i32] bt=(func (param i32) (result i32)) L0=0/0[i32]",
			},
			maxHeight: 3,
		},
		{
			name:    "loop, if/else, calls and dead code",
			results: vt(i64),
			locals:  vt(i64),
			body: code(
				i32c(7),
				blkIdx(wasm.OpLoop, 2), // [i32] -> [i32]
				op(wasm.OpCall, 0),
				i32c(0),
				op(wasm.OpCallIndirect, 2, 0),
				op(wasm.OpBr, 0),
				op(wasm.OpI32Add),
				op(wasm.OpEnd),
				blk(wasm.OpIf, btI64),
				i64c(1),
				op(wasm.OpElse),
				op(wasm.OpUnreachable),
				op(wasm.OpSelect),
				op(wasm.OpEnd),
				op(wasm.OpLocalTee, 0),
			),
			want: []string{
				"i32.const h=0 d=1 in=[] out=[i32]",
				"loop h=1 d=1 in=[i32] out=[i32] bt=(func (param i32) (result i32))",
				"call h=1 d=2 in=[i32] out=[i32] callee=(func (param i32) (result i32))",
				"i32.const h=1 d=2 in=[] out=[i32]",
				"call_indirect h=2 d=2 in=[i32 i32] out=[i32] callee=(func (param i32) (result i32))",
				"br h=1 d=2 in=[i32] out=[] L0=2/0[i32]",
				"i32.add h=0 d=2 dead in=[_ _] out=[i32]",
				"end h=1 d=2 dead in=[i32] out=[i32] bt=(func (param i32) (result i32)) L0=2/0[i32]",
				"if h=1 d=1 in=[i32] out=[] bt=(func (result i64))",
				"i64.const h=0 d=2 in=[] out=[i64]",
				"else h=1 d=2 in=[i64] out=[] bt=(func (result i64)) L0=3/0[i64]",
				"unreachable h=0 d=2 in=[] out=[]",
				"select h=0 d=2 dead in=[_ _ _] out=[_]",
				"end h=1 d=2 dead in=[_] out=[i64] bt=(func (result i64)) L0=4/0[i64]",
				"local.tee h=1 d=1 in=[i64] out=[i64]",
				"end h=1 d=1 in=[i64] out=[i64] bt=(func (result i64)) L0=0/0[i64]",
			},
			maxHeight: 2,
		},
		{
			name:   "variables, references, tables and memory",
			locals: vt(fref),
			body: code(
				op(wasm.OpGlobalGet, 1), op(wasm.OpGlobalSet, 1),
				op(wasm.OpRefFunc, 0), op(wasm.OpLocalSet, 0),
				i32c(0), op(wasm.OpTableGet, 1), op(wasm.OpRefIsNull), op(wasm.OpDrop),
				op(wasm.OpRefNull), raw(0x6F), i32c(1), op(wasm.OpTableGrow, 1), op(wasm.OpDrop),
				i32c(0), op(wasm.OpLocalGet, 0), i32c(1), op(wasm.OpTableFill, 0),
				i32c(0), i32c(0), i32c(0), op(wasm.OpTableCopy, 0, 0),
				i32c(0), i32c(0), i32c(0), op(wasm.OpTableInit, 0, 0),
				op(wasm.OpElemDrop, 0),
				i32c(0), i32c(0), i32c(0), op(wasm.OpMemoryInit, 0), raw(0),
				op(wasm.OpDataDrop, 0),
				op(wasm.OpMemorySize), raw(0), op(wasm.OpMemoryGrow), raw(0),
				v128c(), op(wasm.OpI32x4ExtractLane), raw(3),
				op(wasm.OpRefNull), raw(0x70), op(wasm.OpLocalGet, 0), op(wasm.OpLocalGet, 0), op(wasm.OpRefIsNull),
				op(wasm.OpSelectT, 1), raw(0x70),
				op(wasm.OpDrop), op(wasm.OpDrop), op(wasm.OpDrop),
			),
			want: []string{
				"global.get h=0 d=1 in=[] out=[i64]",
				"global.set h=1 d=1 in=[i64] out=[]",
				"ref.func h=0 d=1 in=[] out=[funcref]",
				"local.set h=1 d=1 in=[funcref] out=[]",
				"i32.const h=0 d=1 in=[] out=[i32]",
				"table.get h=1 d=1 in=[i32] out=[externref]",
				"ref.is_null h=1 d=1 in=[externref] out=[i32]",
				"drop h=1 d=1 in=[i32] out=[]",
				"ref.null h=0 d=1 in=[] out=[externref]",
				"i32.const h=1 d=1 in=[] out=[i32]",
				"table.grow h=2 d=1 in=[externref i32] out=[i32]",
				"drop h=1 d=1 in=[i32] out=[]",
				"i32.const h=0 d=1 in=[] out=[i32]",
				"local.get h=1 d=1 in=[] out=[funcref]",
				"i32.const h=2 d=1 in=[] out=[i32]",
				"table.fill h=3 d=1 in=[i32 funcref i32] out=[]",
				"i32.const h=0 d=1 in=[] out=[i32]",
				"i32.const h=1 d=1 in=[] out=[i32]",
				"i32.const h=2 d=1 in=[] out=[i32]",
				"table.copy h=3 d=1 in=[i32 i32 i32] out=[]",
				"i32.const h=0 d=1 in=[] out=[i32]",
				"i32.const h=1 d=1 in=[] out=[i32]",
				"i32.const h=2 d=1 in=[] out=[i32]",
				"table.init h=3 d=1 in=[i32 i32 i32] out=[]",
				"elem.drop h=0 d=1 in=[] out=[]",
				"i32.const h=0 d=1 in=[] out=[i32]",
				"i32.const h=1 d=1 in=[] out=[i32]",
				"i32.const h=2 d=1 in=[] out=[i32]",
				"memory.init h=3 d=1 in=[i32 i32 i32] out=[]",
				"data.drop h=0 d=1 in=[] out=[]",
				"memory.size h=0 d=1 in=[] out=[i32]",
				"memory.grow h=1 d=1 in=[i32] out=[i32]",
				"v128.const h=1 d=1 in=[] out=[v128]",
				"i32x4.extract_lane h=2 d=1 in=[v128] out=[i32]",
				"ref.null h=2 d=1 in=[] out=[funcref]",
				"local.get h=3 d=1 in=[] out=[funcref]",
				"local.get h=4 d=1 in=[] out=[funcref]",
				"ref.is_null h=5 d=1 in=[funcref] out=[i32]",
				"select h=5 d=1 in=[funcref funcref i32] out=[funcref]",
				"drop h=3 d=1 in=[funcref] out=[]",
				"drop h=2 d=1 in=[i32] out=[]",
				"drop h=1 d=1 in=[i32] out=[]",
				"end h=0 d=1 in=[] out=[] bt=(func) L0=0/0[]",
			},
			maxHeight: 5,
		},
		{
			name: "br_table labels",
			body: code(
				blk(wasm.OpBlock, btEmpty),
				blk(wasm.OpBlock, btEmpty),
				i32c(0),
				op(wasm.OpBrTable, 2, 0, 1, 2),
				op(wasm.OpEnd),
				op(wasm.OpEnd),
			),
			want: []string{
				"block h=0 d=1 in=[] out=[] bt=(func)",
				"block h=0 d=2 in=[] out=[] bt=(func)",
				"i32.const h=0 d=3 in=[] out=[i32]",
				"br_table h=1 d=3 in=[i32] out=[] L0=1/0[] L1=1/0[] L2=0/0[]",
				"end h=0 d=3 dead in=[] out=[] bt=(func) L0=1/0[]",
				"end h=0 d=2 in=[] out=[] bt=(func) L0=1/0[]",
				"end h=0 d=1 in=[] out=[] bt=(func) L0=0/0[]",
			},
			maxHeight: 1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := baseModule(tc.params, tc.results, tc.locals, tc.body)
			recs := map[uint32]*recorder{}
			err := ValidateModule(m, wasm.Features2, func(idx uint32) FuncVisitor {
				r := &recorder{}
				recs[idx] = r
				return r
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 2 || recs[1] == nil || recs[2] == nil {
				t.Fatalf("visitors created for %v, want functions 1 and 2", recs)
			}
			r := recs[1]
			if r.began == nil || r.began.Index != 1 || !r.ended {
				t.Fatalf("Begin/End not called properly: %+v", r)
			}
			wantLocals := append(append([]wasm.ValType{}, tc.params...), tc.locals...)
			if typeList(r.began.Locals) != typeList(wantLocals) {
				t.Errorf("locals %s, want %s", typeList(r.began.Locals), typeList(wantLocals))
			}
			got := strings.Join(r.lines, "\n")
			want := strings.Join(tc.want, "\n")
			if got != want {
				t.Errorf("visitor saw:\n%s\nwant:\n%s", got, want)
			}
			if r.maxHeight != tc.maxHeight {
				t.Errorf("MaxHeight %d, want %d", r.maxHeight, tc.maxHeight)
			}
		})
	}
}

type failingVisitor struct{ recorder }

func (f *failingVisitor) Instr(in *wasm.Instr, s *State) error {
	if in.Op == wasm.OpDrop {
		return fmt.Errorf("cannot translate drop")
	}
	return nil
}

func TestVisitorErrorAborts(t *testing.T) {
	m := baseModule(nil, nil, nil, code(i32c(1), op(wasm.OpDrop)))
	err := ValidateModule(m, wasm.Features2, func(uint32) FuncVisitor { return &failingVisitor{} })
	if err == nil || !strings.Contains(err.Error(), "function 1: cannot translate drop") {
		t.Fatalf("got %v, want the visitor's error with the function index", err)
	}
}
