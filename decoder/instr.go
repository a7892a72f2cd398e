package decoder

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/kilnrt/kiln/wasm"
)

// InstrReader decodes a sequence of instructions one at a time. It checks
// the syntax of each instruction and its immediates (including that the
// opcode is enabled by the features), not nesting or typing.
type InstrReader struct {
	c        cursor
	features wasm.Features
	labels   []uint32
	types    []wasm.ValType
	catches  []wasm.Catch
}

// NewInstrReader reads the instructions in code; base is code's offset in
// the module binary (for error offsets).
func NewInstrReader(code []byte, base int, features wasm.Features) *InstrReader {
	r := &InstrReader{}
	r.Reset(code, base, features)
	return r
}

// Reset makes r read code from the start, keeping its buffers.
func (r *InstrReader) Reset(code []byte, base int, features wasm.Features) {
	r.c = cursor{buf: code, base: base}
	r.features = features.WithImplied()
}

// Offset returns the module offset of the next instruction.
func (r *InstrReader) Offset() int { return r.c.base + r.c.pos }

// Next decodes the next instruction into in: its opcode, offset and the
// immediates its wasm.OpInfo.Imm calls for (other fields are left as they
// were). in.Labels and in.Types alias buffers reused by the next call.
// Next returns io.EOF when the code is exhausted, and an *Error when the
// instruction is malformed.
func (r *InstrReader) Next(in *wasm.Instr) error {
	c := &r.c
	start := c.pos
	if start >= len(c.buf) {
		return io.EOF
	}
	b := c.buf[start]
	c.pos++
	op := wasm.Opcode(b)
	if r.isPrefix(b) {
		sub, err := c.u32()
		if err != nil {
			return err
		}
		if sub > 0xFFFF {
			return c.fail(start, fmt.Sprintf("%s %02x %x", msgIllegalOpcode, b, sub))
		}
		op = wasm.Opcode(b)<<16 | wasm.Opcode(sub)
	}
	info := op.Info()
	if info == nil || !r.features.Has(opFeature(op)) {
		return c.fail(start, illegalOpcodeMsg(op))
	}
	in.Op = op
	in.Offset = c.base + start
	if info.Imm == wasm.ImmNone {
		return nil
	}
	return r.immediates(info.Imm, in)
}

// isPrefix reports whether b introduces a prefixed opcode. The prefixes of
// later proposals count only when enabled, so that in 2.0 they are plain
// illegal opcodes, as in the reference interpreter.
func (r *InstrReader) isPrefix(b byte) bool {
	switch b {
	case byte(wasm.PrefixMisc), byte(wasm.PrefixSIMD):
		return true
	case byte(wasm.PrefixGC):
		return r.features.Has(wasm.FeatureGC)
	case byte(wasm.PrefixAtomic):
		return r.features.Has(wasm.FeatureThreads)
	}
	return false
}

// illegalOpcodeMsg formats an unknown or disabled opcode the way the
// reference interpreter does ("illegal opcode fc 12").
func illegalOpcodeMsg(op wasm.Opcode) string {
	if op >= 0x100 {
		return fmt.Sprintf("%s %02x %02x", msgIllegalOpcode, op.Prefix(), uint32(op&0xFFFF))
	}
	return fmt.Sprintf("%s %02x", msgIllegalOpcode, uint32(op))
}

func (r *InstrReader) immediates(kind wasm.ImmKind, in *wasm.Instr) error {
	c := &r.c
	var err error
	switch kind {
	case wasm.ImmBlockType:
		in.Block, err = c.blockType(r.features)
	case wasm.ImmLabel, wasm.ImmFunc, wasm.ImmLocal, wasm.ImmGlobal, wasm.ImmTable,
		wasm.ImmData, wasm.ImmElem:
		in.Index, err = c.u32()
	case wasm.ImmBrTable:
		err = r.brTable(in)
	case wasm.ImmCallIndirect:
		if in.Index, err = c.u32(); err == nil {
			in.Index2, err = r.tableIndex()
		}
	case wasm.ImmMemArg:
		err = r.memArg(&in.Mem)
	case wasm.ImmMemArgLane:
		if err = r.memArg(&in.Mem); err == nil {
			in.Lane, err = c.readByte()
		}
	case wasm.ImmMemory:
		in.Index, err = r.memIndex()
	case wasm.ImmI32:
		var v int32
		v, err = c.s32()
		in.Const = uint64(uint32(v))
	case wasm.ImmI64:
		var v int64
		v, err = c.s64()
		in.Const = uint64(v)
	case wasm.ImmF32:
		var b []byte
		if b, err = c.readBytes(4); err == nil {
			in.Const = uint64(binary.LittleEndian.Uint32(b))
		}
	case wasm.ImmF64:
		var b []byte
		if b, err = c.readBytes(8); err == nil {
			in.Const = binary.LittleEndian.Uint64(b)
		}
	case wasm.ImmV128, wasm.ImmShuffle:
		var b []byte
		if b, err = c.readBytes(16); err == nil {
			copy(in.V128[:], b)
		}
	case wasm.ImmLane:
		in.Lane, err = c.readByte()
	case wasm.ImmSelectT:
		err = r.selectTypes(in)
	case wasm.ImmHeapType:
		in.Heap, err = r.refNullType()
	case wasm.ImmMemoryInit:
		if in.Index, err = c.u32(); err == nil {
			in.Index2, err = r.memIndex()
		}
	case wasm.ImmMemoryCopy:
		if in.Index, err = r.memIndex(); err == nil {
			in.Index2, err = r.memIndex()
		}
	case wasm.ImmTableInit, wasm.ImmTableCopy, wasm.ImmField, wasm.ImmArrayFixed,
		wasm.ImmTypeData, wasm.ImmTypeElem, wasm.ImmTypeType:
		if in.Index, err = c.u32(); err == nil {
			in.Index2, err = c.u32()
		}
	case wasm.ImmTag, wasm.ImmType:
		in.Index, err = c.u32()
	case wasm.ImmTryTable:
		if in.Block, err = c.blockType(r.features); err == nil {
			err = r.catchClauses(in)
		}
	case wasm.ImmBrOnCast:
		err = r.brOnCast(in)
	case wasm.ImmZeroByte:
		err = c.zeroByte()
	default:
		err = c.fail(c.pos, fmt.Sprintf("decoder: unsupported immediate kind %d", kind))
	}
	return err
}

