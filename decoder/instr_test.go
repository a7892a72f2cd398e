package decoder

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kilnrt/kiln/wasm"
)

// readAll decodes every instruction of code, copying the aliased slices.
func readAll(t *testing.T, code []byte, f wasm.Features) ([]wasm.Instr, error) {
	t.Helper()
	r := NewInstrReader(code, 100, f)
	var out []wasm.Instr
	for {
		var in wasm.Instr
		err := r.Next(&in)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		in.Labels = append([]uint32(nil), in.Labels...)
		in.Types = append([]wasm.ValType(nil), in.Types...)
		if len(in.Labels) == 0 {
			in.Labels = nil
		}
		if len(in.Types) == 0 {
			in.Types = nil
		}
		out = append(out, in)
	}
}

func TestInstrReaderImmediates(t *testing.T) {
	code := []byte{
		0x02, 0x40, // block
		0x03, 0x7f, // loop (result i32)
		0x04, 0x05, // if (type 5)
		0x0e, 0x02, 0x00, 0x01, 0x02, // br_table 0 1 2
		0x11, 0x03, 0x00, // call_indirect type 3 table 0
		0x28, 0x02, 0x10, // i32.load align=2 offset=16
		0x3f, 0x00, // memory.size
		0x41, 0x7f, // i32.const -1
		0x42, 0x80, 0x7f, // i64.const -128
		0x43, 0x00, 0x00, 0x80, 0x3f, // f32.const 1
		0x1c, 0x01, 0x7e, // select (result i64)
		0xd0, 0x6f, // ref.null extern
		0xfc, 0x08, 0x07, 0x00, // memory.init 7
		0xfc, 0x0a, 0x00, 0x00, // memory.copy
		0xfc, 0x0c, 0x01, 0x02, // table.init elem 1 table 2
		0xfd, 0x15, 0x03, // i8x16.extract_lane_s 3
		0xfd, 0x54, 0x00, 0x04, 0x01, // v128.load8_lane offset=4 lane 1
		0x0b,
	}
	got, err := readAll(t, code, wasm.Features2)
	if err != nil {
		t.Fatal(err)
	}
	want := []wasm.Instr{
		{Op: wasm.OpBlock, Offset: 100, Block: wasm.BlockType{Kind: wasm.BlockEmpty}},
		{Op: wasm.OpLoop, Offset: 102, Block: wasm.BlockType{Kind: wasm.BlockValue, Val: wasm.I32}},
		{Op: wasm.OpIf, Offset: 104, Block: wasm.BlockType{Kind: wasm.BlockTypeIndex, Index: 5}},
		{Op: wasm.OpBrTable, Offset: 106, Labels: []uint32{0, 1}, Index: 2},
		{Op: wasm.OpCallIndirect, Offset: 111, Index: 3},
		{Op: wasm.OpI32Load, Offset: 114, Mem: wasm.MemArg{Align: 2, Offset: 16}},
		{Op: wasm.OpMemorySize, Offset: 117},
		{Op: wasm.OpI32Const, Offset: 119, Const: 0xffffffff},
		{Op: wasm.OpI64Const, Offset: 121, Const: uint64(0xffffffffffffff80)},
		{Op: wasm.OpF32Const, Offset: 124, Const: 0x3f800000},
		{Op: wasm.OpSelectT, Offset: 129, Types: []wasm.ValType{wasm.I64}},
		{Op: wasm.OpRefNull, Offset: 132, Heap: wasm.HeapExtern},
		{Op: wasm.OpMemoryInit, Offset: 134, Index: 7},
		{Op: wasm.OpMemoryCopy, Offset: 138},
		{Op: wasm.OpTableInit, Offset: 142, Index: 1, Index2: 2},
		{Op: wasm.OpI8x16ExtractLaneS, Offset: 146, Lane: 3},
		{Op: wasm.OpV128Load8Lane, Offset: 149, Mem: wasm.MemArg{Offset: 4}, Lane: 1},
		{Op: wasm.OpEnd, Offset: 154},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instructions (-want +got):\n%s", diff)
	}
}

