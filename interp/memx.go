package interp

import (
	"math/bits"

	"github.com/kilnrt/kiln/store"
)

// memOp is the general form of a memory access (multi-memory, memory64):
// the access op of the memory-0 form on memory mem at offset, whose
// address operand is 64-bit when is64.
type memOp struct {
	op     opcode
	mem    uint32
	is64   bool
	store  bool // the address is in slot a (stores), else b
	vector bool // a SIMD access
	offset uint64
	imm    uint64 // the memory-0 form's immediate without the offset
}

// accessSizes are the access sizes in bytes of the scalar loads and stores.
var accessSizes = func() (s [numOps]uint8) {
	for _, op := range []opcode{opI32Load8S, opI32Load8U, opI64Load8S, opI64Load8U, opI32Store8, opI64Store8} {
		s[op] = 1
	}
	for _, op := range []opcode{opI32Load16S, opI32Load16U, opI64Load16S, opI64Load16U, opI32Store16, opI64Store16} {
		s[op] = 2
	}
	for _, op := range []opcode{opI32Load, opF32Load, opI64Load32S, opI64Load32U, opI32Store, opF32Store, opI64Store32} {
		s[op] = 4
	}
	for _, op := range []opcode{opI64Load, opF64Load, opI64Store, opF64Store} {
		s[op] = 8
	}
	return s
}()

// isStore reports whether a memory-0 access form takes its address from
// slot a (stores) rather than b (loads).
func isStore(op opcode) bool {
	switch op {
	case opI32Store, opI64Store, opF32Store, opF64Store, opI32Store8, opI32Store16,
		opI64Store8, opI64Store16, opI64Store32, opV128Store, opV128StoreLane:
		return true
	}
	return false
}

// inBounds reports whether size bytes at ea lie inside mem, without
// overflowing.
func inBounds(mem []byte, ea, size uint64) bool {
	return size <= uint64(len(mem)) && ea <= uint64(len(mem))-size
}

// memX executes an opMemX instruction; false means out of bounds. mem0 is
// the current contents of memory 0.
func memX(regs []uint64, in *instr, code *Code, inst *store.Instance, mem0 []byte) bool {
	mo := &code.memOps[in.imm]
	buf := mem0
	if mo.mem != 0 {
		buf = inst.Mems[mo.mem].Bytes()
	}
	slot := in.b
	if mo.store {
		slot = in.a
	}
	addr := regs[slot]
	if !mo.is64 {
		addr = uint64(uint32(addr))
	}
	ea, carry := bits.Add64(addr, mo.offset, 0)
	if carry != 0 {
		return false
	}
	if mo.vector {
		fi := *in
		fi.op, fi.imm = mo.op, mo.imm
		return simdMemAt(regs, &fi, buf, ea)
	}
	return scalarMemAt(regs, mo.op, in.a, in.b, buf, ea)
}

// scalarMemAt performs the scalar load or store op (whose value slot is a
// for loads, b for stores) at effective address ea.
func scalarMemAt(regs []uint64, op opcode, a, b uint32, mem []byte, ea uint64) bool {
	size := uint64(accessSizes[op])
	if !inBounds(mem, ea, size) {
		return false
	}
	switch op {
	case opI32Load, opF32Load, opI64Load32U:
		regs[a] = uint64(load32(mem, ea))
	case opI64Load, opF64Load:
		regs[a] = load64(mem, ea)
	case opI32Load8S:
		regs[a] = uint64(uint32(int32(int8(mem[ea]))))
	case opI32Load8U, opI64Load8U:
		regs[a] = uint64(mem[ea])
	case opI32Load16S:
		regs[a] = uint64(uint32(int32(int16(load16(mem, ea)))))
	case opI32Load16U, opI64Load16U:
		regs[a] = uint64(load16(mem, ea))
	case opI64Load8S:
		regs[a] = uint64(int64(int8(mem[ea])))
	case opI64Load16S:
		regs[a] = uint64(int64(int16(load16(mem, ea))))
	case opI64Load32S:
		regs[a] = uint64(int64(int32(load32(mem, ea))))
	case opI32Store, opF32Store, opI64Store32:
		store32(mem, ea, uint32(regs[b]))
	case opI64Store, opF64Store:
		store64(mem, ea, regs[b])
	case opI32Store8, opI64Store8:
		mem[ea] = byte(regs[b])
	case opI32Store16, opI64Store16:
		store16(mem, ea, uint16(regs[b]))
	}
	return true
}

// addrOf reads an address or size operand of a memory or table whose
// index type is i64 when is64 (else i32).
func addrOf(v uint64, is64 bool) uint64 {
	if is64 {
		return v
	}
	return uint64(uint32(v))
}

