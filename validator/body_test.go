package validator

import (
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

type bodyCase struct {
	name            string
	params, results []wasm.ValType
	locals          []wasm.ValType
	body            []byte
	want            string // "" when valid, else a substring of the error
}

func runBodyCases(t *testing.T, cases []bodyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := baseModule(tc.params, tc.results, tc.locals, tc.body)
			err := ValidateModule(m, wasm.Features2, nil)
			checkErr(t, err, tc.want)
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("valid module rejected: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("invalid module accepted (want %q)", want)
	}
	if !errors.Is(err, wasm.ErrInvalid) {
		t.Fatalf("error %v does not wrap wasm.ErrInvalid", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not contain %q", err, want)
	}
}

func TestNumericAndStack(t *testing.T) {
	runBodyCases(t, []bodyCase{
		{name: "empty", body: code()},
		{name: "const result", results: vt(i32), body: code(i32c(1))},
		{name: "missing result", results: vt(i32), body: code(), want: "type mismatch"},
		{name: "extra value", body: code(i32c(1)), want: "type mismatch"},
		{name: "wrong result", results: vt(i64), body: code(i32c(1)), want: "type mismatch"},
		{name: "add", results: vt(i32), body: code(i32c(1), i32c(2), op(wasm.OpI32Add))},
		{name: "add mixed", results: vt(i32), body: code(i32c(1), i64c(2), op(wasm.OpI32Add)), want: "type mismatch"},
		{name: "add underflow", results: vt(i32), body: code(i32c(1), op(wasm.OpI32Add)), want: "type mismatch"},
		{name: "conversion", results: vt(f64), body: code(i32c(1), op(wasm.OpF64ConvertI32S))},
		{name: "conversion wrong", results: vt(f64), body: code(i64c(1), op(wasm.OpF64ConvertI32S)), want: "type mismatch"},
		{name: "sign extension", results: vt(i64), body: code(i64c(1), op(wasm.OpI64Extend32S))},
		{name: "saturating", results: vt(i32), body: code(f32c(1), op(wasm.OpI32TruncSatF32S))},
		{name: "saturating wrong", results: vt(i32), body: code(f64c(1), op(wasm.OpI32TruncSatF32S)), want: "type mismatch"},
		{name: "compare", results: vt(i32), body: code(f64c(1), f64c(2), op(wasm.OpF64Lt))},
		{name: "drop", body: code(i32c(1), op(wasm.OpDrop))},
		{name: "drop empty", body: code(op(wasm.OpDrop)), want: "type mismatch"},
		{name: "nop", body: code(op(wasm.OpNop))},
	})
}

func TestVariables(t *testing.T) {
	runBodyCases(t, []bodyCase{
		{name: "param get", params: vt(i32), results: vt(i32), body: code(op(wasm.OpLocalGet, 0))},
		{name: "local get", params: vt(i32), locals: vt(f64), results: vt(f64), body: code(op(wasm.OpLocalGet, 1))},
		{name: "unknown local", params: vt(i32), locals: vt(f64), body: code(op(wasm.OpLocalGet, 2), op(wasm.OpDrop)), want: "unknown local 2"},
		{name: "set", locals: vt(i64), body: code(i64c(1), op(wasm.OpLocalSet, 0))},
		{name: "set wrong", locals: vt(i64), body: code(i32c(1), op(wasm.OpLocalSet, 0)), want: "type mismatch"},
		{name: "set unknown", locals: vt(i64), body: code(i64c(1), op(wasm.OpLocalSet, 1)), want: "unknown local"},
		{name: "tee", locals: vt(i64), results: vt(i64), body: code(i64c(1), op(wasm.OpLocalTee, 0))},
		{name: "global get imported", results: vt(i32), body: code(op(wasm.OpGlobalGet, 0))},
		{name: "global get defined", results: vt(f32), body: code(op(wasm.OpGlobalGet, 2))},
		{name: "unknown global", body: code(op(wasm.OpGlobalGet, 3), op(wasm.OpDrop)), want: "unknown global 3"},
		{name: "global set mutable", body: code(i64c(1), op(wasm.OpGlobalSet, 1))},
		{name: "global set immutable", body: code(f32c(1), op(wasm.OpGlobalSet, 2)), want: "global is immutable"},
		{name: "global set wrong type", body: code(i32c(1), op(wasm.OpGlobalSet, 1)), want: "type mismatch"},
	})
}

func TestControl(t *testing.T) {
	runBodyCases(t, []bodyCase{
		{name: "block result", results: vt(i32), body: code(blk(wasm.OpBlock, btI32), i32c(1), op(wasm.OpEnd))},
		{name: "block missing result", results: vt(i32), body: code(blk(wasm.OpBlock, btI32), op(wasm.OpEnd)), want: "type mismatch"},
		{name: "block cannot see outer stack", results: vt(i32), body: code(i32c(1), blk(wasm.OpBlock, btI32), op(wasm.OpEnd)), want: "type mismatch"},
		{name: "multi-value block", results: vt(i32, i64), body: code(blkIdx(wasm.OpBlock, 3), i32c(1), i64c(2), op(wasm.OpEnd))},
		{name: "block params", results: vt(i64), body: code(i32c(1), i64c(2), blkIdx(wasm.OpBlock, 4), op(wasm.OpDrop), op(wasm.OpDrop), i64c(3), op(wasm.OpEnd))},
		{name: "block params missing", results: vt(i64), body: code(i64c(2), blkIdx(wasm.OpBlock, 4), op(wasm.OpDrop), op(wasm.OpEnd)), want: "type mismatch"},
		{name: "unknown block type", body: code(blkIdx(wasm.OpBlock, 9), op(wasm.OpEnd)), want: "unknown type 9"},
		{name: "loop params as label", results: vt(i32), body: code(i32c(1), blkIdx(wasm.OpLoop, 2), op(wasm.OpBr, 0), op(wasm.OpEnd))},
		{name: "loop label takes params", results: vt(i32), body: code(i32c(1), blkIdx(wasm.OpLoop, 2), i64c(1), op(wasm.OpBr, 0), op(wasm.OpEnd)), want: "type mismatch"},
		{name: "loop br without results", results: vt(i32), body: code(blk(wasm.OpLoop, btI32), i32c(1), op(wasm.OpBr, 0), op(wasm.OpEnd))},
		{name: "if else", results: vt(i32), body: code(i32c(1), blk(wasm.OpIf, btI32), i32c(2), op(wasm.OpElse), i32c(3), op(wasm.OpEnd))},
		{name: "if no condition", results: vt(i32), body: code(blk(wasm.OpIf, btI32), i32c(2), op(wasm.OpElse), i32c(3), op(wasm.OpEnd)), want: "type mismatch"},
		{name: "if without else needs matching types", results: vt(i32), body: code(i32c(1), blk(wasm.OpIf, btI32), i32c(2), op(wasm.OpEnd)), want: "type mismatch"},
		{name: "if without else identity", results: vt(i32), body: code(i32c(5), i32c(1), blkIdx(wasm.OpIf, 2), op(wasm.OpEnd))},
		{name: "else branch wrong", results: vt(i32), body: code(i32c(1), blk(wasm.OpIf, btI32), i32c(2), op(wasm.OpElse), i64c(3), op(wasm.OpEnd)), want: "type mismatch"},
		{name: "br to function", results: vt(i32), body: code(i32c(1), op(wasm.OpBr, 0))},
		{name: "unknown label", body: code(op(wasm.OpBr, 1)), want: "unknown label"},
		{name: "br_if", results: vt(i32), body: code(blk(wasm.OpBlock, btI32), i32c(1), i32c(0), op(wasm.OpBrIf, 0), op(wasm.OpEnd))},
		{name: "br_if wrong", results: vt(i32), body: code(blk(wasm.OpBlock, btI32), i64c(1), i32c(0), op(wasm.OpBrIf, 0), op(wasm.OpDrop), i32c(1), op(wasm.OpEnd)), want: "type mismatch"},
		{name: "br_table", body: code(blk(wasm.OpBlock, btEmpty), blk(wasm.OpBlock, btEmpty), i32c(0), op(wasm.OpBrTable, 2, 0, 1, 1), op(wasm.OpEnd), op(wasm.OpEnd))},
		{name: "br_table arity", results: vt(i32), body: code(blk(wasm.OpBlock, btEmpty), i32c(1), i32c(0), op(wasm.OpBrTable, 1, 0, 1), op(wasm.OpEnd), i32c(1)), want: "type mismatch"},
		{name: "br_table unknown label", body: code(i32c(0), op(wasm.OpBrTable, 1, 5, 0)), want: "unknown label"},
		{name: "br_table dead code mixed", results: vt(i32), body: code(blk(wasm.OpBlock, btF32Or(f32)), op(wasm.OpUnreachable), i32c(0), op(wasm.OpBrTable, 1, 0, 1), op(wasm.OpEnd), op(wasm.OpDrop), i32c(0)), want: ""},
		{name: "br_table dead code conflicting", results: vt(i32), body: code(blk(wasm.OpBlock, btF32Or(f32)), op(wasm.OpUnreachable), i64c(0), i32c(0), op(wasm.OpBrTable, 1, 0, 1), op(wasm.OpEnd), op(wasm.OpDrop), i32c(0)), want: "type mismatch"},
		{name: "return", results: vt(i64), body: code(i64c(1), op(wasm.OpReturn))},
		{name: "return wrong", results: vt(i64), body: code(i32c(1), op(wasm.OpReturn)), want: "type mismatch"},
		{name: "unreachable polymorphic", results: vt(i32), body: code(op(wasm.OpUnreachable), op(wasm.OpI32Add))},
		{name: "unreachable then wrong", results: vt(i32), body: code(op(wasm.OpUnreachable), i64c(1), op(wasm.OpI32Add)), want: "type mismatch"},
		{name: "unreachable too many", body: code(op(wasm.OpUnreachable), i32c(1)), want: "type mismatch"},
		{name: "unreachable select", results: vt(i32), body: code(op(wasm.OpUnreachable), op(wasm.OpSelect))},
		{name: "unreachable select ref", results: vt(fref), body: code(op(wasm.OpUnreachable), op(wasm.OpRefNull), raw(0x70), i32c(1), op(wasm.OpSelect)), want: "type mismatch"},
		{name: "dead block still typed", body: code(op(wasm.OpUnreachable), blk(wasm.OpBlock, btEmpty), i32c(1), op(wasm.OpEnd)), want: "type mismatch"},
		{name: "call", results: vt(i32), body: code(i32c(1), op(wasm.OpCall, 0))},
		{name: "call wrong arg", results: vt(i32), body: code(i64c(1), op(wasm.OpCall, 0)), want: "type mismatch"},
		{name: "unknown function", body: code(op(wasm.OpCall, 3)), want: "unknown function 3"},
		{name: "call_indirect", results: vt(i32), body: code(i32c(1), i32c(0), op(wasm.OpCallIndirect, 2, 0))},
		{name: "call_indirect externref table", results: vt(i32), body: code(i32c(1), i32c(0), op(wasm.OpCallIndirect, 2, 1)), want: "type mismatch"},
		{name: "call_indirect unknown table", body: code(i32c(0), op(wasm.OpCallIndirect, 1, 2)), want: "unknown table 2"},
		{name: "call_indirect unknown type", body: code(i32c(0), op(wasm.OpCallIndirect, 7, 0)), want: "unknown type 7"},
		{name: "select", results: vt(f64), body: code(f64c(1), f64c(2), i32c(0), op(wasm.OpSelect))},
		{name: "select mismatch", results: vt(f64), body: code(f64c(1), f32c(2), i32c(0), op(wasm.OpSelect)), want: "type mismatch"},
		{name: "select ref needs type", body: code(op(wasm.OpRefNull), raw(0x70), op(wasm.OpRefNull), raw(0x70), i32c(0), op(wasm.OpSelect), op(wasm.OpDrop)), want: "type mismatch"},
		{name: "typed select", results: vt(fref), body: code(op(wasm.OpRefNull), raw(0x70), op(wasm.OpRefNull), raw(0x70), i32c(0), op(wasm.OpSelectT, 1), raw(0x70))},
		{name: "typed select arity", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpSelectT, 0)), want: "invalid result arity"},
		{name: "typed select arity 2", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpSelectT, 2), raw(0x7F, 0x7F)), want: "invalid result arity"},
	})
}

