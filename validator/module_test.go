package validator

import (
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

func TestModuleRules(t *testing.T) {
	cases := []struct {
		name     string
		mutate   func(m *wasm.Module)
		features wasm.Features
		want     string
	}{
		{name: "base module is valid", mutate: func(m *wasm.Module) {}},
		{name: "func unknown type", mutate: func(m *wasm.Module) { m.Funcs[1] = 9 }, want: "unknown type 9"},
		{name: "import unknown type", mutate: func(m *wasm.Module) { m.Imports[0].TypeIndex = 5 }, want: "unknown type 5"},
		{name: "code count", mutate: func(m *wasm.Module) { m.Codes = m.Codes[:1] }, want: ""},
		{name: "memory too large", mutate: func(m *wasm.Module) { m.Mems[0].Limits.Min = 65537 }, want: "memory size must be at most 65536 pages (4GiB)"},
		{name: "memory max too large", mutate: func(m *wasm.Module) { m.Mems[0].Limits = wasm.Limits{Max: 70000, HasMax: true} }, want: "memory size must be at most 65536 pages (4GiB)"},
		{name: "memory 4GiB ok", mutate: func(m *wasm.Module) { m.Mems[0].Limits = wasm.Limits{Min: 65536, Max: 65536, HasMax: true} }},
		{name: "memory min > max", mutate: func(m *wasm.Module) { m.Mems[0].Limits = wasm.Limits{Min: 2, Max: 1, HasMax: true} }, want: "size minimum must not be greater than maximum"},
		{name: "table min > max", mutate: func(m *wasm.Module) { m.Tables[0].Limits = wasm.Limits{Min: 2, Max: 1, HasMax: true} }, want: "size minimum must not be greater than maximum"},
		{name: "table large ok", mutate: func(m *wasm.Module) { m.Tables[0].Limits = wasm.Limits{Min: 0xFFFFFFFF} }},
		{name: "shared memory needs max", features: wasm.Features2 | wasm.FeatureThreads, mutate: func(m *wasm.Module) { m.Mems[0].Shared = true }, want: "shared memory must have maximum"},
		{name: "multiple tables in MVP", features: wasm.Features2 &^ wasm.FeatureReferenceTypes, mutate: func(m *wasm.Module) {
			m.Elems = m.Elems[:1]
			m.Tables[1].Elem = fref
		}, want: "multiple tables"},
		{name: "multiple memories", mutate: func(m *wasm.Module) { m.Mems = append(m.Mems, m.Mems[0]) }, want: "multiple memories"},
		{name: "multiple memories with multi-memory", features: wasm.Features2 | wasm.FeatureMultiMemory, mutate: func(m *wasm.Module) { m.Mems = append(m.Mems, m.Mems[0]) }},
		{name: "imported and defined memory", mutate: func(m *wasm.Module) {
			m.Imports = append(m.Imports, wasm.Import{Module: "m", Name: "mem", Kind: wasm.ExternMemory, Mem: wasm.MemoryType{Limits: wasm.Limits{Min: 1}}})
			m.NumImportedMems = 1
		}, want: "multiple memories"},
		{name: "multi-value types need multi-value", features: wasm.Features2 &^ wasm.FeatureMultiValue, mutate: func(m *wasm.Module) {}, want: "invalid result arity"},
		{name: "duplicate export", mutate: func(m *wasm.Module) {
			m.Exports = []wasm.Export{{Name: "a", Kind: wasm.ExternFunc, Index: 0}, {Name: "a", Kind: wasm.ExternGlobal, Index: 0}}
		}, want: "duplicate export name"},
		{name: "export unknown function", mutate: func(m *wasm.Module) { m.Exports = []wasm.Export{{Name: "a", Kind: wasm.ExternFunc, Index: 3}} }, want: "unknown function 3"},
		{name: "export unknown table", mutate: func(m *wasm.Module) { m.Exports = []wasm.Export{{Name: "a", Kind: wasm.ExternTable, Index: 2}} }, want: "unknown table 2"},
		{name: "export unknown memory", mutate: func(m *wasm.Module) { m.Exports = []wasm.Export{{Name: "a", Kind: wasm.ExternMemory, Index: 1}} }, want: "unknown memory 1"},
		{name: "export unknown global", mutate: func(m *wasm.Module) { m.Exports = []wasm.Export{{Name: "a", Kind: wasm.ExternGlobal, Index: 3}} }, want: "unknown global 3"},
		{name: "export mutable global", mutate: func(m *wasm.Module) { m.Exports = []wasm.Export{{Name: "a", Kind: wasm.ExternGlobal, Index: 1}} }},
		{name: "export mutable global in MVP", features: wasm.Features2 &^ wasm.FeatureMutableGlobals, mutate: func(m *wasm.Module) {
			m.Exports = []wasm.Export{{Name: "a", Kind: wasm.ExternGlobal, Index: 1}}
		}, want: "mutable global"},
		{name: "start", mutate: func(m *wasm.Module) { m.HasStart, m.Start = true, 2 }},
		{name: "start with params", mutate: func(m *wasm.Module) { m.HasStart, m.Start = true, 0 }, want: "start function"},
		{name: "start unknown", mutate: func(m *wasm.Module) { m.HasStart, m.Start = true, 3 }, want: "unknown function 3"},
		{name: "global init wrong type", mutate: func(m *wasm.Module) { m.Globals[0].Init = constExpr(i32c(0)) }, want: "type mismatch"},
		{name: "global init empty", mutate: func(m *wasm.Module) { m.Globals[0].Init = constExpr() }, want: "type mismatch"},
		{name: "global init two values", mutate: func(m *wasm.Module) { m.Globals[0].Init = constExpr(i64c(0), i64c(0)) }, want: "type mismatch"},
		{name: "global init not constant", mutate: func(m *wasm.Module) { m.Globals[0].Init = constExpr(i64c(0), op(wasm.OpI64Eqz)) }, want: "constant expression required"},
		{name: "global init nop", mutate: func(m *wasm.Module) { m.Globals[0].Init = constExpr(i64c(0), op(wasm.OpNop)) }, want: "constant expression required"},
		{name: "constness before type", mutate: func(m *wasm.Module) { m.Globals[0].Init = constExpr(i32c(0), op(wasm.OpNop)) }, want: "constant expression required"},
		{name: "global init imported global", mutate: func(m *wasm.Module) {
			m.Globals[1] = wasm.Global{Type: wasm.GlobalType{Type: i32}, Init: constExpr(op(wasm.OpGlobalGet, 0))}
		}},
		{name: "global init defined global", mutate: func(m *wasm.Module) {
			m.Globals[1] = wasm.Global{Type: wasm.GlobalType{Type: i64}, Init: constExpr(op(wasm.OpGlobalGet, 1))}
		}, want: "unknown global 1"},
		{name: "global init mutable import", mutate: func(m *wasm.Module) {
			m.Imports[1].Global.Mutable = true
			m.Globals[1] = wasm.Global{Type: wasm.GlobalType{Type: i32}, Init: constExpr(op(wasm.OpGlobalGet, 0))}
		}, want: "constant expression required"},
		{name: "global init extended const", mutate: func(m *wasm.Module) { m.Globals[0].Init = constExpr(i64c(0), i64c(1), op(wasm.OpI64Add)) }, want: "constant expression required"},
		{name: "global init extended const enabled", features: wasm.Features2 | wasm.FeatureExtendedConst, mutate: func(m *wasm.Module) {
			m.Globals[0].Init = constExpr(i64c(0), i64c(1), op(wasm.OpI64Add))
		}},
		{name: "global init ref.func declares", mutate: func(m *wasm.Module) {
			m.Globals[1] = wasm.Global{Type: wasm.GlobalType{Type: fref}, Init: constExpr(op(wasm.OpRefFunc, 1))}
			m.Codes[0].Body = code(op(wasm.OpRefFunc, 1), op(wasm.OpDrop))
		}},
		{name: "global init ref.func unknown", mutate: func(m *wasm.Module) {
			m.Globals[1] = wasm.Global{Type: wasm.GlobalType{Type: fref}, Init: constExpr(op(wasm.OpRefFunc, 7))}
		}, want: "unknown function 7"},
		{name: "global init ref.null", mutate: func(m *wasm.Module) {
			m.Globals[1] = wasm.Global{Type: wasm.GlobalType{Type: xref}, Init: constExpr(op(wasm.OpRefNull), raw(0x6F))}
		}},
		{name: "export declares for ref.func", mutate: func(m *wasm.Module) {
			m.Exports = []wasm.Export{{Name: "f", Kind: wasm.ExternFunc, Index: 2}}
			m.Codes[0].Body = code(op(wasm.OpRefFunc, 2), op(wasm.OpDrop))
		}},
		{name: "elem expr declares for ref.func", mutate: func(m *wasm.Module) {
			m.Elems[0] = wasm.ElemSegment{Mode: wasm.SegmentDeclarative, Type: fref, Exprs: []wasm.ConstExpr{constExpr(op(wasm.OpRefFunc, 2))}}
			m.Codes[0].Body = code(op(wasm.OpRefFunc, 2), op(wasm.OpDrop))
		}},
		{name: "elem active", mutate: func(m *wasm.Module) {
			m.Elems[0].Mode, m.Elems[0].Offset = wasm.SegmentActive, constExpr(i32c(0))
		}},
		{name: "elem active global offset", mutate: func(m *wasm.Module) {
			m.Elems[0].Mode, m.Elems[0].Offset = wasm.SegmentActive, constExpr(op(wasm.OpGlobalGet, 0))
		}},
		{name: "elem active defined global offset", mutate: func(m *wasm.Module) {
			m.Elems[0].Mode, m.Elems[0].Offset = wasm.SegmentActive, constExpr(op(wasm.OpGlobalGet, 2))
		}, want: "unknown global 2"},
		{name: "elem offset type", mutate: func(m *wasm.Module) {
			m.Elems[0].Mode, m.Elems[0].Offset = wasm.SegmentActive, constExpr(i64c(0))
		}, want: "type mismatch"},
		{name: "elem unknown table", mutate: func(m *wasm.Module) {
			m.Elems[0].Mode, m.Elems[0].Table, m.Elems[0].Offset = wasm.SegmentActive, 4, constExpr(i32c(0))
		}, want: "unknown table 4"},
		{name: "elem table type", mutate: func(m *wasm.Module) {
			m.Elems[1].Mode, m.Elems[1].Offset = wasm.SegmentActive, constExpr(i32c(0))
		}, want: "type mismatch"},
		{name: "elem unknown function", mutate: func(m *wasm.Module) { m.Elems[0].FuncIndices = []uint32{0, 3} }, want: "unknown function 3"},
		{name: "elem expr type", mutate: func(m *wasm.Module) {
			m.Elems[1].Exprs = []wasm.ConstExpr{constExpr(op(wasm.OpRefNull), raw(0x70))}
		}, want: "type mismatch"},
		{name: "data active", mutate: func(m *wasm.Module) { m.Data[0].Mode, m.Data[0].Offset = wasm.SegmentActive, constExpr(i32c(1)) }},
		{name: "data no memory", mutate: func(m *wasm.Module) {
			m.Mems = nil
			m.Data[0].Mode, m.Data[0].Offset = wasm.SegmentActive, constExpr(i32c(1))
		}, want: "unknown memory 0"},
		{name: "data offset not constant", mutate: func(m *wasm.Module) {
			m.Data[0].Mode, m.Data[0].Offset = wasm.SegmentActive, constExpr(i32c(1), i32c(1), op(wasm.OpI32Add))
		}, want: "constant expression required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := baseModule(nil, nil, nil, code())
			tc.mutate(m)
			f := tc.features
			if f == 0 {
				f = wasm.Features2
			}
			err := ValidateModule(m, f, nil)
			if tc.name == "code count" {
				if err == nil || !errorsIsMalformed(err) {
					t.Fatalf("got %v, want a malformed error", err)
				}
				return
			}
			checkErr(t, err, tc.want)
		})
	}
}

