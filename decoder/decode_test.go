package decoder

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/kilnrt/kiln/wasm"
)

// fullModule uses every section of the 2.0 binary format.
func fullModule() []byte {
	i32Const := func(v byte) []byte { return []byte{0x41, v, 0x0b} }
	return module(
		section(0, str("first"), []byte{1, 2, 3}),
		section(1, vec(
			[]byte{0x60, 0, 0},
			cat([]byte{0x60}, vec([]byte{0x7f}, []byte{0x7e}), vec([]byte{0x7b})),
		)),
		section(2, vec(
			cat(str("env"), str("f"), []byte{0x00, 0x01}),
			cat(str("env"), str("t"), []byte{0x01, 0x6f, 0x01, 0x02, 0x03}),
			cat(str("env"), str("m"), []byte{0x02, 0x00, 0x05}),
			cat(str("env"), str("g"), []byte{0x03, 0x7d, 0x01}),
		)),
		section(3, vec([]byte{0}, []byte{1})),
		section(4, vec([]byte{0x70, 0x00, 0x0a})),
		section(5, vec([]byte{0x01, 0x01, 0x02})),
		section(6, vec(cat([]byte{0x7f, 0x00}, i32Const(7)), cat([]byte{0x70, 0x01}, []byte{0xd0, 0x70, 0x0b}))),
		section(7, vec(cat(str("run"), []byte{0x00, 0x01}), cat(str("mem"), []byte{0x02, 0x01}))),
		section(8, u32(1)),
		section(9, vec(
			cat([]byte{0x00}, i32Const(0), vec([]byte{1}, []byte{2})),
			cat([]byte{0x01, 0x00}, vec([]byte{1})),
			cat([]byte{0x02}, u32(1), i32Const(3), []byte{0x00}, vec()),
			cat([]byte{0x03, 0x00}, vec([]byte{2})),
			cat([]byte{0x05, 0x6f}, vec([]byte{0xd0, 0x6f, 0x0b})),
			cat([]byte{0x06}, u32(1), i32Const(4), []byte{0x70}, vec([]byte{0xd2, 0x01, 0x0b})),
		)),
		section(12, u32(3)),
		section(10, vec(
			body(vec(), 0x0b),
			body(vec([]byte{0x02, 0x7f}, []byte{0x01, 0x7c}),
				0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b),
		)),
		section(11, vec(
			cat([]byte{0x00}, i32Const(8), str("hi")),
			cat([]byte{0x01}, str("passive")),
			cat([]byte{0x02}, u32(1), i32Const(9), str("")),
		)),
		section(0, str("name"),
			section(0, str("mod")),
			section(1, vec(cat(u32(1), str("imported")), cat(u32(2), str("run")))),
			section(2, vec(cat(u32(2), vec(cat(u32(0), str("x")), cat(u32(2), str("y")))))),
		),
	)
}