// btF32Or returns the one-byte block type of a value type.
func btF32Or(t wasm.ValType) byte { return byte(t) }

func TestMemoryInstructions(t *testing.T) {
	noMem := func(m *wasm.Module) { m.Mems = nil }
	cases := []struct {
		name   string
		mutate func(*wasm.Module)
		body   []byte
		want   string
	}{
		{name: "load", body: code(i32c(0), mem(wasm.OpI64Load, 3, 8), op(wasm.OpDrop))},
		{name: "load align too large", body: code(i32c(0), mem(wasm.OpI64Load, 4, 0), op(wasm.OpDrop)), want: "alignment must not be larger than natural"},
		{name: "load8 align", body: code(i32c(0), mem(wasm.OpI32Load8U, 1, 0), op(wasm.OpDrop)), want: "alignment must not be larger than natural"},
		{name: "store", body: code(i32c(0), f32c(1), mem(wasm.OpF32Store, 2, 0))},
		{name: "store wrong", body: code(i32c(0), f64c(1), mem(wasm.OpF32Store, 2, 0)), want: "type mismatch"},
		{name: "no memory", mutate: noMem, body: code(i32c(0), mem(wasm.OpI32Load, 2, 0), op(wasm.OpDrop)), want: "unknown memory 0"},
		{name: "size", body: code(op(wasm.OpMemorySize), raw(0), op(wasm.OpDrop))},
		{name: "size no memory", mutate: noMem, body: code(op(wasm.OpMemorySize), raw(0), op(wasm.OpDrop)), want: "unknown memory"},
		{name: "grow", body: code(i32c(1), op(wasm.OpMemoryGrow), raw(0), op(wasm.OpDrop))},
		{name: "fill", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpMemoryFill), raw(0))},
		{name: "fill no memory", mutate: noMem, body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpMemoryFill), raw(0)), want: "unknown memory"},
		{name: "copy", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpMemoryCopy), raw(0, 0))},
		{name: "init", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpMemoryInit, 0), raw(0))},
		{name: "init unknown data", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpMemoryInit, 1), raw(0)), want: "unknown data segment 1"},
		{name: "init no memory", mutate: noMem, body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpMemoryInit, 0), raw(0)), want: "unknown memory 0"},
		{name: "data.drop", body: code(op(wasm.OpDataDrop, 0))},
		{name: "data.drop unknown", body: code(op(wasm.OpDataDrop, 4)), want: "unknown data segment"},
		{name: "v128 load", body: code(i32c(0), mem(wasm.OpV128Load, 4, 0), op(wasm.OpDrop))},
		{name: "v128 load align", body: code(i32c(0), mem(wasm.OpV128Load, 5, 0), op(wasm.OpDrop)), want: "alignment must not be larger than natural"},
		{name: "load splat align", body: code(i32c(0), mem(wasm.OpV128Load16Splat, 2, 0), op(wasm.OpDrop)), want: "alignment must not be larger than natural"},
		{name: "load lane", body: code(i32c(0), v128c(), mem(wasm.OpV128Load32Lane, 2, 0), raw(3), op(wasm.OpDrop))},
		{name: "load lane index", body: code(i32c(0), v128c(), mem(wasm.OpV128Load32Lane, 2, 0), raw(4), op(wasm.OpDrop)), want: "invalid lane index"},
		{name: "store lane index", body: code(i32c(0), v128c(), mem(wasm.OpV128Store8Lane, 0, 0), raw(16)), want: "invalid lane index"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := baseModule(nil, nil, nil, tc.body)
			if tc.mutate != nil {
				tc.mutate(m)
			}
			checkErr(t, ValidateModule(m, wasm.Features2, nil), tc.want)
		})
	}
}

