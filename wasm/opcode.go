package wasm

import "fmt"

// Opcode identifies an instruction. One-byte opcodes are their byte; prefixed
// opcodes (0xFC, 0xFD, and later 0xFB, 0xFE) are prefix<<16 | sub-opcode.
type Opcode uint32

// Opcode prefixes.
const (
	PrefixMisc   Opcode = 0xFC // saturating truncation, bulk memory, tables
	PrefixSIMD   Opcode = 0xFD
	PrefixGC     Opcode = 0xFB // garbage collection: structs, arrays, casts, i31
	PrefixAtomic Opcode = 0xFE // threads: atomic memory accesses
)

// Prefix returns the prefix byte of a prefixed opcode, or 0.
func (op Opcode) Prefix() byte { return byte(op >> 16) }

// ImmKind says which immediates follow an opcode in the binary format.
type ImmKind byte

// Immediate kinds.
const (
	ImmNone         ImmKind = iota
	ImmBlockType            // block type
	ImmLabel                // label index
	ImmBrTable              // vector of labels and a default label
	ImmFunc                 // function index
	ImmCallIndirect         // type index, table index
	ImmLocal                // local index
	ImmGlobal               // global index
	ImmTable                // table index
	ImmMemArg               // alignment, offset (and memory index with multi-memory)
	ImmMemory               // memory index (a zero byte in 2.0)
	ImmI32                  // signed LEB128 i32
	ImmI64                  // signed LEB128 i64
	ImmF32                  // 4 bytes
	ImmF64                  // 8 bytes
	ImmV128                 // 16 bytes
	ImmShuffle              // 16 lane indices
	ImmLane                 // one lane index byte
	ImmMemArgLane           // memarg and lane index
	ImmSelectT              // vector of value types
	ImmHeapType             // heap type
	ImmMemoryInit           // data index, memory index
	ImmData                 // data index
	ImmMemoryCopy           // destination memory, source memory
	ImmTableInit            // element index, table index
	ImmElem                 // element index
	ImmTableCopy            // destination table, source table
	ImmTag                  // tag index (exception handling)
	ImmTryTable             // block type and a vector of catch clauses
	ImmType                 // type index (call_ref, struct.new, array.get, ...)
	ImmField                // type index and field index (struct.get/set)
	ImmArrayFixed           // type index and element count (array.new_fixed)
	ImmTypeData             // type index and data index (array.new_data, array.init_data)
	ImmTypeElem             // type index and element index (array.new_elem, array.init_elem)
	ImmTypeType             // destination and source array type indices (array.copy)
	ImmBrOnCast             // cast flags, label, source and target heap types
	ImmZeroByte             // one reserved zero byte (atomic.fence)
)

// OpInfo is the static description of an opcode.
type OpInfo struct {
	Op   Opcode
	Name string // text-format name
	Imm  ImmKind
	// Fixed is set when the instruction always pops In and pushes Out;
	// otherwise the validator types it specially (control, variables,
	// parametric and reference instructions, calls, tables).
	Fixed bool
	In    []ValType
	Out   []ValType
	// Size is the natural access size in bytes of a memory instruction;
	// its maximum alignment exponent is log2(Size).
	Size int
}

// firstPrefix is the lowest prefix byte (PrefixGC); the prefixes are
// consecutive.
const firstPrefix = PrefixGC

// opTables gives direct access to every opcode's description, for the
// decoder's and validator's per-instruction lookups: one-byte opcodes by
// their byte, prefixed opcodes by prefix and sub-opcode.
var opTables = func() (t struct {
	bytes    [256]*OpInfo
	prefixed [PrefixAtomic - firstPrefix + 1][]*OpInfo
}) {
	for i := range opInfos {
		op := opInfos[i].Op
		if op < 0x100 {
			t.bytes[op] = &opInfos[i]
			continue
		}
		ops := &t.prefixed[op>>16-firstPrefix]
		sub := int(op & 0xFFFF)
		for len(*ops) <= sub {
			*ops = append(*ops, nil)
		}
		(*ops)[sub] = &opInfos[i]
	}
	return t
}()