func TestDecodeFullModule(t *testing.T) {
	bin := fullModule()
	m, err := Decode(bin, wasm.Features2)
	if err != nil {
		t.Fatal(err)
	}
	// Expressions, bodies and payloads alias bin at their recorded offsets.
	aliased := func(what string, b []byte, off int) {
		t.Helper()
		if off < 0 || off+len(b) > len(bin) || !bytes.Equal(bin[off:off+len(b)], b) {
			t.Errorf("%s: %x is not at offset %d", what, b, off)
		}
	}
	for i, g := range m.Globals {
		aliased("global init", g.Init.Code, g.Init.Offset)
		m.Globals[i].Init.Offset = 0
	}
	for i := range m.Elems {
		e := &m.Elems[i]
		if e.Mode == wasm.SegmentActive {
			aliased("elem offset", e.Offset.Code, e.Offset.Offset)
			e.Offset.Offset = 0
		}
		for j := range e.Exprs {
			aliased("elem expr", e.Exprs[j].Code, e.Exprs[j].Offset)
			e.Exprs[j].Offset = 0
		}
	}
	for i := range m.Data {
		s := &m.Data[i]
		if s.Mode == wasm.SegmentActive {
			aliased("data offset", s.Offset.Code, s.Offset.Offset)
			s.Offset.Offset = 0
		}
	}
	for i := range m.Codes {
		aliased("body", m.Codes[i].Body, m.Codes[i].BodyOffset)
		m.Codes[i].BodyOffset = 0
	}
	for i := range m.Customs {
		aliased("custom", m.Customs[i].Data, m.Customs[i].Offset)
		m.Customs[i].Offset = 0
	}
	i32Const := func(v byte) wasm.ConstExpr { return wasm.ConstExpr{Code: []byte{0x41, v, 0x0b}} }
	want := &wasm.Module{
		SubTypes: []wasm.SubType{{Final: true, RecSize: 1}, {Final: true, RecStart: 1, RecSize: 1}},
		Types: []wasm.FuncType{
			{},
			{Params: []wasm.ValType{wasm.I32, wasm.I64}, Results: []wasm.ValType{wasm.V128}},
		},
		Imports: []wasm.Import{
			{Module: "env", Name: "f", Kind: wasm.ExternFunc, TypeIndex: 1},
			{Module: "env", Name: "t", Kind: wasm.ExternTable, Table: wasm.TableType{Elem: wasm.ExternRef, Limits: wasm.Limits{Min: 2, Max: 3, HasMax: true}}},
			{Module: "env", Name: "m", Kind: wasm.ExternMemory, Mem: wasm.MemoryType{Limits: wasm.Limits{Min: 5}}},
			{Module: "env", Name: "g", Kind: wasm.ExternGlobal, Global: wasm.GlobalType{Type: wasm.F32, Mutable: true}},
		},
		Funcs:  []uint32{0, 1},
		Tables: []wasm.TableType{{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 10}}},
		Mems:   []wasm.MemoryType{{Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true}}},
		Globals: []wasm.Global{
			{Type: wasm.GlobalType{Type: wasm.I32}, Init: i32Const(7)},
			{Type: wasm.GlobalType{Type: wasm.FuncRef, Mutable: true}, Init: wasm.ConstExpr{Code: []byte{0xd0, 0x70, 0x0b}}},
		},
		Exports: []wasm.Export{
			{Name: "run", Kind: wasm.ExternFunc, Index: 1},
			{Name: "mem", Kind: wasm.ExternMemory, Index: 1},
		},
		Start: 1, HasStart: true,
		Elems: []wasm.ElemSegment{
			{Mode: wasm.SegmentActive, Offset: i32Const(0), Type: wasm.FuncRef, FuncIndices: []uint32{1, 2}},
			{Mode: wasm.SegmentPassive, Type: wasm.FuncRef, FuncIndices: []uint32{1}},
			{Mode: wasm.SegmentActive, Table: 1, Offset: i32Const(3), Type: wasm.FuncRef, FuncIndices: []uint32{}},
			{Mode: wasm.SegmentDeclarative, Type: wasm.FuncRef, FuncIndices: []uint32{2}},
			{Mode: wasm.SegmentPassive, Type: wasm.ExternRef, Exprs: []wasm.ConstExpr{{Code: []byte{0xd0, 0x6f, 0x0b}}}},
			{Mode: wasm.SegmentActive, Table: 1, Offset: i32Const(4), Type: wasm.FuncRef, Exprs: []wasm.ConstExpr{{Code: []byte{0xd2, 0x01, 0x0b}}}},
		},
		Codes: []wasm.Code{
			{Body: []byte{0x0b}},
			{
				Locals:    []wasm.LocalRun{{Count: 2, Type: wasm.I32}, {Count: 1, Type: wasm.F64}},
				NumLocals: 3,
				Body:      []byte{0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b},
			},
		},
		Data: []wasm.DataSegment{
			{Mode: wasm.SegmentActive, Offset: i32Const(8), Init: []byte("hi")},
			{Mode: wasm.SegmentPassive, Init: []byte("passive")},
			{Mode: wasm.SegmentActive, Memory: 1, Offset: i32Const(9), Init: []byte{}},
		},
		DataCount: 3, HasDataCount: true,
		Customs: []wasm.CustomSection{
			{Name: "first", Data: []byte{1, 2, 3}},
			{Name: "name", Data: m.Customs[1].Data},
		},
		Names: &wasm.Names{
			Module: "mod",
			Funcs:  map[uint32]string{1: "imported", 2: "run"},
			Locals: map[uint32]map[uint32]string{2: {0: "x", 2: "y"}},
		},
		NumImportedFuncs: 1, NumImportedTables: 1, NumImportedMems: 1, NumImportedGlobals: 1,
	}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("module (-want +got):\n%s", diff)
	}
}

