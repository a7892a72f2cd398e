package wasm

import (
	"fmt"
	"strings"
)

// ValType is a value type.
//
// Number and vector types and the abstract nullable reference types of
// WebAssembly 2.0 are their one-byte binary codes (I32 = 0x7F, FuncRef = 0x70,
// ...). General reference types (function references, GC) are encoded as
// refTag | nullable<<8 | heap<<9, where heap is a HeapType; RefType builds
// them and canonicalises (ref null func) to FuncRef and (ref null extern) to
// ExternRef so that equal types compare equal with ==.
type ValType uint32

// Value types of WebAssembly 2.0.
const (
	I32       ValType = 0x7F
	I64       ValType = 0x7E
	F32       ValType = 0x7D
	F64       ValType = 0x7C
	V128      ValType = 0x7B
	FuncRef   ValType = 0x70
	ExternRef ValType = 0x6F
)

// refTag marks a general (non-abbreviated) reference type.
const refTag ValType = 0x64

// HeapType is an abstract heap type (negative, the binary code minus 0x80) or
// a non-negative type index of a concrete heap type.
type HeapType int32

// Abstract heap types: their binary codes minus 0x80.
const (
	HeapFunc     HeapType = 0x70 - 0x80
	HeapExtern   HeapType = 0x6F - 0x80
	HeapAny      HeapType = 0x6E - 0x80 // GC
	HeapEq       HeapType = 0x6D - 0x80 // GC
	HeapI31      HeapType = 0x6C - 0x80 // GC
	HeapStruct   HeapType = 0x6B - 0x80 // GC
	HeapArray    HeapType = 0x6A - 0x80 // GC
	HeapExn      HeapType = 0x69 - 0x80 // exception handling
	HeapNone     HeapType = 0x71 - 0x80 // GC: bottom of any
	HeapNoExtern HeapType = 0x72 - 0x80 // GC: bottom of extern
	HeapNoFunc   HeapType = 0x73 - 0x80 // GC: bottom of func
	HeapNoExn    HeapType = 0x74 - 0x80 // exception handling: bottom of exn
)

// abstractHeapNames are the text names of the abstract heap types.
var abstractHeapNames = map[HeapType]string{
	HeapFunc: "func", HeapExtern: "extern", HeapAny: "any", HeapEq: "eq", HeapI31: "i31",
	HeapStruct: "struct", HeapArray: "array", HeapExn: "exn", HeapNone: "none",
	HeapNoExtern: "noextern", HeapNoFunc: "nofunc", HeapNoExn: "noexn",
}

// nullShorthands are the text names of the nullable bottom types.
var nullShorthands = map[HeapType]string{
	HeapNone: "nullref", HeapNoExtern: "nullexternref", HeapNoFunc: "nullfuncref", HeapNoExn: "nullexnref",
}

// IsAbstract reports whether h is one of the abstract heap types.
func (h HeapType) IsAbstract() bool {
	_, ok := abstractHeapNames[h]
	return ok
}

// ExnRef is the nullable exception reference type, exnref.
var ExnRef = RefType(true, HeapExn)

// RefType returns the reference type (ref null? heap).
func RefType(nullable bool, heap HeapType) ValType {
	if nullable {
		switch heap {
		case HeapFunc:
			return FuncRef
		case HeapExtern:
			return ExternRef
		}
	}
	t := refTag | ValType(uint32(heap)<<9)
	if nullable {
		t |= 1 << 8
	}
	return t
}

// IsNum reports whether t is a number type.
func (t ValType) IsNum() bool { return t == I32 || t == I64 || t == F32 || t == F64 }

// IsRef reports whether t is a reference type.
func (t ValType) IsRef() bool { return t == FuncRef || t == ExternRef || t&0xFF == refTag }

// Nullable reports whether a reference type admits null.
func (t ValType) Nullable() bool {
	if t == FuncRef || t == ExternRef {
		return true
	}
	return t&0xFF == refTag && t&(1<<8) != 0
}

// Heap returns the heap type of a reference type.
func (t ValType) Heap() HeapType {
	switch t {
	case FuncRef:
		return HeapFunc
	case ExternRef:
		return HeapExtern
	}
	return HeapType(int32(t) >> 9)
}

// String returns the text-format name of t.
func (t ValType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	case V128:
		return "v128"
	case FuncRef:
		return "funcref"
	case ExternRef:
		return "externref"
	case PackedI8:
		return "i8"
	case PackedI16:
		return "i16"
	}
	if t&0xFF == refTag {
		if h := t.Heap(); t.Nullable() && h.IsAbstract() {
			if short, ok := nullShorthands[h]; ok {
				return short
			}
			return h.String() + "ref" // anyref, eqref, exnref, ...
		}
		null := ""
		if t.Nullable() {
			null = "null "
		}
		return fmt.Sprintf("(ref %s%s)", null, t.Heap())
	}
	return fmt.Sprintf("valtype(%#x)", uint32(t))
}

// String returns the text-format name of h.
func (h HeapType) String() string {
	if name, ok := abstractHeapNames[h]; ok {
		return name
	}
	if h >= 0 {
		return fmt.Sprint(int32(h))
	}
	return fmt.Sprintf("heaptype(%d)", int32(h))
}