func TestMemory64AndTable64(t *testing.T) {
	f := wasm.Features2 | wasm.FeatureMemory64
	cases := []struct {
		name string
		body []byte
		want string
	}{
		{name: "load i64 address", body: code(i64c(0), mem(wasm.OpI32Load, 2, 0), op(wasm.OpDrop))},
		{name: "load i32 address", body: code(i32c(0), mem(wasm.OpI32Load, 2, 0), op(wasm.OpDrop)), want: "type mismatch"},
		{name: "store", body: code(i64c(0), f64c(0), mem(wasm.OpF64Store, 3, 0))},
		{name: "size", body: code(op(wasm.OpMemorySize), raw(0), op(wasm.OpI64Eqz), op(wasm.OpDrop))},
		{name: "grow", body: code(i64c(1), op(wasm.OpMemoryGrow), raw(0), op(wasm.OpI64Eqz), op(wasm.OpDrop))},
		{name: "fill", body: code(i64c(0), i32c(0), i64c(1), op(wasm.OpMemoryFill), raw(0))},
		{name: "fill i32 length", body: code(i64c(0), i32c(0), i32c(1), op(wasm.OpMemoryFill), raw(0)), want: "type mismatch"},
		{name: "init", body: code(i64c(0), i32c(0), i32c(1), op(wasm.OpMemoryInit, 0), raw(0))},
		{name: "copy", body: code(i64c(0), i64c(0), i64c(1), op(wasm.OpMemoryCopy), raw(0, 0))},
		{name: "table64 get", body: code(i64c(0), op(wasm.OpTableGet, 0), op(wasm.OpDrop))},
		{name: "table64 size", body: code(op(wasm.OpTableSize, 0), op(wasm.OpI64Eqz), op(wasm.OpDrop))},
		{name: "table64 call_indirect", body: code(i32c(1), i64c(0), op(wasm.OpCallIndirect, 2, 0), op(wasm.OpDrop))},
		{name: "table64 copy mixed", body: code(i64c(0), i32c(0), i32c(1), op(wasm.OpTableCopy, 0, 2))},
		{name: "table64 init", body: code(i64c(0), i32c(0), i32c(0), op(wasm.OpTableInit, 0, 0))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := baseModule(nil, nil, nil, tc.body)
			m.Mems[0].Is64 = true
			m.Tables[0].Is64 = true
			m.Tables = append(m.Tables, wasm.TableType{Elem: fref, Limits: wasm.Limits{Min: 1}})
			checkErr(t, ValidateModule(m, f, nil), tc.want)
		})
	}
}

