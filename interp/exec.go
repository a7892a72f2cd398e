package interp

import (
	"encoding/binary"
	"math"
	"math/bits"

	"github.com/kilnrt/kiln/internal/numeric"
	"github.com/kilnrt/kiln/store"
)

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func f32(x uint64) float32  { return math.Float32frombits(uint32(x)) }
func f64(x uint64) float64  { return math.Float64frombits(x) }
func uf32(x float32) uint64 { return uint64(math.Float32bits(x)) }
func uf64(x float64) uint64 { return math.Float64bits(x) }

var numericTraps = [...]store.TrapCode{
	numeric.TrapNone:                       store.TrapNone,
	numeric.TrapIntegerDivideByZero:        store.TrapIntegerDivideByZero,
	numeric.TrapIntegerOverflow:            store.TrapIntegerOverflow,
	numeric.TrapInvalidConversionToInteger: store.TrapInvalidConversionToInteger,
}

func mem0(inst *store.Instance) []byte {
	if len(inst.Mems) != 0 {
		return inst.Mems[0].Buf
	}
	return nil
}

// exec is the dispatch loop. It runs fn, whose frame starts at slot 0 of
// the current stack window... (fp 0) and returns when fn returns.
func (m *Machine) exec(fn *store.Function, code *Code) error {
	// Only the hottest state lives in locals (the Go register allocator
	// spills at the dispatch merge point otherwise); the rest of the
	// current frame is in m.cur.
	m.base = len(m.frames)
	m.cur = frame{fn: fn, code: code}
	m.inst = fn.Module
	m.rw = m.refs
	var (
		instrs = code.instrs
		pc     = 0
		regs   = m.stack
		mem    = mem0(m.inst)
		tc     store.TrapCode
		err    error
	)
	for {
		in := &instrs[pc]
		pc++
		switch in.op {
		case opUnreachable:
			tc = store.TrapUnreachable
			goto trap
		case opBr:
			pc = int(in.imm)
			if in.a != 0 && m.checks {
				if err = m.check(); err != nil {
					goto fail
				}
			}
		case opBrIf:
			if uint32(regs[in.b]) != 0 {
				pc = int(in.imm)
				if in.a != 0 && m.checks {
					if err = m.check(); err != nil {
						goto fail
					}
				}
			}
		case opBrIfNot:
			if uint32(regs[in.b]) == 0 {
				pc = int(in.imm)
				if in.a != 0 && m.checks {
					if err = m.check(); err != nil {
						goto fail
					}
				}
			}
		case opBrTable:
			tbl := m.cur.code.brTables[in.imm]
			i := uint64(uint32(regs[in.b]))
			if i >= uint64(len(tbl)) {
				i = uint64(len(tbl) - 1)
			}
			pc = int(tbl[i])
		case opReturn1:
			regs[0] = regs[in.b]
			fallthrough
		case opReturn:
			if len(m.frames) == m.base {
				return nil
			}
			m.cur = m.frames[len(m.frames)-1]
			m.frames = m.frames[:len(m.frames)-1]
			pc = m.cur.pc
			instrs = m.cur.code.instrs
			m.inst = m.cur.fn.Module
			regs = m.stack[m.cur.fp:]
			m.rw = m.refs[m.cur.fp:]
			mem = mem0(m.inst)
		case opCall, opCallIndirect:
			var callee *store.Function
			if in.op == opCall {
				callee = m.inst.Funcs[in.a]
			} else {
				tbl := m.inst.Tables[in.imm]
				i := uint64(uint32(regs[in.c]))
				if i >= uint64(len(tbl.Elems)) {
					tc, m.elem = store.TrapUndefinedElement, int(i)
					goto trap
				}
				r := tbl.Elems[i]
				if r == nil {
					tc, m.elem = store.TrapUninitializedElement, int(i)
					goto trap
				}
				callee = r.(*store.Function)
				if callee.TypeID != m.inst.TypeIDs[in.a] {
					tc = store.TrapIndirectCallTypeMismatch
					goto trap
				}
			}
			if err = m.call(callee, pc, int(in.b)); err != nil {
				goto fail
			}
			pc = m.cur.pc
			instrs = m.cur.code.instrs
			regs = m.stack[m.cur.fp:]
			mem = mem0(m.inst)
		case opCopy:
			regs[in.a] = regs[in.b]
		case opCopy2:
			lo, hi := regs[in.b], regs[in.b+1]
			regs[in.a], regs[in.a+1] = lo, hi
		case opCopyRef:
			m.rw[in.a] = m.rw[in.b]
		case opConst:
			regs[in.a] = in.imm
		case opConst2:
			regs[in.a] = in.imm
			regs[in.a+1] = uint64(in.b) | uint64(in.c)<<32
		case opSelect:
			if uint32(regs[in.imm]) != 0 {
				regs[in.a] = regs[in.b]
			} else {
				regs[in.a] = regs[in.c]
			}
		case opSelect2:
			src := in.c
			if uint32(regs[in.imm]) != 0 {
				src = in.b
			}
			lo, hi := regs[src], regs[src+1]
			regs[in.a], regs[in.a+1] = lo, hi
		case opSelectRef:
			if uint32(regs[in.imm]) != 0 {
				m.rw[in.a] = m.rw[in.b]
			} else {
				m.rw[in.a] = m.rw[in.c]
			}
		case opGlobalGet:
			regs[in.a] = m.inst.Globals[in.b].Lo
		case opGlobalGet2:
			g := m.inst.Globals[in.b]
			regs[in.a], regs[in.a+1] = g.Lo, g.Hi
		case opGlobalGetRef:
			m.rw[in.a] = m.inst.Globals[in.b].Ref
		case opGlobalSet:
			m.inst.Globals[in.a].Lo = regs[in.b]
		case opGlobalSet2:
			g := m.inst.Globals[in.a]
			g.Lo, g.Hi = regs[in.b], regs[in.b+1]
		case opGlobalSetRef:
			m.inst.Globals[in.a].Ref = m.rw[in.b]

		// Fused compare-and-branch.
		case opBrI32Eqz:
			if uint32(regs[in.b]) == 0 {
				goto taken
			}
		case opBrI32Eq:
			if uint32(regs[in.b]) == uint32(regs[in.c]) {
				goto taken
			}
		case opBrI32Ne:
			if uint32(regs[in.b]) != uint32(regs[in.c]) {
				goto taken
			}
		case opBrI32LtS:
			if int32(regs[in.b]) < int32(regs[in.c]) {
				goto taken
			}
		case opBrI32LtU:
			if uint32(regs[in.b]) < uint32(regs[in.c]) {
				goto taken
			}
		case opBrI32GtS:
			if int32(regs[in.b]) > int32(regs[in.c]) {
				goto taken
			}
		case opBrI32GtU:
			if uint32(regs[in.b]) > uint32(regs[in.c]) {
				goto taken
			}
		case opBrI32LeS:
			if int32(regs[in.b]) <= int32(regs[in.c]) {
				goto taken
			}
		case opBrI32LeU:
			if uint32(regs[in.b]) <= uint32(regs[in.c]) {
				goto taken
			}
		case opBrI32GeS:
			if int32(regs[in.b]) >= int32(regs[in.c]) {
				goto taken
			}
		case opBrI32GeU:
			if uint32(regs[in.b]) >= uint32(regs[in.c]) {
				goto taken
			}
		case opBrI32EqK:
			if uint32(regs[in.b]) == in.c {
				goto taken
			}
		case opBrI32NeK:
			if uint32(regs[in.b]) != in.c {
				goto taken
			}
		case opBrI32LtSK:
			if int32(regs[in.b]) < int32(in.c) {
				goto taken
			}
		case opBrI32LtUK:
			if uint32(regs[in.b]) < in.c {
				goto taken
			}
		case opBrI32GtSK:
			if int32(regs[in.b]) > int32(in.c) {
				goto taken
			}
		case opBrI32GtUK:
			if uint32(regs[in.b]) > in.c {
				goto taken
			}
		case opBrI32LeSK:
			if int32(regs[in.b]) <= int32(in.c) {
				goto taken
			}
		case opBrI32LeUK:
			if uint32(regs[in.b]) <= in.c {
				goto taken
			}
		case opBrI32GeSK:
			if int32(regs[in.b]) >= int32(in.c) {
				goto taken
			}
		case opBrI32GeUK:
			if uint32(regs[in.b]) >= in.c {
				goto taken
			}

		// Memory.
		case opI32Load:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(binary.LittleEndian.Uint32(mem[ea:]))
		case opI64Load:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+8 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = binary.LittleEndian.Uint64(mem[ea:])
		case opF32Load:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(binary.LittleEndian.Uint32(mem[ea:]))
		case opF64Load:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+8 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = binary.LittleEndian.Uint64(mem[ea:])
		case opI32Load8S:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(uint32(int32(int8(mem[ea]))))
		case opI32Load8U:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(mem[ea])
		case opI32Load16S:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(uint32(int32(int16(binary.LittleEndian.Uint16(mem[ea:])))))
		case opI32Load16U:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(binary.LittleEndian.Uint16(mem[ea:]))
		case opI64Load8S:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(int64(int8(mem[ea])))
		case opI64Load8U:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(mem[ea])
		case opI64Load16S:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(int64(int16(binary.LittleEndian.Uint16(mem[ea:]))))
		case opI64Load16U:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(binary.LittleEndian.Uint16(mem[ea:]))
		case opI64Load32S:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(int64(int32(binary.LittleEndian.Uint32(mem[ea:]))))
		case opI64Load32U:
			ea := uint64(uint32(regs[in.b])) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			regs[in.a] = uint64(binary.LittleEndian.Uint32(mem[ea:]))
		case opI32Store, opF32Store, opI64Store32:
			ea := uint64(uint32(regs[in.a])) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			binary.LittleEndian.PutUint32(mem[ea:], uint32(regs[in.b]))
		case opI64Store, opF64Store:
			ea := uint64(uint32(regs[in.a])) + in.imm
			if ea+8 > uint64(len(mem)) {
				goto oobMem
			}
			binary.LittleEndian.PutUint64(mem[ea:], regs[in.b])
		case opI32Store8, opI64Store8:
			ea := uint64(uint32(regs[in.a])) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			mem[ea] = byte(regs[in.b])
		case opI32Store16, opI64Store16:
			ea := uint64(uint32(regs[in.a])) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			binary.LittleEndian.PutUint16(mem[ea:], uint16(regs[in.b]))
		case opMemorySize:
			regs[in.a] = uint64(uint32(len(mem) / 65536))
		case opMemoryGrow:
			old, ok := m.inst.Mems[0].Grow(uint32(regs[in.b]))
			if ok {
				regs[in.a] = uint64(old)
			} else {
				regs[in.a] = uint64(math.MaxUint32)
			}
			mem = m.inst.Mems[0].Buf
		case opMemoryInit:
			d, s, n := uint64(uint32(regs[in.b])), uint64(uint32(regs[in.b+1])), uint64(uint32(regs[in.b+2]))
			data := m.inst.Datas[in.imm]
			if s+n > uint64(len(data)) || d+n > uint64(len(mem)) {
				goto oobMem
			}
			copy(mem[d:d+n], data[s:s+n])
		case opDataDrop:
			m.inst.Datas[in.imm] = nil
		case opMemoryCopy:
			d, s, n := uint64(uint32(regs[in.b])), uint64(uint32(regs[in.b+1])), uint64(uint32(regs[in.b+2]))
			if s+n > uint64(len(mem)) || d+n > uint64(len(mem)) {
				goto oobMem
			}
			copy(mem[d:d+n], mem[s:s+n])
		case opMemoryFill:
			d, v, n := uint64(uint32(regs[in.b])), byte(regs[in.b+1]), uint64(uint32(regs[in.b+2]))
			if d+n > uint64(len(mem)) {
				goto oobMem
			}
			fill := mem[d : d+n]
			for i := range fill {
				fill[i] = v
			}

		// Tables and references.
		case opTableGet:
			tbl := m.inst.Tables[in.imm]
			i := uint64(uint32(regs[in.b]))
			if i >= uint64(len(tbl.Elems)) {
				goto oobTable
			}
			m.rw[in.a] = tbl.Elems[i]
		case opTableSet:
			tbl := m.inst.Tables[in.imm]
			i := uint64(uint32(regs[in.a]))
			if i >= uint64(len(tbl.Elems)) {
				goto oobTable
			}
			tbl.Elems[i] = m.rw[in.b]
		case opTableSize:
			regs[in.a] = uint64(uint32(len(m.inst.Tables[in.imm].Elems)))
		case opTableGrow:
			old, ok := m.inst.Tables[in.imm].Grow(uint32(regs[in.b+1]), m.rw[in.b])
			if ok {
				regs[in.a] = uint64(old)
			} else {
				regs[in.a] = uint64(math.MaxUint32)
			}
		case opTableFill:
			tbl := m.inst.Tables[in.imm]
			i, n := uint64(uint32(regs[in.b])), uint64(uint32(regs[in.b+2]))
			if i+n > uint64(len(tbl.Elems)) {
				goto oobTable
			}
			v := m.rw[in.b+1]
			for j := i; j < i+n; j++ {
				tbl.Elems[j] = v
			}
		case opTableCopy:
			dt, st := m.inst.Tables[in.imm], m.inst.Tables[in.c]
			d, s, n := uint64(uint32(regs[in.b])), uint64(uint32(regs[in.b+1])), uint64(uint32(regs[in.b+2]))
			if s+n > uint64(len(st.Elems)) || d+n > uint64(len(dt.Elems)) {
				goto oobTable
			}
			copy(dt.Elems[d:d+n], st.Elems[s:s+n])
		case opTableInit:
			tbl, elems := m.inst.Tables[in.c], m.inst.Elems[in.imm]
			d, s, n := uint64(uint32(regs[in.b])), uint64(uint32(regs[in.b+1])), uint64(uint32(regs[in.b+2]))
			if s+n > uint64(len(elems)) || d+n > uint64(len(tbl.Elems)) {
				goto oobTable
			}
			copy(tbl.Elems[d:d+n], elems[s:s+n])
		case opElemDrop:
			m.inst.Elems[in.imm] = nil
		case opRefNull:
			m.rw[in.a] = nil
		case opRefIsNull:
			regs[in.a] = b2u(m.rw[in.b] == nil)
		case opRefFunc:
			m.rw[in.a] = m.inst.Funcs[in.b]

		// i32
		case opI32Eqz:
			regs[in.a] = b2u(uint32(regs[in.b]) == 0)
		case opI32Eq:
			regs[in.a] = b2u(uint32(regs[in.b]) == uint32(regs[in.c]))
		case opI32Ne:
			regs[in.a] = b2u(uint32(regs[in.b]) != uint32(regs[in.c]))
		case opI32LtS:
			regs[in.a] = b2u(int32(regs[in.b]) < int32(regs[in.c]))
		case opI32LtU:
			regs[in.a] = b2u(uint32(regs[in.b]) < uint32(regs[in.c]))
		case opI32GtS:
			regs[in.a] = b2u(int32(regs[in.b]) > int32(regs[in.c]))
		case opI32GtU:
			regs[in.a] = b2u(uint32(regs[in.b]) > uint32(regs[in.c]))
		case opI32LeS:
			regs[in.a] = b2u(int32(regs[in.b]) <= int32(regs[in.c]))
		case opI32LeU:
			regs[in.a] = b2u(uint32(regs[in.b]) <= uint32(regs[in.c]))
		case opI32GeS:
			regs[in.a] = b2u(int32(regs[in.b]) >= int32(regs[in.c]))
		case opI32GeU:
			regs[in.a] = b2u(uint32(regs[in.b]) >= uint32(regs[in.c]))
		case opI32Clz:
			regs[in.a] = uint64(bits.LeadingZeros32(uint32(regs[in.b])))
		case opI32Ctz:
			regs[in.a] = uint64(bits.TrailingZeros32(uint32(regs[in.b])))
		case opI32Popcnt:
			regs[in.a] = uint64(bits.OnesCount32(uint32(regs[in.b])))
		case opI32Add:
			regs[in.a] = uint64(uint32(regs[in.b]) + uint32(regs[in.c]))
		case opI32Sub:
			regs[in.a] = uint64(uint32(regs[in.b]) - uint32(regs[in.c]))
		case opI32Mul:
			regs[in.a] = uint64(uint32(regs[in.b]) * uint32(regs[in.c]))
		case opI32DivS:
			x, y := int32(regs[in.b]), int32(regs[in.c])
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			if x == math.MinInt32 && y == -1 {
				tc = store.TrapIntegerOverflow
				goto trap
			}
			regs[in.a] = uint64(uint32(x / y))
		case opI32DivU:
			y := uint32(regs[in.c])
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			regs[in.a] = uint64(uint32(regs[in.b]) / y)
		case opI32RemS:
			x, y := int32(regs[in.b]), int32(regs[in.c])
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			if y == -1 {
				regs[in.a] = 0
			} else {
				regs[in.a] = uint64(uint32(x % y))
			}
		case opI32RemU:
			y := uint32(regs[in.c])
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			regs[in.a] = uint64(uint32(regs[in.b]) % y)
		case opI32And:
			regs[in.a] = regs[in.b] & regs[in.c]
		case opI32Or:
			regs[in.a] = regs[in.b] | regs[in.c]
		case opI32Xor:
			regs[in.a] = regs[in.b] ^ regs[in.c]
		case opI32Shl:
			regs[in.a] = uint64(uint32(regs[in.b]) << (regs[in.c] & 31))
		case opI32ShrS:
			regs[in.a] = uint64(uint32(int32(regs[in.b]) >> (regs[in.c] & 31)))
		case opI32ShrU:
			regs[in.a] = uint64(uint32(regs[in.b]) >> (regs[in.c] & 31))
		case opI32Rotl:
			regs[in.a] = uint64(bits.RotateLeft32(uint32(regs[in.b]), int(regs[in.c]&31)))
		case opI32Rotr:
			regs[in.a] = uint64(bits.RotateLeft32(uint32(regs[in.b]), -int(regs[in.c]&31)))
		case opI32EqK:
			regs[in.a] = b2u(uint32(regs[in.b]) == uint32(in.imm))
		case opI32NeK:
			regs[in.a] = b2u(uint32(regs[in.b]) != uint32(in.imm))
		case opI32LtSK:
			regs[in.a] = b2u(int32(regs[in.b]) < int32(in.imm))
		case opI32LtUK:
			regs[in.a] = b2u(uint32(regs[in.b]) < uint32(in.imm))
		case opI32GtSK:
			regs[in.a] = b2u(int32(regs[in.b]) > int32(in.imm))
		case opI32GtUK:
			regs[in.a] = b2u(uint32(regs[in.b]) > uint32(in.imm))
		case opI32LeSK:
			regs[in.a] = b2u(int32(regs[in.b]) <= int32(in.imm))
		case opI32LeUK:
			regs[in.a] = b2u(uint32(regs[in.b]) <= uint32(in.imm))
		case opI32GeSK:
			regs[in.a] = b2u(int32(regs[in.b]) >= int32(in.imm))
		case opI32GeUK:
			regs[in.a] = b2u(uint32(regs[in.b]) >= uint32(in.imm))
		case opI32AddK:
			regs[in.a] = uint64(uint32(regs[in.b]) + uint32(in.imm))
		case opI32SubK:
			regs[in.a] = uint64(uint32(regs[in.b]) - uint32(in.imm))
		case opI32MulK:
			regs[in.a] = uint64(uint32(regs[in.b]) * uint32(in.imm))
		case opI32AndK:
			regs[in.a] = regs[in.b] & in.imm
		case opI32OrK:
			regs[in.a] = uint64(uint32(regs[in.b]) | uint32(in.imm))
		case opI32XorK:
			regs[in.a] = uint64(uint32(regs[in.b]) ^ uint32(in.imm))
		case opI32ShlK:
			regs[in.a] = uint64(uint32(regs[in.b]) << (in.imm & 31))
		case opI32ShrSK:
			regs[in.a] = uint64(uint32(int32(regs[in.b]) >> (in.imm & 31)))
		case opI32ShrUK:
			regs[in.a] = uint64(uint32(regs[in.b]) >> (in.imm & 31))
		case opI32RotlK:
			regs[in.a] = uint64(bits.RotateLeft32(uint32(regs[in.b]), int(in.imm&31)))
		case opI32RotrK:
			regs[in.a] = uint64(bits.RotateLeft32(uint32(regs[in.b]), -int(in.imm&31)))

		// i64
		case opI64Eqz:
			regs[in.a] = b2u(regs[in.b] == 0)
		case opI64Eq:
			regs[in.a] = b2u(regs[in.b] == regs[in.c])
		case opI64Ne:
			regs[in.a] = b2u(regs[in.b] != regs[in.c])
		case opI64LtS:
			regs[in.a] = b2u(int64(regs[in.b]) < int64(regs[in.c]))
		case opI64LtU:
			regs[in.a] = b2u(regs[in.b] < regs[in.c])
		case opI64GtS:
			regs[in.a] = b2u(int64(regs[in.b]) > int64(regs[in.c]))
		case opI64GtU:
			regs[in.a] = b2u(regs[in.b] > regs[in.c])
		case opI64LeS:
			regs[in.a] = b2u(int64(regs[in.b]) <= int64(regs[in.c]))
		case opI64LeU:
			regs[in.a] = b2u(regs[in.b] <= regs[in.c])
		case opI64GeS:
			regs[in.a] = b2u(int64(regs[in.b]) >= int64(regs[in.c]))
		case opI64GeU:
			regs[in.a] = b2u(regs[in.b] >= regs[in.c])
		case opI64Clz:
			regs[in.a] = uint64(bits.LeadingZeros64(regs[in.b]))
		case opI64Ctz:
			regs[in.a] = uint64(bits.TrailingZeros64(regs[in.b]))
		case opI64Popcnt:
			regs[in.a] = uint64(bits.OnesCount64(regs[in.b]))
		case opI64Add:
			regs[in.a] = regs[in.b] + regs[in.c]
		case opI64Sub:
			regs[in.a] = regs[in.b] - regs[in.c]
		case opI64Mul:
			regs[in.a] = regs[in.b] * regs[in.c]
		case opI64DivS:
			x, y := int64(regs[in.b]), int64(regs[in.c])
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			if x == math.MinInt64 && y == -1 {
				tc = store.TrapIntegerOverflow
				goto trap
			}
			regs[in.a] = uint64(x / y)
		case opI64DivU:
			y := regs[in.c]
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			regs[in.a] = regs[in.b] / y
		case opI64RemS:
			x, y := int64(regs[in.b]), int64(regs[in.c])
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			if y == -1 {
				regs[in.a] = 0
			} else {
				regs[in.a] = uint64(x % y)
			}
		case opI64RemU:
			y := regs[in.c]
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			regs[in.a] = regs[in.b] % y
		case opI64And:
			regs[in.a] = regs[in.b] & regs[in.c]
		case opI64Or:
			regs[in.a] = regs[in.b] | regs[in.c]
		case opI64Xor:
			regs[in.a] = regs[in.b] ^ regs[in.c]
		case opI64Shl:
			regs[in.a] = regs[in.b] << (regs[in.c] & 63)
		case opI64ShrS:
			regs[in.a] = uint64(int64(regs[in.b]) >> (regs[in.c] & 63))
		case opI64ShrU:
			regs[in.a] = regs[in.b] >> (regs[in.c] & 63)
		case opI64Rotl:
			regs[in.a] = bits.RotateLeft64(regs[in.b], int(regs[in.c]&63))
		case opI64Rotr:
			regs[in.a] = bits.RotateLeft64(regs[in.b], -int(regs[in.c]&63))
		case opI64EqK:
			regs[in.a] = b2u(regs[in.b] == in.imm)
		case opI64NeK:
			regs[in.a] = b2u(regs[in.b] != in.imm)
		case opI64LtSK:
			regs[in.a] = b2u(int64(regs[in.b]) < int64(in.imm))
		case opI64LtUK:
			regs[in.a] = b2u(regs[in.b] < in.imm)
		case opI64GtSK:
			regs[in.a] = b2u(int64(regs[in.b]) > int64(in.imm))
		case opI64GtUK:
			regs[in.a] = b2u(regs[in.b] > in.imm)
		case opI64LeSK:
			regs[in.a] = b2u(int64(regs[in.b]) <= int64(in.imm))
		case opI64LeUK:
			regs[in.a] = b2u(regs[in.b] <= in.imm)
		case opI64GeSK:
			regs[in.a] = b2u(int64(regs[in.b]) >= int64(in.imm))
		case opI64GeUK:
			regs[in.a] = b2u(regs[in.b] >= in.imm)
		case opI64AddK:
			regs[in.a] = regs[in.b] + in.imm
		case opI64SubK:
			regs[in.a] = regs[in.b] - in.imm
		case opI64MulK:
			regs[in.a] = regs[in.b] * in.imm
		case opI64AndK:
			regs[in.a] = regs[in.b] & in.imm
		case opI64OrK:
			regs[in.a] = regs[in.b] | in.imm
		case opI64XorK:
			regs[in.a] = regs[in.b] ^ in.imm
		case opI64ShlK:
			regs[in.a] = regs[in.b] << (in.imm & 63)
		case opI64ShrSK:
			regs[in.a] = uint64(int64(regs[in.b]) >> (in.imm & 63))
		case opI64ShrUK:
			regs[in.a] = regs[in.b] >> (in.imm & 63)

		// f32
		case opF32Eq:
			regs[in.a] = b2u(f32(regs[in.b]) == f32(regs[in.c]))
		case opF32Ne:
			regs[in.a] = b2u(f32(regs[in.b]) != f32(regs[in.c]))
		case opF32Lt:
			regs[in.a] = b2u(f32(regs[in.b]) < f32(regs[in.c]))
		case opF32Gt:
			regs[in.a] = b2u(f32(regs[in.b]) > f32(regs[in.c]))
		case opF32Le:
			regs[in.a] = b2u(f32(regs[in.b]) <= f32(regs[in.c]))
		case opF32Ge:
			regs[in.a] = b2u(f32(regs[in.b]) >= f32(regs[in.c]))
		case opF32Abs:
			regs[in.a] = uint64(numeric.F32Abs(uint32(regs[in.b])))
		case opF32Neg:
			regs[in.a] = uint64(numeric.F32Neg(uint32(regs[in.b])))
		case opF32Ceil:
			regs[in.a] = uint64(numeric.F32Ceil(uint32(regs[in.b])))
		case opF32Floor:
			regs[in.a] = uint64(numeric.F32Floor(uint32(regs[in.b])))
		case opF32Trunc:
			regs[in.a] = uint64(numeric.F32Trunc(uint32(regs[in.b])))
		case opF32Nearest:
			regs[in.a] = uint64(numeric.F32Nearest(uint32(regs[in.b])))
		case opF32Sqrt:
			regs[in.a] = uint64(numeric.F32Sqrt(uint32(regs[in.b])))
		case opF32Add:
			regs[in.a] = uf32(f32(regs[in.b]) + f32(regs[in.c]))
		case opF32Sub:
			regs[in.a] = uf32(f32(regs[in.b]) - f32(regs[in.c]))
		case opF32Mul:
			regs[in.a] = uf32(f32(regs[in.b]) * f32(regs[in.c]))
		case opF32Div:
			regs[in.a] = uf32(f32(regs[in.b]) / f32(regs[in.c]))
		case opF32Min:
			regs[in.a] = uint64(numeric.F32Min(uint32(regs[in.b]), uint32(regs[in.c])))
		case opF32Max:
			regs[in.a] = uint64(numeric.F32Max(uint32(regs[in.b]), uint32(regs[in.c])))
		case opF32Copysign:
			regs[in.a] = uint64(numeric.F32Copysign(uint32(regs[in.b]), uint32(regs[in.c])))

		// f64
		case opF64Eq:
			regs[in.a] = b2u(f64(regs[in.b]) == f64(regs[in.c]))
		case opF64Ne:
			regs[in.a] = b2u(f64(regs[in.b]) != f64(regs[in.c]))
		case opF64Lt:
			regs[in.a] = b2u(f64(regs[in.b]) < f64(regs[in.c]))
		case opF64Gt:
			regs[in.a] = b2u(f64(regs[in.b]) > f64(regs[in.c]))
		case opF64Le:
			regs[in.a] = b2u(f64(regs[in.b]) <= f64(regs[in.c]))
		case opF64Ge:
			regs[in.a] = b2u(f64(regs[in.b]) >= f64(regs[in.c]))
		case opF64Abs:
			regs[in.a] = numeric.F64Abs(regs[in.b])
		case opF64Neg:
			regs[in.a] = numeric.F64Neg(regs[in.b])
		case opF64Ceil:
			regs[in.a] = numeric.F64Ceil(regs[in.b])
		case opF64Floor:
			regs[in.a] = numeric.F64Floor(regs[in.b])
		case opF64Trunc:
			regs[in.a] = numeric.F64Trunc(regs[in.b])
		case opF64Nearest:
			regs[in.a] = numeric.F64Nearest(regs[in.b])
		case opF64Sqrt:
			regs[in.a] = numeric.F64Sqrt(regs[in.b])
		case opF64Add:
			regs[in.a] = uf64(f64(regs[in.b]) + f64(regs[in.c]))
		case opF64Sub:
			regs[in.a] = uf64(f64(regs[in.b]) - f64(regs[in.c]))
		case opF64Mul:
			regs[in.a] = uf64(f64(regs[in.b]) * f64(regs[in.c]))
		case opF64Div:
			regs[in.a] = uf64(f64(regs[in.b]) / f64(regs[in.c]))
		case opF64Min:
			regs[in.a] = numeric.F64Min(regs[in.b], regs[in.c])
		case opF64Max:
			regs[in.a] = numeric.F64Max(regs[in.b], regs[in.c])
		case opF64Copysign:
			regs[in.a] = numeric.F64Copysign(regs[in.b], regs[in.c])

		// Conversions.
		case opI32WrapI64:
			regs[in.a] = uint64(uint32(regs[in.b]))
		case opI32TruncF32S:
			v, t := numeric.I32TruncF32S(uint32(regs[in.b]))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			regs[in.a] = uint64(v)
		case opI32TruncF32U:
			v, t := numeric.I32TruncF32U(uint32(regs[in.b]))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			regs[in.a] = uint64(v)
		case opI32TruncF64S:
			v, t := numeric.I32TruncF64S(regs[in.b])
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			regs[in.a] = uint64(v)
		case opI32TruncF64U:
			v, t := numeric.I32TruncF64U(regs[in.b])
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			regs[in.a] = uint64(v)
		case opI64ExtendI32S:
			regs[in.a] = uint64(int64(int32(regs[in.b])))
		case opI64ExtendI32U:
			regs[in.a] = uint64(uint32(regs[in.b]))
		case opI64TruncF32S:
			v, t := numeric.I64TruncF32S(uint32(regs[in.b]))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			regs[in.a] = v
		case opI64TruncF32U:
			v, t := numeric.I64TruncF32U(uint32(regs[in.b]))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			regs[in.a] = v
		case opI64TruncF64S:
			v, t := numeric.I64TruncF64S(regs[in.b])
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			regs[in.a] = v
		case opI64TruncF64U:
			v, t := numeric.I64TruncF64U(regs[in.b])
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			regs[in.a] = v
		case opF32ConvertI32S:
			regs[in.a] = uint64(numeric.F32ConvertI32S(uint32(regs[in.b])))
		case opF32ConvertI32U:
			regs[in.a] = uint64(numeric.F32ConvertI32U(uint32(regs[in.b])))
		case opF32ConvertI64S:
			regs[in.a] = uint64(numeric.F32ConvertI64S(regs[in.b]))
		case opF32ConvertI64U:
			regs[in.a] = uint64(numeric.F32ConvertI64U(regs[in.b]))
		case opF32DemoteF64:
			regs[in.a] = uint64(numeric.F32DemoteF64(regs[in.b]))
		case opF64ConvertI32S:
			regs[in.a] = numeric.F64ConvertI32S(uint32(regs[in.b]))
		case opF64ConvertI32U:
			regs[in.a] = numeric.F64ConvertI32U(uint32(regs[in.b]))
		case opF64ConvertI64S:
			regs[in.a] = numeric.F64ConvertI64S(regs[in.b])
		case opF64ConvertI64U:
			regs[in.a] = numeric.F64ConvertI64U(regs[in.b])
		case opF64PromoteF32:
			regs[in.a] = numeric.F64PromoteF32(uint32(regs[in.b]))
		case opI32Extend8S:
			regs[in.a] = uint64(uint32(int32(int8(regs[in.b]))))
		case opI32Extend16S:
			regs[in.a] = uint64(uint32(int32(int16(regs[in.b]))))
		case opI64Extend8S:
			regs[in.a] = uint64(int64(int8(regs[in.b])))
		case opI64Extend16S:
			regs[in.a] = uint64(int64(int16(regs[in.b])))
		case opI64Extend32S:
			regs[in.a] = uint64(int64(int32(regs[in.b])))
		case opI32TruncSatF32S:
			regs[in.a] = uint64(numeric.I32TruncSatF32S(uint32(regs[in.b])))
		case opI32TruncSatF32U:
			regs[in.a] = uint64(numeric.I32TruncSatF32U(uint32(regs[in.b])))
		case opI32TruncSatF64S:
			regs[in.a] = uint64(numeric.I32TruncSatF64S(regs[in.b]))
		case opI32TruncSatF64U:
			regs[in.a] = uint64(numeric.I32TruncSatF64U(regs[in.b]))
		case opI64TruncSatF32S:
			regs[in.a] = numeric.I64TruncSatF32S(uint32(regs[in.b]))
		case opI64TruncSatF32U:
			regs[in.a] = numeric.I64TruncSatF32U(uint32(regs[in.b]))
		case opI64TruncSatF64S:
			regs[in.a] = numeric.I64TruncSatF64S(regs[in.b])
		case opI64TruncSatF64U:
			regs[in.a] = numeric.I64TruncSatF64U(regs[in.b])

		case opV128Binary, opV128Unary, opV128Shift, opV128Test, opV128Bitmask,
			opV128Bitselect, opV128Shuffle, opV128Splat, opV128Extract, opV128Replace:
			simdExec(regs, in, m.cur.code)
		case opV128Load, opV128LoadLane, opV128Store, opV128StoreLane:
			if !simdMem(regs, in, mem) {
				goto oobMem
			}
		default:
			tc = store.TrapUnreachable
			goto trap
		}
		continue
	taken:
		pc = int(in.imm)
		if in.a != 0 && m.checks {
			if err = m.check(); err != nil {
				goto fail
			}
		}
		continue
	oobMem:
		tc = store.TrapOutOfBoundsMemoryAccess
		goto trap
	oobTable:
		tc = store.TrapOutOfBoundsTableAccess
		goto trap
	}
trap:
	m.cur.pc = pc
	err = m.trapHere(tc)
fail:
	m.frames = m.frames[:m.base]
	return err
}