func TestSIMD(t *testing.T) {
	shuffle := func(last byte) []byte {
		b := op(wasm.OpI8x16Shuffle)
		for i := 0; i < 15; i++ {
			b = append(b, byte(i))
		}
		return append(b, last)
	}
	runBodyCases(t, []bodyCase{
		{name: "binary", results: vt(v128), body: code(v128c(), v128c(), op(wasm.OpI32x4Add))},
		{name: "binary wrong", results: vt(v128), body: code(v128c(), i32c(0), op(wasm.OpI32x4Add)), want: "type mismatch"},
		{name: "shift", results: vt(v128), body: code(v128c(), i32c(1), op(wasm.OpI64x2Shl))},
		{name: "splat", results: vt(v128), body: code(f64c(1), op(wasm.OpF64x2Splat))},
		{name: "bitselect", results: vt(v128), body: code(v128c(), v128c(), v128c(), op(wasm.OpV128Bitselect))},
		{name: "extract", results: vt(i32), body: code(v128c(), op(wasm.OpI8x16ExtractLaneS), raw(15))},
		{name: "extract lane", results: vt(i32), body: code(v128c(), op(wasm.OpI8x16ExtractLaneS), raw(16)), want: "invalid lane index"},
		{name: "extract i64 lane", results: vt(i64), body: code(v128c(), op(wasm.OpI64x2ExtractLane), raw(2)), want: "invalid lane index"},
		{name: "replace f32 lane", results: vt(v128), body: code(v128c(), f32c(1), op(wasm.OpF32x4ReplaceLane), raw(4)), want: "invalid lane index"},
		{name: "replace f64", results: vt(v128), body: code(v128c(), f64c(1), op(wasm.OpF64x2ReplaceLane), raw(1))},
		{name: "shuffle", results: vt(v128), body: code(v128c(), v128c(), shuffle(31))},
		{name: "shuffle lane", results: vt(v128), body: code(v128c(), v128c(), shuffle(32)), want: "invalid lane index"},
		{name: "any_true", results: vt(i32), body: code(v128c(), op(wasm.OpV128AnyTrue))},
		{name: "select v128", results: vt(v128), body: code(v128c(), v128c(), i32c(1), op(wasm.OpSelect))},
	})
}