func TestFunctionReferences(t *testing.T) {
	f := wasm.Features2 | wasm.FeatureFunctionReferences
	ref2 := wasm.RefType(false, 2)    // (ref 2): [i32] -> [i32], the type of function 0
	refNull2 := wasm.RefType(true, 2) // (ref null 2)
	refNull9 := wasm.RefType(true, 9) // (ref null 9): no such type
	cases := []struct {
		name    string
		results []wasm.ValType
		locals  []wasm.ValType
		body    []byte
		want    string
	}{
		{name: "ref.func is typed", results: vt(ref2), body: code(op(wasm.OpRefFunc, 0))},
		{name: "subtype to nullable", results: vt(refNull2), body: code(op(wasm.OpRefFunc, 0))},
		{name: "subtype to funcref", results: vt(fref), body: code(op(wasm.OpRefFunc, 0))},
		{name: "funcref is not (ref 2)", results: vt(ref2), body: code(op(wasm.OpRefNull), raw(0x70)), want: "type mismatch"},
		{name: "nullable is not non-null", locals: vt(refNull2), results: vt(ref2), body: code(op(wasm.OpLocalGet, 0)), want: "type mismatch"},
		{name: "unknown heap type in local", locals: vt(refNull9), body: code(), want: "unknown type 9"},
		{name: "non-null local set then get", locals: vt(ref2), results: vt(ref2), body: code(op(wasm.OpRefFunc, 0), op(wasm.OpLocalSet, 0), op(wasm.OpLocalGet, 0))},
		{name: "non-null local unset", locals: vt(ref2), results: vt(ref2), body: code(op(wasm.OpLocalGet, 0)), want: "uninitialized local 0"},
		{name: "non-null local set in block", locals: vt(ref2), results: vt(ref2), body: code(
			blk(wasm.OpBlock, btEmpty), op(wasm.OpRefFunc, 0), op(wasm.OpLocalSet, 0), op(wasm.OpEnd),
			op(wasm.OpLocalGet, 0)), want: "uninitialized local 0"},
		{name: "non-null local tee in block, get inside", locals: vt(ref2), results: vt(ref2), body: code(
			blk(wasm.OpBlock, btEmpty), op(wasm.OpRefFunc, 0), op(wasm.OpLocalTee, 0), op(wasm.OpLocalGet, 0), op(wasm.OpDrop), op(wasm.OpDrop), op(wasm.OpEnd),
			op(wasm.OpRefFunc, 0))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := baseModule(nil, tc.results, tc.locals, tc.body)
			checkErr(t, ValidateModule(m, f, nil), tc.want)
		})
	}
}