// brTable reads the label vector and default label of br_table.
func (r *InstrReader) brTable(in *wasm.Instr) error {
	c := &r.c
	n, err := c.length()
	if err != nil {
		return err
	}
	labels := r.labels[:0]
	for i := 0; i < n; i++ {
		l, err := c.u32()
		if err != nil {
			return err
		}
		labels = append(labels, l)
	}
	r.labels = labels
	in.Labels = labels
	in.Index, err = c.u32()
	return err
}

// catchClauses reads the catch vector of try_table.
func (r *InstrReader) catchClauses(in *wasm.Instr) error {
	c := &r.c
	n, err := c.length()
	if err != nil {
		return err
	}
	catches := r.catches[:0]
	for i := 0; i < n; i++ {
		start := c.pos
		k, err := c.readByte()
		if err != nil {
			return err
		}
		cl := wasm.Catch{Kind: wasm.CatchKind(k)}
		switch cl.Kind {
		case wasm.CatchTag, wasm.CatchTagRef:
			if cl.Tag, err = c.u32(); err != nil {
				return err
			}
		case wasm.CatchAll, wasm.CatchAllRef:
		default:
			return c.fail(start, "malformed catch clause")
		}
		if cl.Label, err = c.u32(); err != nil {
			return err
		}
		catches = append(catches, cl)
	}
	r.catches = catches
	in.Catches = catches
	return nil
}

// brOnCast reads the flags, label and two heap types of br_on_cast and
// br_on_cast_fail: bit 0 of the flags makes the source type nullable, bit 1
// the target type.
func (r *InstrReader) brOnCast(in *wasm.Instr) error {
	c := &r.c
	start := c.pos
	flags, err := c.readByte()
	if err != nil {
		return err
	}
	if flags > 3 {
		return c.fail(start, "malformed br_on_cast flags")
	}
	if in.Index, err = c.u32(); err != nil {
		return err
	}
	h1, err := c.heapType(r.features)
	if err != nil {
		return err
	}
	h2, err := c.heapType(r.features)
	if err != nil {
		return err
	}
	in.CastFrom = wasm.RefType(flags&1 != 0, h1)
	in.CastTo = wasm.RefType(flags&2 != 0, h2)
	return nil
}

// selectTypes reads the result types of a typed select.
func (r *InstrReader) selectTypes(in *wasm.Instr) error {
	c := &r.c
	n, err := c.length()
	if err != nil {
		return err
	}
	types := r.types[:0]
	for i := 0; i < n; i++ {
		t, err := c.valType(r.features)
		if err != nil {
			return err
		}
		types = append(types, t)
	}
	r.types = types
	in.Types = types
	return nil
}

// refNullType reads the immediate of ref.null: a reference type byte in
// 2.0, a heap type with typed function references.
func (r *InstrReader) refNullType() (wasm.HeapType, error) {
	if r.features.Has(wasm.FeatureFunctionReferences) {
		return r.c.heapType(r.features)
	}
	t, err := r.c.refType(r.features)
	if err != nil {
		return 0, err
	}
	return t.Heap(), nil
}

// memIndex reads a memory index: a reserved zero byte unless multi-memory
// is enabled.
func (r *InstrReader) memIndex() (uint32, error) {
	if r.features.Has(wasm.FeatureMultiMemory) {
		return r.c.u32()
	}
	return 0, r.c.zeroByte()
}

// tableIndex reads the table of call_indirect: a reserved zero byte
// before reference types.
func (r *InstrReader) tableIndex() (uint32, error) {
	if r.features.Has(wasm.FeatureReferenceTypes) {
		return r.c.u32()
	}
	return 0, r.c.zeroByte()
}

// memArg reads the alignment flags, optional memory index and offset of a
// memory access.
func (r *InstrReader) memArg(m *wasm.MemArg) error {
	c := &r.c
	start := c.pos
	flags, err := c.u32()
	if err != nil {
		return err
	}
	m.Memory = 0
	limit := uint32(32)
	if r.features.Has(wasm.FeatureMultiMemory) {
		limit = 128
	}
	if flags >= limit {
		return c.fail(start, msgMemopFlags)
	}
	if flags&0x40 != 0 {
		if m.Memory, err = c.u32(); err != nil {
			return err
		}
		flags &^= 0x40
	}
	m.Align = flags
	if r.features.Has(wasm.FeatureMemory64) {
		m.Offset, err = c.u64()
		return err
	}
	off, err := c.u32()
	m.Offset = uint64(off)
	return err
}