// Info returns the static description of op, or nil if op is unknown.
func (op Opcode) Info() *OpInfo {
	if op < 0x100 {
		return opTables.bytes[op]
	}
	p := op>>16 - firstPrefix // wraps around below firstPrefix
	if p >= Opcode(len(opTables.prefixed)) {
		return nil
	}
	ops := opTables.prefixed[p]
	if sub := op & 0xFFFF; sub < Opcode(len(ops)) {
		return ops[sub]
	}
	return nil
}

// String returns the text-format name of op.
func (op Opcode) String() string {
	if info := op.Info(); info != nil {
		return info.Name
	}
	if op >= 0x100 {
		return fmt.Sprintf("opcode(%#x %#x)", op>>16, op&0xFFFF)
	}
	return fmt.Sprintf("opcode(%#x)", uint32(op))
}

// OpInfos returns the table of every known opcode. The slice must not be
// modified.
func OpInfos() []OpInfo { return opInfos[:] }

// MemArg is the immediate of a load or store.
type MemArg struct {
	// Align is the alignment exponent (log2 of the promised alignment).
	Align  uint32
	Offset uint64
	Memory uint32
}

// Instr is one decoded instruction with its immediates. Which fields are
// meaningful depends on Op.Info().Imm.
type Instr struct {
	Op Opcode
	// Offset is the instruction's position in the module binary.
	Offset int

	Block BlockType // ImmBlockType
	// Index is the primary index immediate: label, function, type (call
	// indirect, call_ref, struct and array instructions), local, global,
	// table, memory, data, element or tag index.
	Index uint32
	// Index2 is the secondary index: the table of call_indirect, the memory
	// of memory.init, the source of memory.copy/table.copy, the table of
	// table.init, the field of struct.get/set, the count of
	// array.new_fixed, the data or element segment of array.new_data,
	// array.new_elem, array.init_data and array.init_elem, the source type
	// of array.copy.
	Index2 uint32
	Mem    MemArg
	// Const holds the bits of an i32/i64/f32/f64 constant (i32 and f32 in
	// the low 32 bits, zero-extended).
	Const uint64
	// V128 holds a v128 constant or the 16 shuffle lane indices.
	V128 [16]byte
	Lane byte
	// Labels holds the br_table targets without the default (Index holds
	// the default). It aliases a buffer reused by the reader: copy it to
	// keep it past the next instruction.
	Labels []uint32
	// Types holds the result types of a typed select; like Labels it
	// aliases a reused buffer.
	Types []ValType
	// Heap is the heap type of ref.null, ref.test and ref.cast (the
	// nullability of the latter two is in the opcode: OpRefTestNull,
	// OpRefCastNull).
	Heap HeapType
	// CastFrom and CastTo are the source and target reference types of
	// br_on_cast and br_on_cast_fail (Index is the label).
	CastFrom, CastTo ValType
	// Catches are the catch clauses of try_table; like Labels they alias
	// a buffer reused by the reader.
	Catches []Catch
}

// CatchKind is the kind of a try_table catch clause, with its binary code.
type CatchKind byte

// Catch clause kinds.
const (
	CatchTag    CatchKind = 0x00 // catch x l: push the tag's values
	CatchTagRef CatchKind = 0x01 // catch_ref x l: the values and the exnref
	CatchAll    CatchKind = 0x02 // catch_all l: push nothing
	CatchAllRef CatchKind = 0x03 // catch_all_ref l: push the exnref
)

// Catch is one catch clause of try_table.
type Catch struct {
	Kind  CatchKind
	Tag   uint32 // CatchTag and CatchTagRef
	Label uint32 // relative to the try_table's enclosing frame
}