// wantMalformed checks that err is a decoding error with the given message
// prefix.
func wantMalformed(t *testing.T, err error, msg string) *Error {
	t.Helper()
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v, want *Error %q", err, msg)
	}
	if !errors.Is(err, wasm.ErrMalformed) {
		t.Errorf("errors.Is(%v, wasm.ErrMalformed) is false", err)
	}
	if !strings.HasPrefix(de.Msg, msg) {
		t.Errorf("message %q, want %q", de.Msg, msg)
	}
	if !strings.Contains(err.Error(), de.Msg) {
		t.Errorf("Error() %q does not contain the message", err.Error())
	}
	return de
}

func TestDecodeErrors(t *testing.T) {
	typ := section(1, vec([]byte{0x60, 0, 0}))
	fn := section(3, vec([]byte{0}))
	code := func(instrs ...byte) []byte { return section(10, vec(body(vec(), instrs...))) }
	mem := section(5, vec([]byte{0, 1}))
	tests := []struct {
		name   string
		bin    []byte
		msg    string
		offset int
	}{
		{"empty", nil, "unexpected end", 0},
		{"short magic", []byte("\x00as"), "unexpected end", 3},
		{"bad magic", []byte("\x00asn\x01\x00\x00\x00"), "magic header not detected", 0},
		{"short version", []byte("\x00asm\x01\x00"), "unexpected end", 6},
		{"bad version", []byte("\x00asm\x02\x00\x00\x00"), "unknown binary version", 4},
		{"section id", module([]byte{13, 0}), "malformed section id", 8},
		{"section order", module(fn, typ), "unexpected content after last section", 12},
		{"duplicate section", module(typ, typ), "unexpected content after last section", 14},
		{"section too long", module([]byte{1, 5, 0}), "length out of bounds", 9},
		{"section size mismatch", module(section(1, vec(), []byte{0})), "section size mismatch", 10},
		{"type form", module(section(1, vec([]byte{0x61, 0, 0}))), "malformed function type", 11},
		{"value type", module(section(1, vec([]byte{0x60, 1, 0x7a, 0}))), "malformed value type", 13},
		{"count out of bounds", module(section(1, u32(100))), "length out of bounds", 10},
		{"truncated section", module(section(1, vec([]byte{0x60, 1}))), "unexpected end", 13},
		{"import kind", module(section(2, vec(cat(str("a"), str("b"), []byte{0x05, 0})))), "malformed import kind", 15},
		{"import name utf8", module(section(2, vec(cat(str("a"), str("\xff"), []byte{0x00, 0})))), "malformed UTF-8 encoding", 13},
		{"export kind", module(section(7, vec(cat(str("a"), []byte{0x04, 0})))), "malformed export kind", 13},
		{"mutability", module(section(6, vec([]byte{0x7f, 0x02, 0x41, 0, 0x0b}))), "malformed mutability", 12},
		{"limits flags", module(section(5, vec([]byte{0x02, 0}))), "integer too large", 11},
		{"limits flags long", module(section(5, vec([]byte{0x81, 0, 0}))), "integer representation too long", 11},
		{"shared memory without threads", module(section(5, vec([]byte{0x03, 1, 1}))), "integer too large", 11},
		{"table elem type", module(section(4, vec([]byte{0x7f, 0, 0}))), "malformed reference type", 11},
		{"elem kind", module(section(9, vec([]byte{0x08}))), "malformed elements segment kind", 11},
		{"elem element kind", module(section(9, vec([]byte{0x01, 0x01, 0x00}))), "malformed element kind", 12},
		{"data kind", module(section(11, vec([]byte{0x03}))), "malformed data segment kind", 11},
		{"data length out of bounds", module(section(11, vec([]byte{0x01, 0x05, 'a'}))), "length out of bounds", 12},
		{"data too long", module(section(11, vec([]byte{0x01, 0x03, 'a', 'b'}))), "unexpected end", 15},
		{"custom section past input", module([]byte{0, 3, 1, 'a'}), "unexpected end", 12},
		{"const expr missing end", module(section(6, vec([]byte{0x7f, 0x00, 0x41, 0x00}))), "unexpected end", 15},
		// Like the reference interpreter, an expression is read past its
		// section: a following data section's id (0x0b) reads as end and the
		// section overruns its size; an export section's id (0x07) is an
		// illegal opcode in 2.0.
		{"const expr ends in next section", module(section(6, vec([]byte{0x7f, 0x00, 0x41, 0x05})), section(11, vec())), "section size mismatch", 10},
		{"const expr runs into next section", module(section(6, vec([]byte{0x7f, 0x00, 0x41, 0x05})), section(7, vec())), "illegal opcode 07", 15},
		{"function without code", module(typ, fn), "function and code section have inconsistent lengths", 18},
		{"code without function", module(typ, code(0x0b)), "function and code section have inconsistent lengths", 20},
		{"data count mismatch", module(mem, section(12, u32(1))), "data count and data section have inconsistent lengths", 16},
		{"data count required", module(typ, fn, mem, code(0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x08, 0, 0, 0x0b)), "data count section required", 39},
		{"data.drop needs data count", module(typ, fn, code(0xfc, 0x09, 0, 0x0b)), "data count section required", 27},
		{"too many locals", module(typ, fn, section(10, vec(body(vec(cat(u32(0xffffffff), []byte{0x7f}), cat(u32(1), []byte{0x7f})), 0x0b)))), "too many locals", 22},
		{"local count too large", module(typ, fn, section(10, vec(body(vec([]byte{0x80, 0x80, 0x80, 0x80, 0x10, 0x7f}), 0x0b)))), "integer too large", 27},
		{"body missing end", module(typ, fn, code(0x01)), "unexpected end", 24},
		{"body end before size", module(typ, fn, section(10, vec(cat(u32(3), []byte{0, 0x0b, 0x01})))), "section size mismatch", 22},
		{"misplaced else", module(typ, fn, code(0x02, 0x40, 0x05, 0x0b, 0x0b)), "END opcode expected", 25},
		{"second else", module(typ, fn, code(0x41, 0, 0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b)), "END opcode expected", 28},
		{"illegal opcode", module(typ, fn, code(0xff, 0x0b)), "illegal opcode ff", 23},
		{"custom name past section", module([]byte{0, 1, 5}, []byte("abcde")), "unexpected end", 11},
		{"custom name utf8", module(section(0, str("\xc0\x80"))), "malformed UTF-8 encoding", 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode(tt.bin, wasm.Features2)
			if err == nil {
				t.Fatalf("decoded %+v, want error %q", m, tt.msg)
			}
			de := wantMalformed(t, err, tt.msg)
			if de.Offset != tt.offset {
				t.Errorf("offset %d, want %d (%v)", de.Offset, tt.offset, err)
			}
		})
	}
}

