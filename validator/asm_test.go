package validator

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/kilnrt/kiln/internal/leb128"
	"github.com/kilnrt/kiln/wasm"
)

// A tiny instruction encoder for tests: modules are built as Go values and
// their bodies encoded here, then read back by the decoder's InstrReader.

// op encodes an opcode followed by unsigned LEB128 immediates.
func op(o wasm.Opcode, imms ...uint32) []byte {
	var b []byte
	if o >= 0x100 {
		b = append(b, o.Prefix())
		b = leb128.AppendUint32(b, uint32(o&0xFFFF))
	} else {
		b = append(b, byte(o))
	}
	for _, v := range imms {
		b = leb128.AppendUint32(b, v)
	}
	return b
}

// raw returns bytes as they are.
func raw(b ...byte) []byte { return b }

func i32c(v int32) []byte { return leb128.AppendInt64(op(wasm.OpI32Const), int64(v)) }
func i64c(v int64) []byte { return leb128.AppendInt64(op(wasm.OpI64Const), v) }
func f32c(v float32) []byte {
	return binary.LittleEndian.AppendUint32(op(wasm.OpF32Const), math.Float32bits(v))
}
func f64c(v float64) []byte {
	return binary.LittleEndian.AppendUint64(op(wasm.OpF64Const), math.Float64bits(v))
}
func v128c() []byte { return append(op(wasm.OpV128Const), make([]byte, 16)...) }

// block types
const (
	btEmpty = 0x40
	btI32   = 0x7F
	btI64   = 0x7E
)

// blk encodes block, loop or if with a one-byte block type.
func blk(o wasm.Opcode, bt byte) []byte { return append(op(o), bt) }

// blkIdx encodes block, loop or if with a type index block type.
func blkIdx(o wasm.Opcode, idx uint32) []byte {
	return leb128.AppendInt64(op(o), int64(idx))
}

// mem encodes a load or store with alignment exponent and offset.
func mem(o wasm.Opcode, align, offset uint32) []byte { return op(o, align, offset) }

// code concatenates instructions and appends the final end.
func code(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return append(b, byte(wasm.OpEnd))
}

// constExpr builds a constant expression (the final end is appended).
func constExpr(parts ...[]byte) wasm.ConstExpr { return wasm.ConstExpr{Code: code(parts...)} }

var (
	i32  = wasm.I32
	i64  = wasm.I64
	f32  = wasm.F32
	f64  = wasm.F64
	v128 = wasm.V128
	fref = wasm.FuncRef
	xref = wasm.ExternRef
)

func vt(ts ...wasm.ValType) []wasm.ValType { return ts }

// baseModule returns a module whose function 1 (the only defined one, after
// one imported function) has type (params) -> (results), locals and body.
// Its context:
//
//	types:   0 the test function, 1 []->[], 2 [i32]->[i32], 3 []->[i32 i64], 4 [i32 i64]->[i64]
//	funcs:   0 imported [i32]->[i32], 1 the test function, 2 []->[] (not declared)
//	tables:  0 funcref (min 1), 1 externref (min 1)
//	memory:  0 (min 1)
//	globals: 0 imported immutable i32, 1 mutable i64, 2 immutable f32
//	elems:   0 passive funcref [0], 1 passive externref (ref.null extern)
//	data:    0 passive "abc" (data count 1)
func baseModule(params, results, locals []wasm.ValType, body []byte) *wasm.Module {
	m := &wasm.Module{
		Types: []wasm.FuncType{
			{Params: params, Results: results},
			{},
			{Params: vt(i32), Results: vt(i32)},
			{Results: vt(i32, i64)},
			{Params: vt(i32, i64), Results: vt(i64)},
		},
		Imports: []wasm.Import{
			{Module: "m", Name: "f", Kind: wasm.ExternFunc, TypeIndex: 2},
			{Module: "m", Name: "g", Kind: wasm.ExternGlobal, Global: wasm.GlobalType{Type: i32}},
		},
		NumImportedFuncs:   1,
		NumImportedGlobals: 1,
		Funcs:              []uint32{0, 1},
		Tables: []wasm.TableType{
			{Elem: fref, Limits: wasm.Limits{Min: 1}},
			{Elem: xref, Limits: wasm.Limits{Min: 1}},
		},
		Mems: []wasm.MemoryType{{Limits: wasm.Limits{Min: 1}}},
		Globals: []wasm.Global{
			{Type: wasm.GlobalType{Type: i64, Mutable: true}, Init: constExpr(i64c(0))},
			{Type: wasm.GlobalType{Type: f32}, Init: constExpr(f32c(1))},
		},
		Elems: []wasm.ElemSegment{
			{Mode: wasm.SegmentPassive, Type: fref, FuncIndices: []uint32{0}},
			{Mode: wasm.SegmentPassive, Type: xref, Exprs: []wasm.ConstExpr{constExpr(op(wasm.OpRefNull), raw(0x6F))}},
		},
		Data:         []wasm.DataSegment{{Mode: wasm.SegmentPassive, Init: []byte("abc")}},
		HasDataCount: true,
		DataCount:    1,
	}
	var run []wasm.LocalRun
	for _, t := range locals {
		run = append(run, wasm.LocalRun{Count: 1, Type: t})
	}
	m.Codes = []wasm.Code{
		{Locals: run, NumLocals: uint32(len(locals)), Body: body},
		{Body: code()},
	}
	return m
}

func errorsIsMalformed(err error) bool { return errors.Is(err, wasm.ErrMalformed) }