func TestInstrReaderErrors(t *testing.T) {
	tests := []struct {
		name     string
		code     []byte
		features wasm.Features
		msg      string
		offset   int
	}{
		{"unknown opcode", []byte{0x01, 0x06}, wasm.Features2, "illegal opcode 06", 101},
		{"unknown misc opcode", []byte{0xfc, 0x12}, wasm.Features2, "illegal opcode fc 12", 100},
		{"huge misc opcode", []byte{0xfc, 0x80, 0x80, 0x04}, wasm.Features2, "illegal opcode fc", 100},
		{"threads prefix in 2.0", []byte{0xfe, 0x00}, wasm.Features2, "illegal opcode fe", 100},
		{"simd disabled", []byte{0xfd, 0x0f}, 0, "illegal opcode fd 0f", 100},
		{"sign extension disabled", []byte{0xc0}, 0, "illegal opcode c0", 100},
		{"truncated i32.const", []byte{0x41, 0x80}, wasm.Features2, "unexpected end", 102},
		{"i32.const too large", []byte{0x41, 0x80, 0x80, 0x80, 0x80, 0x70}, wasm.Features2, "integer too large", 105},
		{"i32.const too long", []byte{0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, wasm.Features2, "integer representation too long", 105},
		{"memory.grow reserved", []byte{0x40, 0x01}, wasm.Features2, "zero byte expected", 101},
		{"memory.size long zero", []byte{0x3f, 0x80, 0x00}, wasm.Features2, "zero byte expected", 101},
		{"memop flags", []byte{0x28, 0x20, 0x00}, wasm.Features2, "malformed memop flags", 101},
		{"memop flags memidx without multi-memory", []byte{0x28, 0x40, 0x00}, wasm.Features2, "malformed memop flags", 101},
		{"call_indirect table byte in MVP", []byte{0x11, 0x00, 0x01}, 0, "zero byte expected", 102},
		{"br_table count", []byte{0x0e, 0x10, 0x00}, wasm.Features2, "length out of bounds", 101},
		{"ref.null bad type", []byte{0xd0, 0x7f}, wasm.Features2, "malformed reference type", 101},
		{"block bad value type", []byte{0x02, 0x7a}, wasm.Features2, "malformed value type", 101},
		{"block negative index", []byte{0x02, 0xff, 0x7f}, wasm.Features2, "malformed block type", 101},
		{"truncated f64", []byte{0x44, 0, 0, 0}, wasm.Features2, "unexpected end", 104},
		{"select t bad type", []byte{0x1c, 0x01, 0x40}, wasm.Features2, "malformed value type", 102},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(t, tt.code, tt.features)
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("error %v, want *Error", err)
			}
			if !errors.Is(err, wasm.ErrMalformed) {
				t.Errorf("errors.Is(%v, ErrMalformed) = false", err)
			}
			if !strings.HasPrefix(de.Msg, tt.msg) {
				t.Errorf("message %q, want prefix %q", de.Msg, tt.msg)
			}
			if de.Offset != tt.offset {
				t.Errorf("offset %d, want %d", de.Offset, tt.offset)
			}
		})
	}
}

func TestInstrReaderMultiMemoryAndMemory64(t *testing.T) {
	f := wasm.Features2 | wasm.FeatureMultiMemory | wasm.FeatureMemory64
	code := []byte{
		0x28, 0x42, 0x03, 0x80, 0x80, 0x80, 0x80, 0x10, // i32.load memory 3 align 2 offset 1<<32
		0x3f, 0x02, // memory.size 2
		0xfc, 0x0a, 0x01, 0x02, // memory.copy 1 2
	}
	got, err := readAll(t, code, f)
	if err != nil {
		t.Fatal(err)
	}
	want := []wasm.Instr{
		{Op: wasm.OpI32Load, Offset: 100, Mem: wasm.MemArg{Align: 2, Offset: 1 << 32, Memory: 3}},
		{Op: wasm.OpMemorySize, Offset: 108, Index: 2},
		{Op: wasm.OpMemoryCopy, Offset: 110, Index: 1, Index2: 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instructions (-want +got):\n%s", diff)
	}
}

func TestInstrReaderEveryKnownOpcode(t *testing.T) {
	// Each opcode of the table, followed by zero immediates long enough
	// for any kind, must decode with every feature enabled, and with
	// Features2 exactly when it is a 2.0 instruction.
	later := 0
	for _, info := range wasm.OpInfos() {
		var code []byte
		if info.Op >= 0x100 {
			code = append(code, info.Op.Prefix(), byte(info.Op&0x7f)|0x80, byte(info.Op&0xffff>>7))
		} else {
			code = append(code, byte(info.Op))
		}
		switch info.Imm {
		case wasm.ImmBlockType, wasm.ImmTryTable:
			code = append(code, 0x40)
		case wasm.ImmHeapType:
			code = append(code, 0x70)
		case wasm.ImmBrOnCast:
			code = append(code, 0x00, 0x00, 0x70, 0x70)
		}
		code = append(code, make([]byte, 20)...)
		is20 := wasm.Features2.Has(opFeature(info.Op))
		for _, f := range []wasm.Features{^wasm.Features(0), wasm.Features2} {
			r := NewInstrReader(code, 0, f)
			var in wasm.Instr
			err := r.Next(&in)
			switch {
			case f == wasm.Features2 && !is20:
				later++
				if err == nil {
					t.Errorf("%s: decoded with Features2", info.Name)
				}
			case err != nil:
				t.Errorf("%s (%s): %v", info.Name, f, err)
			case in.Op != info.Op:
				t.Errorf("%s: decoded %v", info.Name, in.Op)
			}
		}
	}
	// Tail calls 2, typed references 5, exceptions 8, GC 32, relaxed
	// SIMD 20, threads 67.
	if later != 134 {
		t.Errorf("%d opcodes beyond 2.0, want 134", later)
	}
}