func TestReferenceAndTables(t *testing.T) {
	runBodyCases(t, []bodyCase{
		{name: "ref.null", results: vt(xref), body: code(op(wasm.OpRefNull), raw(0x6F))},
		{name: "ref.null wrong", results: vt(xref), body: code(op(wasm.OpRefNull), raw(0x70)), want: "type mismatch"},
		{name: "ref.is_null", results: vt(i32), body: code(op(wasm.OpRefNull), raw(0x6F), op(wasm.OpRefIsNull))},
		{name: "ref.is_null number", results: vt(i32), body: code(i32c(1), op(wasm.OpRefIsNull)), want: "type mismatch"},
		{name: "ref.is_null dead", results: vt(i32), body: code(op(wasm.OpUnreachable), op(wasm.OpRefIsNull))},
		{name: "ref.func declared", results: vt(fref), body: code(op(wasm.OpRefFunc, 0))},
		{name: "ref.func undeclared", results: vt(fref), body: code(op(wasm.OpRefFunc, 2)), want: "undeclared function reference"},
		{name: "ref.func self undeclared", results: vt(fref), body: code(op(wasm.OpRefFunc, 1)), want: "undeclared function reference"},
		{name: "ref.func unknown", results: vt(fref), body: code(op(wasm.OpRefFunc, 9)), want: "unknown function 9"},
		{name: "table.get", results: vt(xref), body: code(i32c(0), op(wasm.OpTableGet, 1))},
		{name: "table.get unknown", results: vt(xref), body: code(i32c(0), op(wasm.OpTableGet, 2)), want: "unknown table 2"},
		{name: "table.set", body: code(i32c(0), op(wasm.OpRefNull), raw(0x70), op(wasm.OpTableSet, 0))},
		{name: "table.set wrong", body: code(i32c(0), op(wasm.OpRefNull), raw(0x70), op(wasm.OpTableSet, 1)), want: "type mismatch"},
		{name: "table.size", results: vt(i32), body: code(op(wasm.OpTableSize, 1))},
		{name: "table.grow", results: vt(i32), body: code(op(wasm.OpRefNull), raw(0x6F), i32c(1), op(wasm.OpTableGrow, 1))},
		{name: "table.fill", body: code(i32c(0), op(wasm.OpRefNull), raw(0x70), i32c(1), op(wasm.OpTableFill, 0))},
		{name: "table.fill wrong", body: code(i32c(0), op(wasm.OpRefNull), raw(0x70), i32c(1), op(wasm.OpTableFill, 1)), want: "type mismatch"},
		{name: "table.copy", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpTableCopy, 1, 1))},
		{name: "table.copy types", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpTableCopy, 0, 1)), want: "type mismatch"},
		{name: "table.copy unknown", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpTableCopy, 0, 3)), want: "unknown table 3"},
		{name: "table.init", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpTableInit, 1, 1))},
		{name: "table.init types", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpTableInit, 0, 1)), want: "type mismatch"},
		{name: "table.init unknown elem", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpTableInit, 4, 0)), want: "unknown elem segment 4"},
		{name: "table.init unknown table", body: code(i32c(0), i32c(0), i32c(0), op(wasm.OpTableInit, 0, 5)), want: "unknown table 5"},
		{name: "elem.drop", body: code(op(wasm.OpElemDrop, 1))},
		{name: "elem.drop unknown", body: code(op(wasm.OpElemDrop, 2)), want: "unknown elem segment 2"},
	})
}

func TestErrorCarriesPosition(t *testing.T) {
	body := code(i32c(1), i64c(2), op(wasm.OpI32Add), op(wasm.OpDrop))
	m := baseModule(nil, nil, nil, body)
	m.Codes[0].BodyOffset = 100
	err := ValidateModule(m, wasm.Features2, nil)
	var ve *Error
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *validator.Error", err)
	}
	if ve.Func != 1 || ve.Offset != 104 || !ve.HasOp || ve.Op != wasm.OpI32Add {
		t.Fatalf("got func %d offset %d op %v, want func 1 offset 104 op i32.add (%v)", ve.Func, ve.Offset, ve.Op, err)
	}
}