func TestDataIndexInConstExprNeedsNoDataCount(t *testing.T) {
	// Only function bodies require the data count section; a data.drop in
	// a global initializer is the validator's business (not constant).
	bin := module(section(6, vec([]byte{0x7f, 0x00, 0xfc, 0x09, 0x00, 0x0b})))
	if _, err := Decode(bin, wasm.Features2); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeFeatureGates(t *testing.T) {
	tests := []struct {
		name string
		bin  []byte
		msg  string
	}{
		{"data count section", module(section(12, u32(0))), "malformed section id"},
		{"passive data", module(section(11, vec(cat([]byte{0x01}, str(""))))), "malformed data segment kind"},
		{"passive elem", module(section(9, vec(cat([]byte{0x01, 0x00}, vec())))), "malformed elements segment kind"},
		{"v128 param", module(section(1, vec([]byte{0x60, 1, 0x7b, 0}))), "malformed value type"},
		{"externref table", module(section(4, vec([]byte{0x6f, 0, 0}))), "malformed reference type"},
		{"multi-value block", simpleModule(0x02, 0x00, 0x0b, 0x0b), "malformed block type"},
		{"simd opcode", simpleModule(0x41, 0, 0xfd, 0x0f, 0x1a, 0x0b), "illegal opcode fd 0f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.bin, wasm.Features2); err != nil {
				t.Fatalf("rejected with 2.0 features: %v", err)
			}
			_, err := Decode(tt.bin, 0)
			wantMalformed(t, err, tt.msg)
		})
	}
}