// memoryInit executes memory.init; false means out of bounds.
func memoryInit(regs []uint64, in *instr, inst *store.Instance) bool {
	mm := inst.Mems[in.c]
	d := addrOf(regs[in.b], mm.Type.Is64)
	s, n := uint64(uint32(regs[in.b+1])), uint64(uint32(regs[in.b+2]))
	data, buf := inst.Datas[in.imm], mm.Bytes()
	if !inBounds(buf, d, n) || !inBounds(data, s, n) {
		return false
	}
	copy(buf[d:d+n], data[s:s+n])
	return true
}

// memoryCopy executes memory.copy between memories imm (destination) and
// c (source); false means out of bounds.
func memoryCopy(regs []uint64, in *instr, inst *store.Instance) bool {
	dm, sm := inst.Mems[in.imm], inst.Mems[in.c]
	d := addrOf(regs[in.b], dm.Type.Is64)
	s := addrOf(regs[in.b+1], sm.Type.Is64)
	n := addrOf(regs[in.b+2], dm.Type.Is64 && sm.Type.Is64)
	db, sb := dm.Bytes(), sm.Bytes()
	if !inBounds(db, d, n) || !inBounds(sb, s, n) {
		return false
	}
	copy(db[d:d+n], sb[s:s+n])
	return true
}

// memoryFill executes memory.fill; false means out of bounds.
func memoryFill(regs []uint64, in *instr, inst *store.Instance) bool {
	mm := inst.Mems[in.imm]
	d, n := addrOf(regs[in.b], mm.Type.Is64), addrOf(regs[in.b+2], mm.Type.Is64)
	buf := mm.Bytes()
	if !inBounds(buf, d, n) {
		return false
	}
	fillBytes(buf[d:d+n], byte(regs[in.b+1]))
	return true
}

// memoryGrow executes memory.grow on memory imm.
func memoryGrow(regs []uint64, in *instr, inst *store.Instance) {
	mm := inst.Mems[in.imm]
	old, ok := mm.Grow(addrOf(regs[in.b], mm.Type.Is64))
	switch {
	case ok:
		regs[in.a] = old
	case mm.Type.Is64:
		regs[in.a] = ^uint64(0)
	default:
		regs[in.a] = uint64(^uint32(0))
	}
}

// Tables: every table operation is bounds-checked against the table's
// index type.

func tableFill(regs []uint64, refs []any, in *instr, inst *store.Instance) bool {
	tbl := inst.Tables[in.imm]
	i, n := addrOf(regs[in.b], tbl.Type.Is64), addrOf(regs[in.b+2], tbl.Type.Is64)
	if n > uint64(len(tbl.Elems)) || i > uint64(len(tbl.Elems))-n {
		return false
	}
	v := refs[in.b+1]
	for j := i; j < i+n; j++ {
		tbl.Elems[j] = v
	}
	tbl.Wrote(i, n)
	return true
}

func tableCopy(regs []uint64, in *instr, inst *store.Instance) bool {
	dt, st := inst.Tables[in.imm], inst.Tables[in.c]
	d, s := addrOf(regs[in.b], dt.Type.Is64), addrOf(regs[in.b+1], st.Type.Is64)
	n := addrOf(regs[in.b+2], dt.Type.Is64 && st.Type.Is64)
	if n > uint64(len(st.Elems)) || s > uint64(len(st.Elems))-n ||
		n > uint64(len(dt.Elems)) || d > uint64(len(dt.Elems))-n {
		return false
	}
	copy(dt.Elems[d:d+n], st.Elems[s:s+n])
	dt.Wrote(d, n)
	return true
}

func tableInit(regs []uint64, in *instr, inst *store.Instance) bool {
	tbl, elems := inst.Tables[in.c], inst.Elems[in.imm]
	d := addrOf(regs[in.b], tbl.Type.Is64)
	s, n := uint64(uint32(regs[in.b+1])), uint64(uint32(regs[in.b+2]))
	if s+n > uint64(len(elems)) || n > uint64(len(tbl.Elems)) || d > uint64(len(tbl.Elems))-n {
		return false
	}
	copy(tbl.Elems[d:d+n], elems[s:s+n])
	tbl.Wrote(d, n)
	return true
}

func tableGrow(regs []uint64, refs []any, in *instr, inst *store.Instance) {
	tbl := inst.Tables[in.imm]
	old, ok := tbl.Grow(addrOf(regs[in.b+1], tbl.Type.Is64), refs[in.b])
	switch {
	case ok:
		regs[in.a] = old
	case tbl.Type.Is64:
		regs[in.a] = ^uint64(0)
	default:
		regs[in.a] = uint64(^uint32(0))
	}
}