// Packed storage types of struct fields and array elements (GC). They are
// not value types: they are read as i32 (extended) and written truncated.
const (
	PackedI8  ValType = 0x78
	PackedI16 ValType = 0x77
)

// IsPacked reports whether a storage type is one of the packed types.
func (t ValType) IsPacked() bool { return t == PackedI8 || t == PackedI16 }

// Unpacked returns the value type a storage type is read as: i32 for the
// packed types, t itself otherwise.
func (t ValType) Unpacked() ValType {
	if t.IsPacked() {
		return I32
	}
	return t
}

// ByteSize is the number of bytes a numeric or packed storage type takes
// in linear memory and in GC objects' byte storage (little endian,
// unpadded); 0 for reference types, which have no byte representation.
func (t ValType) ByteSize() int {
	switch t {
	case PackedI8:
		return 1
	case PackedI16:
		return 2
	case I32, F32:
		return 4
	case I64, F64:
		return 8
	case V128:
		return 16
	}
	return 0
}

// CompositeKind says what a defined type describes.
type CompositeKind byte

// Composite type kinds.
const (
	CompFunc   CompositeKind = iota // a function signature (Module.Types)
	CompStruct                      // a struct with Fields
	CompArray                       // an array of Fields[0]
)

// FieldType is the type of a struct field or array element: a value type or
// a packed type, and its mutability.
type FieldType struct {
	Type    ValType
	Mutable bool
}

// SubType is a type definition of the GC type system: a composite type with
// its declared supertypes and whether it is final, and the recursion group
// it belongs to. Plain WebAssembly 2.0 function types are final function
// types without supertypes, each in a group of its own.
type SubType struct {
	Kind  CompositeKind
	Final bool
	// Supers holds the type indices of the declared supertypes (at most
	// one is valid).
	Supers []uint32
	// Fields are the fields of a struct, or the single element type of an
	// array; nil for function types (see Module.Types).
	Fields []FieldType
	// RecStart and RecSize locate the recursion group: type indices
	// RecStart to RecStart+RecSize-1.
	RecStart, RecSize uint32
}

// FuncType is a function signature.
type FuncType struct {
	Params  []ValType
	Results []ValType
}

// Equal reports whether two function types are the same.
func (f *FuncType) Equal(g *FuncType) bool {
	if len(f.Params) != len(g.Params) || len(f.Results) != len(g.Results) {
		return false
	}
	for i, p := range f.Params {
		if g.Params[i] != p {
			return false
		}
	}
	for i, r := range f.Results {
		if g.Results[i] != r {
			return false
		}
	}
	return true
}

// String renders the type in text-format style: (func (param i32) (result i64)).
func (f *FuncType) String() string {
	var b strings.Builder
	b.WriteString("(func")
	if len(f.Params) > 0 {
		b.WriteString(" (param")
		for _, p := range f.Params {
			b.WriteString(" " + p.String())
		}
		b.WriteString(")")
	}
	if len(f.Results) > 0 {
		b.WriteString(" (result")
		for _, r := range f.Results {
			b.WriteString(" " + r.String())
		}
		b.WriteString(")")
	}
	b.WriteString(")")
	return b.String()
}

// Limits bounds the size of a memory (in pages) or table (in elements).
type Limits struct {
	Min    uint64
	Max    uint64
	HasMax bool
}

// TableType describes a table.
type TableType struct {
	Elem   ValType // a reference type
	Limits Limits
	Is64   bool // table64 (memory64 proposal)
}

// MemoryType describes a linear memory; sizes are in pages of PageSize bytes.
type MemoryType struct {
	Limits Limits
	Shared bool // threads proposal
	Is64   bool // memory64 proposal
}

// PageSize is the size of a WebAssembly memory page.
const PageSize = 65536

// MaxPages32 is the largest page count of a 32-bit memory (4 GiB).
const MaxPages32 = 65536

// TagType describes an exception tag: the index of a function type whose
// parameters are the exception's values (its results must be empty).
type TagType struct {
	TypeIndex uint32
}

// GlobalType describes a global variable.
type GlobalType struct {
	Type    ValType
	Mutable bool
}

// ExternKind says what an import or export refers to.
type ExternKind byte

// External kinds, with their binary codes.
const (
	ExternFunc   ExternKind = 0x00
	ExternTable  ExternKind = 0x01
	ExternMemory ExternKind = 0x02
	ExternGlobal ExternKind = 0x03
	ExternTag    ExternKind = 0x04 // exception handling
)

// String returns the text-format keyword for k.
func (k ExternKind) String() string {
	switch k {
	case ExternFunc:
		return "func"
	case ExternTable:
		return "table"
	case ExternMemory:
		return "memory"
	case ExternGlobal:
		return "global"
	case ExternTag:
		return "tag"
	}
	return fmt.Sprintf("externkind(%#x)", byte(k))
}

// BlockType is the type of a block, loop or if: empty, a single result type,
// or an index into the type section (multi-value).
type BlockType struct {
	Kind  BlockKind
	Val   ValType // when Kind == BlockValue
	Index uint32  // when Kind == BlockTypeIndex
}

// BlockKind distinguishes the three block type encodings.
type BlockKind byte

// Block type encodings.
const (
	BlockEmpty BlockKind = iota
	BlockValue
	BlockTypeIndex
)