func TestDecodeLaterFeatures(t *testing.T) {
	f := wasm.Features2 | wasm.FeatureThreads | wasm.FeatureMemory64 | wasm.FeatureFunctionReferences
	bin := module(
		section(1, vec([]byte{0x60, 1, 0x63, 0x00, 1, 0x64, 0x70})),
		section(4, vec([]byte{0x70, 0x04, 0x80, 0x80, 0x80, 0x80, 0x10})),
		section(5, vec([]byte{0x03, 1, 2}, []byte{0x05, 0x80, 0x80, 0x80, 0x80, 0x10, 0x80, 0x80, 0x80, 0x80, 0x20})),
	)
	m, err := Decode(bin, f)
	if err != nil {
		t.Fatal(err)
	}
	want := &wasm.Module{
		Types:    []wasm.FuncType{{Params: []wasm.ValType{wasm.RefType(true, 0)}, Results: []wasm.ValType{wasm.RefType(false, wasm.HeapFunc)}}},
		SubTypes: []wasm.SubType{{Final: true, RecSize: 1}},
		Tables:   []wasm.TableType{{Elem: wasm.FuncRef, Is64: true, Limits: wasm.Limits{Min: 1 << 32}}},
		Mems: []wasm.MemoryType{
			{Shared: true, Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true}},
			{Is64: true, Limits: wasm.Limits{Min: 1 << 32, Max: 2 << 32, HasMax: true}},
		},
	}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("module (-want +got):\n%s", diff)
	}
	if _, err := Decode(bin, wasm.Features2); err == nil {
		t.Error("decoded later-proposal encodings with 2.0 features")
	}
}

func TestNameSection(t *testing.T) {
	named := func(subsections ...[]byte) *wasm.Names {
		t.Helper()
		m, err := Decode(module(section(0, str("name"), cat(subsections...))), wasm.Features2)
		if err != nil {
			t.Fatalf("a name section must never make the module malformed: %v", err)
		}
		return m.Names
	}
	got := named(section(1, vec(cat(u32(0), str("a")))), section(7, []byte{1, 2, 3}))
	if diff := cmp.Diff(&wasm.Names{Funcs: map[uint32]string{0: "a"}}, got); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	malformed := map[string][]byte{
		"truncated":        section(1, u32(3)),
		"bad utf8":         section(0, str("\xff")),
		"out of order":     cat(section(1, vec()), section(0, str("m"))),
		"trailing bytes":   section(0, str("m"), []byte{0}),
		"size past end":    {0x00, 0x05, 0x00},
		"bad local map":    section(2, vec(cat(u32(0), u32(9)))),
		"duplicate module": cat(section(0, str("m")), section(0, str("m"))),
	}
	for name, payload := range malformed {
		if got := named(payload); got != nil {
			t.Errorf("%s: names %+v, want nil", name, got)
		}
	}
}

func TestSections(t *testing.T) {
	bin := fullModule()
	hs, err := Sections(bin)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, h := range hs {
		k := h.Kind()
		if h.Name != "" {
			k += ":" + h.Name
		}
		kinds = append(kinds, k)
		if h.PayloadOffset+h.Size > len(bin) || h.Offset >= h.PayloadOffset {
			t.Errorf("%s: bad framing %+v", k, h)
		}
	}
	want := []string{"custom:first", "type", "import", "function", "table", "memory", "global",
		"export", "start", "element", "datacount", "code", "data", "custom:name"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	if _, err := Sections(module([]byte{1, 9})); err == nil {
		t.Error("Sections accepted a section running past the input")
	}
}

// TestDecodeNoPanicOnTruncation decodes every prefix of a full module:
// each must fail cleanly (the only complete module is the whole input).
func TestDecodeNoPanicOnTruncation(t *testing.T) {
	bin := fullModule()
	for n := 0; n < len(bin); n++ {
		m, err := Decode(bin[:n:n], wasm.Features2)
		if err == nil {
			// A prefix ending on a section boundary is a valid module of
			// its own, except when it breaks a cross-section rule.
			if _, serr := Sections(bin[:n]); serr != nil {
				t.Errorf("prefix %d decoded (%d types) though its framing is broken", n, len(m.Types))
			}
			continue
		}
		if !errors.Is(err, wasm.ErrMalformed) {
			t.Errorf("prefix %d: %v is not ErrMalformed", n, err)
		}
	}
}

// TestHostileCountsAllocateLittle declares counts as large as the input
// allows, with contents that fail at once: decoding must not reserve memory
// for the declared elements.
func TestHostileCountsAllocateLittle(t *testing.T) {
	const size = 1 << 20
	payload := bytes.Repeat([]byte{0xff}, size) // every section's first element is malformed
	for _, id := range []byte{1, 2, 3, 4, 5, 6, 7, 9, 10, 11} {
		bin := module(section(id, u32(size-8), payload))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Decode(bin, wasm.Features2)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("section %d: decoded", id)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*size {
			t.Errorf("section %d: allocated %d bytes for a %d-byte input", id, alloc, len(bin))
		}
	}
}

func TestDecodeGCAndExceptions(t *testing.T) {
	bin := module(
		section(1, vec(
			cat([]byte{0x4E}, vec(
				[]byte{0x50, 0x00, 0x5F, 0x01, 0x7F, 0x01}, // sub (struct (field (mut i32)))
				[]byte{0x4F, 0x01, 0x00, 0x5E, 0x78, 0x00}, // sub final 0 (array i8)
			)),
			[]byte{0x60, 0x01, 0x69, 0x00}, // (func (param exnref))
		)),
		section(2, vec(cat(str("m"), str("t"), []byte{0x04, 0x00, 0x02}))),
		section(4, vec([]byte{0x40, 0x00, 0x64, 0x70, 0x00, 0x01, 0xD2, 0x00, 0x0B})),
		section(13, vec([]byte{0x00, 0x02})),
		section(7, vec(cat(str("e"), []byte{0x04, 0x01}))),
	)
	m, err := Decode(bin, wasm.Features3)
	if err != nil {
		t.Fatal(err)
	}
	want := &wasm.Module{
		Types: []wasm.FuncType{{}, {}, {Params: []wasm.ValType{wasm.ExnRef}}},
		SubTypes: []wasm.SubType{
			{Kind: wasm.CompStruct, Supers: nil, Fields: []wasm.FieldType{{Type: wasm.I32, Mutable: true}}, RecStart: 0, RecSize: 2},
			{Kind: wasm.CompArray, Final: true, Supers: []uint32{0}, Fields: []wasm.FieldType{{Type: wasm.PackedI8}}, RecStart: 0, RecSize: 2},
			{Final: true, RecStart: 2, RecSize: 1},
		},
		Imports:         []wasm.Import{{Module: "m", Name: "t", Kind: wasm.ExternTag, TypeIndex: 2}},
		NumImportedTags: 1,
		Tables:          []wasm.TableType{{Elem: wasm.RefType(false, wasm.HeapFunc), Limits: wasm.Limits{Min: 1}}},
		TableInits:      []wasm.ConstExpr{{Code: []byte{0xD2, 0x00, 0x0B}, Offset: 0}},
		Tags:            []wasm.TagType{{TypeIndex: 2}},
		Exports:         []wasm.Export{{Name: "e", Kind: wasm.ExternTag, Index: 1}},
	}
	if diff := cmp.Diff(want, m, cmpopts.IgnoreFields(wasm.ConstExpr{}, "Offset")); diff != "" {
		t.Errorf("module (-want +got):\n%s", diff)
	}
	for _, f := range []wasm.Features{wasm.Features2, wasm.Features2 | wasm.FeatureFunctionReferences} {
		if _, err := Decode(bin, f); err == nil {
			t.Errorf("decoded GC and exception encodings with features %s", f)
		}
	}
}
