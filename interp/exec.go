package interp

import (
	"math"
	"math/bits"
	"unsafe"

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

// frameBase returns the address of slot fp of the stack.
func frameBase(stack []uint64, fp int) unsafe.Pointer {
	return unsafe.Pointer(&stack[fp])
}

// at returns the address of slot i of the frame at base. The translator
// only emits slot indices below the function's frame size, and a call
// only enters a frame that fits in the stack, so no bounds check is needed.
func at(base unsafe.Pointer, i uint32) *uint64 {
	return (*uint64)(unsafe.Add(base, uintptr(i)<<3))
}

const instrSize = unsafe.Sizeof(instr{})

// jump returns the address of instruction pc. Branch targets are positions
// the translator bound inside the code, and every code ends with two
// opUnreachable sentinels, so the instruction pointer never leaves the
// instruction array.
func jump(base unsafe.Pointer, pc uint64) unsafe.Pointer {
	return unsafe.Add(base, uintptr(pc)*instrSize)
}

// pcOf returns the index of the instruction after the one at ip-1.
func pcOf(base, ip unsafe.Pointer) int {
	return int((uintptr(ip) - uintptr(base)) / instrSize)
}

// fillBytes sets every byte of b to v, doubling the filled prefix with
// copy (memmove) instead of storing byte by byte.
func fillBytes(b []byte, v byte) {
	if len(b) == 0 {
		return
	}
	b[0] = v
	for n := 1; n < len(b); n *= 2 {
		copy(b[n:], b[:n])
	}
}

func mem0(inst *store.Instance) []byte {
	if len(inst.Mems) != 0 {
		return inst.Mems[0].Bytes()
	}
	return nil
}

// exec is the dispatch loop. It runs fn, whose frame starts at slot 0 of
// the stack (fp 0) with an empty frame stack, and returns when fn returns.
func (m *Machine) exec(fn *store.Function, code *Code) error {
	m.cur = frame{fn: fn, code: code, id: m.funcID(fn, code)}
	return m.loop()
}

// loop runs m.cur from its pc, with the frames m.frames suspended below
// it, until the bottom frame returns.
func (m *Machine) loop() error {
	// Only the hottest state lives in locals (the Go register allocator
	// spills at the dispatch merge point otherwise); the rest of the
	// current frame is in m.cur.
	m.inst = m.cur.fn.Module
	m.setRW()
	var (
		ibase   = unsafe.Pointer(&m.cur.code.instrs[0])
		ip      = jump(ibase, uint64(m.cur.pc))
		rp      = frameBase(m.stack, m.cur.fp)
		mem     = mem0(m.inst)
		tc      store.TrapCode
		err     error
		exn     *store.Exception
		thPC    int // the instruction that threw exn
		entered bool
	)
	// mem lives in the stack frame, not in registers: taking its address
	// keeps the compiler from carrying its three words through the loop
	// and spilling them at every dispatch; memory instructions load it.
	_ = &mem
	for {
		in := (*instr)(ip)
		ip = unsafe.Add(ip, instrSize)
		if pairCounting { // a constant: compiled away unless -tags kilnpairs
			countInstr(in)
		}
		switch in.op {
		case opUnreachable:
			tc = store.TrapUnreachable
			goto trap
		case opBr:
			ip = jump(ibase, in.imm)
			if in.a != 0 && m.edgeChecks {
				if err = m.edgeCheck(); err != nil {
					goto edge
				}
			}
		case opBrIf:
			if uint32(*at(rp, in.b)) != 0 {
				ip = jump(ibase, in.imm)
				if in.a != 0 && m.edgeChecks {
					if err = m.edgeCheck(); err != nil {
						goto edge
					}
				}
			}
		case opBrIfNot:
			if uint32(*at(rp, in.b)) == 0 {
				ip = jump(ibase, in.imm)
				if in.a != 0 && m.edgeChecks {
					if err = m.edgeCheck(); err != nil {
						goto edge
					}
				}
			}
		case opBrTable:
			tbl := m.cur.code.brTables[in.imm]
			i := uint64(uint32(*at(rp, in.b)))
			if i >= uint64(len(tbl)) {
				i = uint64(len(tbl) - 1)
			}
			ip = jump(ibase, uint64(tbl[i]))
		case opReturn1, opReturnK:
			v := in.imm
			if in.op == opReturn1 {
				v = *at(rp, in.b)
			}
			*at(rp, 0) = v
			fallthrough
		case opReturn:
			if len(m.frames) == 0 {
				return nil
			}
			m.resume(m.frames[len(m.frames)-1])
			m.frames = m.frames[:len(m.frames)-1]
			ibase = unsafe.Pointer(&m.cur.code.instrs[0])
			ip = jump(ibase, uint64(m.cur.pc))
			rp = frameBase(m.stack, m.cur.fp)
			if m.cur.code.refSlots {
				m.rw = m.refs[m.cur.fp:]
			}
			if inst := m.cur.fn.Module; inst != m.inst {
				// Within one module the cached view is current: memory.grow
				// reloads it, and so does every slow-path call. A shared
				// memory grown by another thread is caught at oobMem.
				m.inst = inst
				mem = mem0(inst)
			}
		case opCall, opCallIndirect, opCallRef:
			var callee *store.Function
			if in.op == opCall {
				callee = m.inst.Funcs[in.a]
			} else if in.op == opCallRef {
				r := m.rw[in.c]
				if r == nil {
					tc = store.TrapNullFunctionReference
					goto trap
				}
				callee = r.(*store.Function)
			} else {
				tbl := m.inst.Tables[uint32(in.imm)]
				i := *at(rp, in.c)
				if in.imm>>32 == 0 {
					i = uint64(uint32(i))
				}
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
				if callee.TypeID != m.inst.TypeIDs[in.a] && !typeMatches(callee, m.inst.Types[in.a]) {
					tc = store.TrapIndirectCallTypeMismatch
					goto trap
				}
			}
			if cc, ok := callee.Code.(*Code); ok {
				c, end := &m.fnTable.cache[fnSlot(callee)], m.cur.fp+int(in.b)+int(cc.frameSize)
				if callee.Host == nil && cc.heatNow() == 0 && len(m.frames) < m.frameCap &&
					c.fn == callee && end <= len(m.stack) && (!cc.refSlots || end <= len(m.refs)) &&
					(!m.checks || m.entryCheckInline()) {
					// Fast path: a wasm callee already in the function
					// table whose frame fits (and, with checks on, fuel in
					// hand and no interruption pending: entryCheckInline,
					// last, as it takes the unit).
					nfp := m.cur.fp + int(in.b)
					m.frames = append(m.frames, record{pc: int32(pcOf(ibase, ip)), fp: int32(m.cur.fp), fn: m.cur.id})
					m.cur = frame{fn: callee, code: cc, fp: nfp, id: c.id}
					rp = frameBase(m.stack, nfp)
					if cc.numLocals-cc.numParams <= 8 {
						// A few stores beat a call to memclr.
						for i := cc.numParams; i < cc.numLocals; i++ {
							*at(rp, i) = 0
						}
					} else {
						clear(m.stack[nfp+int(cc.numParams) : nfp+int(cc.numLocals)])
					}
					if cc.refSlots {
						m.rw = m.refs[nfp:]
						if cc.refLocals {
							clear(m.rw[cc.numParams:cc.numLocals])
						}
					}
					if m.inst != callee.Module {
						m.inst = callee.Module
						mem = mem0(m.inst)
					}
					ibase = unsafe.Pointer(&cc.instrs[0])
					ip = ibase
					continue
				}
			}
			if err = m.call(callee, pcOf(ibase, ip), int(in.b)); err != nil {
				if exn = m.rethrown(err); exn != nil {
					thPC = pcOf(ibase, ip) - 1
					goto throw
				}
				if m.jump(err) {
					// A longjmp (capture.go): m.cur is the checkpoint's frame.
					ibase = unsafe.Pointer(&m.cur.code.instrs[0])
					ip = jump(ibase, uint64(m.cur.pc))
					rp = frameBase(m.stack, m.cur.fp)
					mem = mem0(m.inst)
					continue
				}
				goto fail
			}
			ibase = unsafe.Pointer(&m.cur.code.instrs[0])
			ip = jump(ibase, uint64(m.cur.pc))
			rp = frameBase(m.stack, m.cur.fp)
			mem = mem0(m.inst)
		case opCopy:
			*at(rp, in.a) = *at(rp, in.b)
		case opCopy2:
			lo, hi := *at(rp, in.b), *at(rp, in.b+1)
			*at(rp, in.a), *at(rp, in.a+1) = lo, hi
		case opCopyRef:
			m.rw[in.a] = m.rw[in.b]
		case opConst:
			*at(rp, in.a) = in.imm
		case opConst2:
			*at(rp, in.a) = in.imm
			*at(rp, in.a+1) = uint64(in.b) | uint64(in.c)<<32
		case opSelect:
			if uint32(*at(rp, uint32(in.imm))) != 0 {
				*at(rp, in.a) = *at(rp, in.b)
			} else {
				*at(rp, in.a) = *at(rp, in.c)
			}
		case opSelect2:
			src := in.c
			if uint32(*at(rp, uint32(in.imm))) != 0 {
				src = in.b
			}
			lo, hi := *at(rp, src), *at(rp, src+1)
			*at(rp, in.a), *at(rp, in.a+1) = lo, hi
		case opSelectRef:
			if uint32(*at(rp, uint32(in.imm))) != 0 {
				m.rw[in.a] = m.rw[in.b]
			} else {
				m.rw[in.a] = m.rw[in.c]
			}
		case opGlobalGet:
			*at(rp, in.a) = m.inst.Globals[in.b].Lo
		case opGlobalGet2:
			g := m.inst.Globals[in.b]
			*at(rp, in.a), *at(rp, in.a+1) = g.Lo, g.Hi
		case opGlobalGetRef:
			m.rw[in.a] = m.inst.Globals[in.b].Ref
		case opGlobalSet:
			m.inst.Globals[in.a].Lo = *at(rp, in.b)
		case opGlobalSet2:
			g := m.inst.Globals[in.a]
			g.Lo, g.Hi = *at(rp, in.b), *at(rp, in.b+1)
		case opGlobalSetRef:
			m.inst.Globals[in.a].Ref = m.rw[in.b]

		// Fused compare-and-branch.
		case opBrI32Eqz:
			if uint32(*at(rp, in.b)) == 0 {
				goto taken
			}
		case opBrI64Eqz:
			if *at(rp, in.b) == 0 {
				goto taken
			}
		case opBrI64Nez:
			if *at(rp, in.b) != 0 {
				goto taken
			}
		case opBrI32Eq:
			if uint32(*at(rp, in.b)) == uint32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32Ne:
			if uint32(*at(rp, in.b)) != uint32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32LtS:
			if int32(*at(rp, in.b)) < int32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32LtU:
			if uint32(*at(rp, in.b)) < uint32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32GtS:
			if int32(*at(rp, in.b)) > int32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32GtU:
			if uint32(*at(rp, in.b)) > uint32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32LeS:
			if int32(*at(rp, in.b)) <= int32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32LeU:
			if uint32(*at(rp, in.b)) <= uint32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32GeS:
			if int32(*at(rp, in.b)) >= int32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32GeU:
			if uint32(*at(rp, in.b)) >= uint32(*at(rp, in.c)) {
				goto taken
			}
		case opBrI32EqK:
			if uint32(*at(rp, in.b)) == in.c {
				goto taken
			}
		case opBrI32NeK:
			if uint32(*at(rp, in.b)) != in.c {
				goto taken
			}
		case opBrI32LtSK:
			if int32(*at(rp, in.b)) < int32(in.c) {
				goto taken
			}
		case opBrI32LtUK:
			if uint32(*at(rp, in.b)) < in.c {
				goto taken
			}
		case opBrI32GtSK:
			if int32(*at(rp, in.b)) > int32(in.c) {
				goto taken
			}
		case opBrI32GtUK:
			if uint32(*at(rp, in.b)) > in.c {
				goto taken
			}
		case opBrI32LeSK:
			if int32(*at(rp, in.b)) <= int32(in.c) {
				goto taken
			}
		case opBrI32LeUK:
			if uint32(*at(rp, in.b)) <= in.c {
				goto taken
			}
		case opBrI32GeSK:
			if int32(*at(rp, in.b)) >= int32(in.c) {
				goto taken
			}
		case opBrI32GeUK:
			if uint32(*at(rp, in.b)) >= in.c {
				goto taken
			}

		// Memory.
		case opI32Load:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(load32(mem, ea))
		case opI64Load:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+8 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = load64(mem, ea)
		case opF32Load:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(load32(mem, ea))
		case opF64Load:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+8 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = load64(mem, ea)
		case opI32Load8S:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(uint32(int32(int8(mem[ea]))))
		case opI32Load8U:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(mem[ea])
		case opI32Load16S:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(uint32(int32(int16(load16(mem, ea)))))
		case opI32Load16U:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(load16(mem, ea))
		case opI64Load8S:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(int64(int8(mem[ea])))
		case opI64Load8U:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(mem[ea])
		case opI64Load16S:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(int64(int16(load16(mem, ea))))
		case opI64Load16U:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(load16(mem, ea))
		case opI64Load32S:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(int64(int32(load32(mem, ea))))
		case opI64Load32U:
			ea := uint64(uint32(*at(rp, in.b))+in.c) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			*at(rp, in.a) = uint64(load32(mem, ea))
		case opI32Store, opF32Store, opI64Store32:
			ea := uint64(uint32(*at(rp, in.a))+in.c) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			store32(mem, ea, uint32(*at(rp, in.b)))
		case opI64Store, opF64Store:
			ea := uint64(uint32(*at(rp, in.a))+in.c) + in.imm
			if ea+8 > uint64(len(mem)) {
				goto oobMem
			}
			store64(mem, ea, *at(rp, in.b))
		case opI32Store8, opI64Store8:
			ea := uint64(uint32(*at(rp, in.a))+in.c) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			mem[ea] = byte(*at(rp, in.b))
		case opI32Store16, opI64Store16:
			ea := uint64(uint32(*at(rp, in.a))+in.c) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			store16(mem, ea, uint16(*at(rp, in.b)))
		case opStore8K:
			ea := uint64(uint32(*at(rp, in.a))) + in.imm
			if ea >= uint64(len(mem)) {
				goto oobMem
			}
			mem[ea] = byte(in.c)
		case opStore16K:
			ea := uint64(uint32(*at(rp, in.a))) + in.imm
			if ea+2 > uint64(len(mem)) {
				goto oobMem
			}
			store16(mem, ea, uint16(in.c))
		case opStore32K:
			ea := uint64(uint32(*at(rp, in.a))) + in.imm
			if ea+4 > uint64(len(mem)) {
				goto oobMem
			}
			store32(mem, ea, in.c)
		case opStore64K:
			ea := uint64(uint32(*at(rp, in.a))) + in.imm
			if ea+8 > uint64(len(mem)) {
				goto oobMem
			}
			store64(mem, ea, uint64(int64(int32(in.c))))
		case opMemorySize:
			// Not the cached view: another thread may have grown a shared memory.
			*at(rp, in.a) = uint64(len(m.inst.Mems[in.imm].Bytes())) / 65536
		case opMemoryGrow:
			memoryGrow(m.stack[m.cur.fp:], in, m.inst)
			mem = mem0(m.inst)
		case opMemoryInit:
			if m.fuelOn {
				if err = m.chargeBulk(*at(rp, in.b+2), uint64(len(m.inst.Mems[in.c].Bytes())), FuelBytesPerUnit); err != nil {
					goto fail
				}
			}
			if !memoryInit(m.stack[m.cur.fp:], in, m.inst) {
				goto oobMem
			}
		case opDataDrop:
			m.inst.Datas[in.imm] = nil
		case opMemoryCopy:
			if m.fuelOn {
				if err = m.chargeBulk(*at(rp, in.b+2), uint64(len(m.inst.Mems[in.imm].Bytes())), FuelBytesPerUnit); err != nil {
					goto fail
				}
			}
			if in.imm != 0 || in.c != 0 || m.inst.Mems[0].Type.Is64 {
				if !memoryCopy(m.stack[m.cur.fp:], in, m.inst) {
					goto oobMem
				}
				break
			}
			d, s, n := uint64(uint32(*at(rp, in.b))), uint64(uint32(*at(rp, in.b+1))), uint64(uint32(*at(rp, in.b+2)))
			if s+n > uint64(len(mem)) || d+n > uint64(len(mem)) {
				goto oobMem
			}
			copy(mem[d:d+n], mem[s:s+n])
		case opMemoryFill:
			if m.fuelOn {
				if err = m.chargeBulk(*at(rp, in.b+2), uint64(len(m.inst.Mems[in.imm].Bytes())), FuelBytesPerUnit); err != nil {
					goto fail
				}
			}
			if in.imm != 0 || m.inst.Mems[0].Type.Is64 {
				if !memoryFill(m.stack[m.cur.fp:], in, m.inst) {
					goto oobMem
				}
				break
			}
			d, v, n := uint64(uint32(*at(rp, in.b))), byte(*at(rp, in.b+1)), uint64(uint32(*at(rp, in.b+2)))
			if d+n > uint64(len(mem)) {
				goto oobMem
			}
			fillBytes(mem[d:d+n], v)

		// Tables and references.
		case opTableGet:
			tbl := m.inst.Tables[in.imm]
			i := addrOf(*at(rp, in.b), tbl.Type.Is64)
			if i >= uint64(len(tbl.Elems)) {
				goto oobTable
			}
			m.rw[in.a] = tbl.Elems[i]
		case opTableSet:
			tbl := m.inst.Tables[in.imm]
			i := addrOf(*at(rp, in.a), tbl.Type.Is64)
			if i >= uint64(len(tbl.Elems)) {
				goto oobTable
			}
			tbl.Elems[i] = m.rw[in.b]
			tbl.Wrote(i, 1)
		case opTableSize:
			*at(rp, in.a) = uint64(len(m.inst.Tables[in.imm].Elems))
		case opTableGrow:
			if m.fuelOn {
				t := m.inst.Tables[in.imm]
				if err = m.chargeBulk(*at(rp, in.b+1), t.Max()-uint64(len(t.Elems)), FuelElemsPerUnit); err != nil {
					goto fail
				}
			}
			tableGrow(m.stack[m.cur.fp:], m.rw, in, m.inst)
		case opTableFill:
			if m.fuelOn {
				if err = m.chargeBulk(*at(rp, in.b+2), uint64(len(m.inst.Tables[in.imm].Elems)), FuelElemsPerUnit); err != nil {
					goto fail
				}
			}
			if !tableFill(m.stack[m.cur.fp:], m.rw, in, m.inst) {
				goto oobTable
			}
		case opTableCopy:
			if m.fuelOn {
				if err = m.chargeBulk(*at(rp, in.b+2), uint64(len(m.inst.Tables[in.imm].Elems)), FuelElemsPerUnit); err != nil {
					goto fail
				}
			}
			if !tableCopy(m.stack[m.cur.fp:], in, m.inst) {
				goto oobTable
			}
		case opTableInit:
			if m.fuelOn {
				if err = m.chargeBulk(*at(rp, in.b+2), uint64(len(m.inst.Tables[in.c].Elems)), FuelElemsPerUnit); err != nil {
					goto fail
				}
			}
			if !tableInit(m.stack[m.cur.fp:], in, m.inst) {
				goto oobTable
			}
		case opElemDrop:
			m.inst.DropElem(int(in.imm))
		case opRefNull:
			m.rw[in.a] = nil
		case opRefIsNull:
			*at(rp, in.a) = b2u(m.rw[in.b] == nil)
		case opRefFunc:
			m.rw[in.a] = m.inst.Funcs[in.b]

		// i32
		case opI32Eqz:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) == 0)
		case opI32Eq:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) == uint32(*at(rp, in.c)))
		case opI32Ne:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) != uint32(*at(rp, in.c)))
		case opI32LtS:
			*at(rp, in.a) = b2u(int32(*at(rp, in.b)) < int32(*at(rp, in.c)))
		case opI32LtU:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) < uint32(*at(rp, in.c)))
		case opI32GtS:
			*at(rp, in.a) = b2u(int32(*at(rp, in.b)) > int32(*at(rp, in.c)))
		case opI32GtU:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) > uint32(*at(rp, in.c)))
		case opI32LeS:
			*at(rp, in.a) = b2u(int32(*at(rp, in.b)) <= int32(*at(rp, in.c)))
		case opI32LeU:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) <= uint32(*at(rp, in.c)))
		case opI32GeS:
			*at(rp, in.a) = b2u(int32(*at(rp, in.b)) >= int32(*at(rp, in.c)))
		case opI32GeU:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) >= uint32(*at(rp, in.c)))
		case opI32Clz:
			*at(rp, in.a) = uint64(bits.LeadingZeros32(uint32(*at(rp, in.b))))
		case opI32Ctz:
			*at(rp, in.a) = uint64(bits.TrailingZeros32(uint32(*at(rp, in.b))))
		case opI32Popcnt:
			*at(rp, in.a) = uint64(bits.OnesCount32(uint32(*at(rp, in.b))))
		case opI32Add:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) + uint32(*at(rp, in.c)))
		case opI32Sub:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) - uint32(*at(rp, in.c)))
		case opI32Mul:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) * uint32(*at(rp, in.c)))
		case opI32DivS:
			x, y := int32(*at(rp, in.b)), int32(*at(rp, in.c))
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			if x == math.MinInt32 && y == -1 {
				tc = store.TrapIntegerOverflow
				goto trap
			}
			*at(rp, in.a) = uint64(uint32(x / y))
		case opI32DivU:
			y := uint32(*at(rp, in.c))
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) / y)
		case opI32RemS:
			x, y := int32(*at(rp, in.b)), int32(*at(rp, in.c))
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			if y == -1 {
				*at(rp, in.a) = 0
			} else {
				*at(rp, in.a) = uint64(uint32(x % y))
			}
		case opI32RemU:
			y := uint32(*at(rp, in.c))
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) % y)
		case opI32And:
			*at(rp, in.a) = *at(rp, in.b) & *at(rp, in.c)
		case opI32Or:
			*at(rp, in.a) = *at(rp, in.b) | *at(rp, in.c)
		case opI32Xor:
			*at(rp, in.a) = *at(rp, in.b) ^ *at(rp, in.c)
		case opI32Shl:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) << (*at(rp, in.c) & 31))
		case opI32ShrS:
			*at(rp, in.a) = uint64(uint32(int32(*at(rp, in.b)) >> (*at(rp, in.c) & 31)))
		case opI32ShrU:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) >> (*at(rp, in.c) & 31))
		case opI32Rotl:
			*at(rp, in.a) = uint64(bits.RotateLeft32(uint32(*at(rp, in.b)), int(*at(rp, in.c)&31)))
		case opI32Rotr:
			*at(rp, in.a) = uint64(bits.RotateLeft32(uint32(*at(rp, in.b)), -int(*at(rp, in.c)&31)))
		case opI32EqK:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) == uint32(in.imm))
		case opI32NeK:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) != uint32(in.imm))
		case opI32LtSK:
			*at(rp, in.a) = b2u(int32(*at(rp, in.b)) < int32(in.imm))
		case opI32LtUK:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) < uint32(in.imm))
		case opI32GtSK:
			*at(rp, in.a) = b2u(int32(*at(rp, in.b)) > int32(in.imm))
		case opI32GtUK:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) > uint32(in.imm))
		case opI32LeSK:
			*at(rp, in.a) = b2u(int32(*at(rp, in.b)) <= int32(in.imm))
		case opI32LeUK:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) <= uint32(in.imm))
		case opI32GeSK:
			*at(rp, in.a) = b2u(int32(*at(rp, in.b)) >= int32(in.imm))
		case opI32GeUK:
			*at(rp, in.a) = b2u(uint32(*at(rp, in.b)) >= uint32(in.imm))
		case opI32AddK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) + uint32(in.imm))
		case opI32SubK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) - uint32(in.imm))
		case opI32MulK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) * uint32(in.imm))
		case opI32AndK:
			*at(rp, in.a) = *at(rp, in.b) & in.imm
		case opI32OrK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) | uint32(in.imm))
		case opI32XorK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) ^ uint32(in.imm))
		case opI32ShlK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) << (in.imm & 31))
		case opI32ShrSK:
			*at(rp, in.a) = uint64(uint32(int32(*at(rp, in.b)) >> (in.imm & 31)))
		case opI32ShrUK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) >> (in.imm & 31))
		case opI32RotlK:
			*at(rp, in.a) = uint64(bits.RotateLeft32(uint32(*at(rp, in.b)), int(in.imm&31)))
		case opI32AddShlK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) + uint32(*at(rp, in.c))<<(in.imm&31))
		case opI32RotrK:
			*at(rp, in.a) = uint64(bits.RotateLeft32(uint32(*at(rp, in.b)), -int(in.imm&31)))
		case opI32XorShlK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) ^ uint32(*at(rp, in.c))<<(in.imm&31))
		case opI32XorShrUK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) ^ uint32(*at(rp, in.c))>>(in.imm&31))
		case opI32XorRotlK:
			*at(rp, in.a) = uint64(bits.RotateLeft32(uint32(*at(rp, in.b)^*at(rp, in.c)), int(in.imm&31)))
		case opI32AddMulK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) + uint32(*at(rp, in.c))*uint32(in.imm))
		case opI32XorMulK:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)^*at(rp, in.c)) * uint32(in.imm))
		case opConstBr:
			*at(rp, in.a) = in.imm
			in = (*instr)(ip)
			goto taken
		case opCopyBr:
			*at(rp, in.a) = *at(rp, in.b)
			in = (*instr)(ip)
			goto taken
		case opI32AddKBr:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)) + uint32(in.imm))
			in = (*instr)(ip)
			goto taken
		case opI32AddKBrIf:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v != 0 {
				goto taken
			}
		case opI32AddKBrIfNot:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v == 0 {
				goto taken
			}
		case opI32AddKBrEq:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v == uint32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddKBrNe:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v != uint32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddKBrLtS:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if int32(v) < int32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddKBrLtU:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v < uint32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddKBrGtS:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if int32(v) > int32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddKBrGtU:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v > uint32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddKBrGeS:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if int32(v) >= int32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddKBrGeU:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v >= uint32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddKBrEqK:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v == in.c {
				goto taken
			}
		case opI32AddKBrNeK:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v != in.c {
				goto taken
			}
		case opI32AddKBrLtSK:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if int32(v) < int32(in.c) {
				goto taken
			}
		case opI32AddKBrLtUK:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v < in.c {
				goto taken
			}
		case opI32AddKBrGtSK:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if int32(v) > int32(in.c) {
				goto taken
			}
		case opI32AddKBrGtUK:
			v := uint32(*at(rp, in.b)) + uint32(in.imm)
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v > in.c {
				goto taken
			}
		case opI32AddBrNe:
			v := uint32(*at(rp, in.b)) + uint32(*at(rp, in.c))
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v != uint32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddBrLtS:
			v := uint32(*at(rp, in.b)) + uint32(*at(rp, in.c))
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if int32(v) < int32(*at(rp, in.c)) {
				goto taken
			}
		case opI32AddBrLtU:
			v := uint32(*at(rp, in.b)) + uint32(*at(rp, in.c))
			*at(rp, in.a) = uint64(v)
			in = (*instr)(ip)
			ip = unsafe.Add(ip, instrSize)
			if v < uint32(*at(rp, in.c)) {
				goto taken
			}

		// i64
		case opI64Eqz:
			*at(rp, in.a) = b2u(*at(rp, in.b) == 0)
		case opI64Eq:
			*at(rp, in.a) = b2u(*at(rp, in.b) == *at(rp, in.c))
		case opI64Ne:
			*at(rp, in.a) = b2u(*at(rp, in.b) != *at(rp, in.c))
		case opI64LtS:
			*at(rp, in.a) = b2u(int64(*at(rp, in.b)) < int64(*at(rp, in.c)))
		case opI64LtU:
			*at(rp, in.a) = b2u(*at(rp, in.b) < *at(rp, in.c))
		case opI64GtS:
			*at(rp, in.a) = b2u(int64(*at(rp, in.b)) > int64(*at(rp, in.c)))
		case opI64GtU:
			*at(rp, in.a) = b2u(*at(rp, in.b) > *at(rp, in.c))
		case opI64LeS:
			*at(rp, in.a) = b2u(int64(*at(rp, in.b)) <= int64(*at(rp, in.c)))
		case opI64LeU:
			*at(rp, in.a) = b2u(*at(rp, in.b) <= *at(rp, in.c))
		case opI64GeS:
			*at(rp, in.a) = b2u(int64(*at(rp, in.b)) >= int64(*at(rp, in.c)))
		case opI64GeU:
			*at(rp, in.a) = b2u(*at(rp, in.b) >= *at(rp, in.c))
		case opI64Clz:
			*at(rp, in.a) = uint64(bits.LeadingZeros64(*at(rp, in.b)))
		case opI64Ctz:
			*at(rp, in.a) = uint64(bits.TrailingZeros64(*at(rp, in.b)))
		case opI64Popcnt:
			*at(rp, in.a) = uint64(bits.OnesCount64(*at(rp, in.b)))
		case opI64Add:
			*at(rp, in.a) = *at(rp, in.b) + *at(rp, in.c)
		case opI64Sub:
			*at(rp, in.a) = *at(rp, in.b) - *at(rp, in.c)
		case opI64Mul:
			*at(rp, in.a) = *at(rp, in.b) * *at(rp, in.c)
		case opI64DivS:
			x, y := int64(*at(rp, in.b)), int64(*at(rp, in.c))
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			if x == math.MinInt64 && y == -1 {
				tc = store.TrapIntegerOverflow
				goto trap
			}
			*at(rp, in.a) = uint64(x / y)
		case opI64DivU:
			y := *at(rp, in.c)
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			*at(rp, in.a) = *at(rp, in.b) / y
		case opI64RemS:
			x, y := int64(*at(rp, in.b)), int64(*at(rp, in.c))
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			if y == -1 {
				*at(rp, in.a) = 0
			} else {
				*at(rp, in.a) = uint64(x % y)
			}
		case opI64RemU:
			y := *at(rp, in.c)
			if y == 0 {
				tc = store.TrapIntegerDivideByZero
				goto trap
			}
			*at(rp, in.a) = *at(rp, in.b) % y
		case opI64And:
			*at(rp, in.a) = *at(rp, in.b) & *at(rp, in.c)
		case opI64Or:
			*at(rp, in.a) = *at(rp, in.b) | *at(rp, in.c)
		case opI64Xor:
			*at(rp, in.a) = *at(rp, in.b) ^ *at(rp, in.c)
		case opI64Shl:
			*at(rp, in.a) = *at(rp, in.b) << (*at(rp, in.c) & 63)
		case opI64ShrS:
			*at(rp, in.a) = uint64(int64(*at(rp, in.b)) >> (*at(rp, in.c) & 63))
		case opI64ShrU:
			*at(rp, in.a) = *at(rp, in.b) >> (*at(rp, in.c) & 63)
		case opI64Rotl:
			*at(rp, in.a) = bits.RotateLeft64(*at(rp, in.b), int(*at(rp, in.c)&63))
		case opI64Rotr:
			*at(rp, in.a) = bits.RotateLeft64(*at(rp, in.b), -int(*at(rp, in.c)&63))
		case opI64EqK:
			*at(rp, in.a) = b2u(*at(rp, in.b) == in.imm)
		case opI64NeK:
			*at(rp, in.a) = b2u(*at(rp, in.b) != in.imm)
		case opI64LtSK:
			*at(rp, in.a) = b2u(int64(*at(rp, in.b)) < int64(in.imm))
		case opI64LtUK:
			*at(rp, in.a) = b2u(*at(rp, in.b) < in.imm)
		case opI64GtSK:
			*at(rp, in.a) = b2u(int64(*at(rp, in.b)) > int64(in.imm))
		case opI64GtUK:
			*at(rp, in.a) = b2u(*at(rp, in.b) > in.imm)
		case opI64LeSK:
			*at(rp, in.a) = b2u(int64(*at(rp, in.b)) <= int64(in.imm))
		case opI64LeUK:
			*at(rp, in.a) = b2u(*at(rp, in.b) <= in.imm)
		case opI64GeSK:
			*at(rp, in.a) = b2u(int64(*at(rp, in.b)) >= int64(in.imm))
		case opI64GeUK:
			*at(rp, in.a) = b2u(*at(rp, in.b) >= in.imm)
		case opI64AddK:
			*at(rp, in.a) = *at(rp, in.b) + in.imm
		case opI64SubK:
			*at(rp, in.a) = *at(rp, in.b) - in.imm
		case opI64MulK:
			*at(rp, in.a) = *at(rp, in.b) * in.imm
		case opI64AndK:
			*at(rp, in.a) = *at(rp, in.b) & in.imm
		case opI64OrK:
			*at(rp, in.a) = *at(rp, in.b) | in.imm
		case opI64XorK:
			*at(rp, in.a) = *at(rp, in.b) ^ in.imm
		case opI64ShlK:
			*at(rp, in.a) = *at(rp, in.b) << (in.imm & 63)
		case opI64ShrSK:
			*at(rp, in.a) = uint64(int64(*at(rp, in.b)) >> (in.imm & 63))
		case opI64ShrUK:
			*at(rp, in.a) = *at(rp, in.b) >> (in.imm & 63)
		case opI64RotlK:
			*at(rp, in.a) = bits.RotateLeft64(*at(rp, in.b), int(in.imm&63))
		case opI64RotrK:
			*at(rp, in.a) = bits.RotateLeft64(*at(rp, in.b), -int(in.imm&63))
		case opI64XorShlK:
			*at(rp, in.a) = *at(rp, in.b) ^ *at(rp, in.c)<<(in.imm&63)
		case opI64XorShrUK:
			*at(rp, in.a) = *at(rp, in.b) ^ *at(rp, in.c)>>(in.imm&63)

		// f32
		case opF32Eq:
			*at(rp, in.a) = b2u(f32(*at(rp, in.b)) == f32(*at(rp, in.c)))
		case opF32Ne:
			*at(rp, in.a) = b2u(f32(*at(rp, in.b)) != f32(*at(rp, in.c)))
		case opF32Lt:
			*at(rp, in.a) = b2u(f32(*at(rp, in.b)) < f32(*at(rp, in.c)))
		case opF32Gt:
			*at(rp, in.a) = b2u(f32(*at(rp, in.b)) > f32(*at(rp, in.c)))
		case opF32Le:
			*at(rp, in.a) = b2u(f32(*at(rp, in.b)) <= f32(*at(rp, in.c)))
		case opF32Ge:
			*at(rp, in.a) = b2u(f32(*at(rp, in.b)) >= f32(*at(rp, in.c)))
		case opF32Abs:
			*at(rp, in.a) = uint64(numeric.F32Abs(uint32(*at(rp, in.b))))
		case opF32Neg:
			*at(rp, in.a) = uint64(numeric.F32Neg(uint32(*at(rp, in.b))))
		case opF32Ceil:
			*at(rp, in.a) = uint64(numeric.F32Ceil(uint32(*at(rp, in.b))))
		case opF32Floor:
			*at(rp, in.a) = uint64(numeric.F32Floor(uint32(*at(rp, in.b))))
		case opF32Trunc:
			*at(rp, in.a) = uint64(numeric.F32Trunc(uint32(*at(rp, in.b))))
		case opF32Nearest:
			*at(rp, in.a) = uint64(numeric.F32Nearest(uint32(*at(rp, in.b))))
		case opF32Sqrt:
			*at(rp, in.a) = uint64(numeric.F32Sqrt(uint32(*at(rp, in.b))))
		case opF32Add:
			*at(rp, in.a) = uf32(f32(*at(rp, in.b)) + f32(*at(rp, in.c)))
		case opF32Sub:
			*at(rp, in.a) = uf32(f32(*at(rp, in.b)) - f32(*at(rp, in.c)))
		case opF32Mul:
			*at(rp, in.a) = uf32(f32(*at(rp, in.b)) * f32(*at(rp, in.c)))
		case opF32Div:
			*at(rp, in.a) = uf32(f32(*at(rp, in.b)) / f32(*at(rp, in.c)))
		case opF32Min:
			*at(rp, in.a) = uint64(numeric.F32Min(uint32(*at(rp, in.b)), uint32(*at(rp, in.c))))
		case opF32Max:
			*at(rp, in.a) = uint64(numeric.F32Max(uint32(*at(rp, in.b)), uint32(*at(rp, in.c))))
		case opF32Copysign:
			*at(rp, in.a) = uint64(numeric.F32Copysign(uint32(*at(rp, in.b)), uint32(*at(rp, in.c))))

		// f64
		case opF64Eq:
			*at(rp, in.a) = b2u(f64(*at(rp, in.b)) == f64(*at(rp, in.c)))
		case opF64Ne:
			*at(rp, in.a) = b2u(f64(*at(rp, in.b)) != f64(*at(rp, in.c)))
		case opF64Lt:
			*at(rp, in.a) = b2u(f64(*at(rp, in.b)) < f64(*at(rp, in.c)))
		case opF64Gt:
			*at(rp, in.a) = b2u(f64(*at(rp, in.b)) > f64(*at(rp, in.c)))
		case opF64Le:
			*at(rp, in.a) = b2u(f64(*at(rp, in.b)) <= f64(*at(rp, in.c)))
		case opF64Ge:
			*at(rp, in.a) = b2u(f64(*at(rp, in.b)) >= f64(*at(rp, in.c)))
		case opF64Abs:
			*at(rp, in.a) = numeric.F64Abs(*at(rp, in.b))
		case opF64Neg:
			*at(rp, in.a) = numeric.F64Neg(*at(rp, in.b))
		case opF64Ceil:
			*at(rp, in.a) = numeric.F64Ceil(*at(rp, in.b))
		case opF64Floor:
			*at(rp, in.a) = numeric.F64Floor(*at(rp, in.b))
		case opF64Trunc:
			*at(rp, in.a) = numeric.F64Trunc(*at(rp, in.b))
		case opF64Nearest:
			*at(rp, in.a) = numeric.F64Nearest(*at(rp, in.b))
		case opF64Sqrt:
			*at(rp, in.a) = numeric.F64Sqrt(*at(rp, in.b))
		case opF64Add:
			*at(rp, in.a) = uf64(f64(*at(rp, in.b)) + f64(*at(rp, in.c)))
		case opF64Sub:
			*at(rp, in.a) = uf64(f64(*at(rp, in.b)) - f64(*at(rp, in.c)))
		case opF64Mul:
			*at(rp, in.a) = uf64(f64(*at(rp, in.b)) * f64(*at(rp, in.c)))
		case opF64Div:
			*at(rp, in.a) = uf64(f64(*at(rp, in.b)) / f64(*at(rp, in.c)))
		case opF64Min:
			*at(rp, in.a) = numeric.F64Min(*at(rp, in.b), *at(rp, in.c))
		case opF64Max:
			*at(rp, in.a) = numeric.F64Max(*at(rp, in.b), *at(rp, in.c))
		case opF64Copysign:
			*at(rp, in.a) = numeric.F64Copysign(*at(rp, in.b), *at(rp, in.c))

		// Conversions.
		case opI32WrapI64:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)))
		case opI32TruncF32S:
			v, t := numeric.I32TruncF32S(uint32(*at(rp, in.b)))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			*at(rp, in.a) = uint64(v)
		case opI32TruncF32U:
			v, t := numeric.I32TruncF32U(uint32(*at(rp, in.b)))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			*at(rp, in.a) = uint64(v)
		case opI32TruncF64S:
			v, t := numeric.I32TruncF64S(*at(rp, in.b))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			*at(rp, in.a) = uint64(v)
		case opI32TruncF64U:
			v, t := numeric.I32TruncF64U(*at(rp, in.b))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			*at(rp, in.a) = uint64(v)
		case opI64ExtendI32S:
			*at(rp, in.a) = uint64(int64(int32(*at(rp, in.b))))
		case opI64ExtendI32U:
			*at(rp, in.a) = uint64(uint32(*at(rp, in.b)))
		case opI64TruncF32S:
			v, t := numeric.I64TruncF32S(uint32(*at(rp, in.b)))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			*at(rp, in.a) = v
		case opI64TruncF32U:
			v, t := numeric.I64TruncF32U(uint32(*at(rp, in.b)))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			*at(rp, in.a) = v
		case opI64TruncF64S:
			v, t := numeric.I64TruncF64S(*at(rp, in.b))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			*at(rp, in.a) = v
		case opI64TruncF64U:
			v, t := numeric.I64TruncF64U(*at(rp, in.b))
			if t != numeric.TrapNone {
				tc = numericTraps[t]
				goto trap
			}
			*at(rp, in.a) = v
		case opF32ConvertI32S:
			*at(rp, in.a) = uint64(numeric.F32ConvertI32S(uint32(*at(rp, in.b))))
		case opF32ConvertI32U:
			*at(rp, in.a) = uint64(numeric.F32ConvertI32U(uint32(*at(rp, in.b))))
		case opF32ConvertI64S:
			*at(rp, in.a) = uint64(numeric.F32ConvertI64S(*at(rp, in.b)))
		case opF32ConvertI64U:
			*at(rp, in.a) = uint64(numeric.F32ConvertI64U(*at(rp, in.b)))
		case opF32DemoteF64:
			*at(rp, in.a) = uint64(numeric.F32DemoteF64(*at(rp, in.b)))
		case opF64ConvertI32S:
			*at(rp, in.a) = numeric.F64ConvertI32S(uint32(*at(rp, in.b)))
		case opF64ConvertI32U:
			*at(rp, in.a) = numeric.F64ConvertI32U(uint32(*at(rp, in.b)))
		case opF64ConvertI64S:
			*at(rp, in.a) = numeric.F64ConvertI64S(*at(rp, in.b))
		case opF64ConvertI64U:
			*at(rp, in.a) = numeric.F64ConvertI64U(*at(rp, in.b))
		case opF64PromoteF32:
			*at(rp, in.a) = numeric.F64PromoteF32(uint32(*at(rp, in.b)))
		case opI32Extend8S:
			*at(rp, in.a) = uint64(uint32(int32(int8(*at(rp, in.b)))))
		case opI32Extend16S:
			*at(rp, in.a) = uint64(uint32(int32(int16(*at(rp, in.b)))))
		case opI64Extend8S:
			*at(rp, in.a) = uint64(int64(int8(*at(rp, in.b))))
		case opI64Extend16S:
			*at(rp, in.a) = uint64(int64(int16(*at(rp, in.b))))
		case opI64Extend32S:
			*at(rp, in.a) = uint64(int64(int32(*at(rp, in.b))))
		case opI32TruncSatF32S:
			*at(rp, in.a) = uint64(numeric.I32TruncSatF32S(uint32(*at(rp, in.b))))
		case opI32TruncSatF32U:
			*at(rp, in.a) = uint64(numeric.I32TruncSatF32U(uint32(*at(rp, in.b))))
		case opI32TruncSatF64S:
			*at(rp, in.a) = uint64(numeric.I32TruncSatF64S(*at(rp, in.b)))
		case opI32TruncSatF64U:
			*at(rp, in.a) = uint64(numeric.I32TruncSatF64U(*at(rp, in.b)))
		case opI64TruncSatF32S:
			*at(rp, in.a) = numeric.I64TruncSatF32S(uint32(*at(rp, in.b)))
		case opI64TruncSatF32U:
			*at(rp, in.a) = numeric.I64TruncSatF32U(uint32(*at(rp, in.b)))
		case opI64TruncSatF64S:
			*at(rp, in.a) = numeric.I64TruncSatF64S(*at(rp, in.b))
		case opI64TruncSatF64U:
			*at(rp, in.a) = numeric.I64TruncSatF64U(*at(rp, in.b))

		case opV128Binary, opV128Unary, opV128Shift, opV128Test, opV128Bitmask,
			opV128Bitselect, opV128Ternary, opV128Shuffle, opV128Splat, opV128Extract, opV128Replace:
			simdExec(m.stack[m.cur.fp:], in, m.cur.code)
		case opV128Load, opV128LoadLane, opV128Store, opV128StoreLane:
			if !simdMem(m.stack[m.cur.fp:], in, mem) {
				goto oobMem
			}
		// Instructions of later proposals (cold: kept after the 2.0 ones).
		case opReturnCall, opReturnCallIndirect, opReturnCallRef:
			callee, code := m.callee(in)
			if code != store.TrapNone {
				tc = code
				goto trap
			}
			m.cur.pc = pcOf(ibase, ip)
			var returned bool
			if returned, err = m.tailCall(callee, int(in.b)); err != nil {
				if exn = m.rethrown(err); exn != nil {
					thPC = pcOf(ibase, ip) - 1
					goto throw
				}
				goto fail
			}
			if returned {
				goto ret
			}
			ibase = unsafe.Pointer(&m.cur.code.instrs[0])
			ip = ibase
			rp = frameBase(m.stack, m.cur.fp)
			mem = mem0(m.inst)
		case opThrow:
			exn, thPC = m.newException(in), pcOf(ibase, ip)-1
			goto throw
		case opThrowRef:
			r := m.rw[in.b]
			if r == nil {
				tc = store.TrapNullExceptionReference
				goto trap
			}
			exn, thPC = r.(*store.Exception), pcOf(ibase, ip)-1
			goto throw
		case opRethrow:
			exn, thPC = m.rw[in.b].(*store.Exception), pcOf(ibase, ip)-1
			goto throw
		case opStructNew, opStructNewDefault, opStructGet, opStructSet, opArrayNew, opArrayNewDefault,
			opArrayNewFixed, opArrayNewData, opArrayNewElem, opArrayGet, opArraySet, opArrayLen,
			opArrayFill, opArrayCopy, opArrayInitData, opArrayInitElem, opRefI31, opI31Get, opRefEq,
			opRefTest, opRefCast:
			if tc = m.execGC(in); tc != store.TrapNone {
				if tc == trapFuel {
					err = ErrFuelExhausted
					goto fail
				}
				goto trap
			}
		case opBrOnCast:
			if castOK(m.rw[in.b], in.c, m.inst.Types) {
				goto taken
			}
		case opBrOnCastFail:
			if !castOK(m.rw[in.b], in.c, m.inst.Types) {
				goto taken
			}
		case opAtomic:
			if tc, err = m.execAtomic(m.stack[m.cur.fp:], in); err != nil {
				goto fail
			}
			if tc != store.TrapNone {
				goto trap
			}
		case opMemX:
			if !memX(m.stack[m.cur.fp:], in, m.cur.code, m.inst, mem) {
				goto oobMem
			}
		case opRefAsNonNull:
			if m.rw[in.b] == nil {
				tc = store.TrapNullReference
				goto trap
			}
		case opBrOnNull:
			if m.rw[in.b] == nil {
				goto taken
			}
		case opBrOnNonNull:
			if m.rw[in.b] != nil {
				goto taken
			}
		default:
			tc = store.TrapUnreachable
			goto trap
		}
		continue
	taken:
		ip = jump(ibase, in.imm)
		if in.a != 0 && m.edgeChecks {
			if err = m.edgeCheck(); err != nil {
				goto edge
			}
		}
		continue
	throw:
		if err = m.unwind(exn, thPC); err != nil {
			goto fail
		}
		ibase = unsafe.Pointer(&m.cur.code.instrs[0])
		ip = jump(ibase, uint64(m.cur.pc))
		rp = frameBase(m.stack, m.cur.fp)
		mem = mem0(m.inst)
		continue
	edge:
		// A back-edge's check failed, or the frame is to continue in
		// its promoted code (on-stack replacement), which leaves the
		// results as a tail call of a host function does.
		if err != errEnterLoop {
			goto fail
		}
		m.cur.pc = pcOf(ibase, ip)
		if entered, err = m.enterLoop(); err != nil {
			if exn = m.rethrown(err); exn != nil && len(m.frames) > 0 {
				// Thrown through the frame's promoted code, whose
				// frames the trap has (it has no handlers: the
				// baseline compiles no exception handling): the
				// exception continues from the call of the frame.
				m.resume(m.frames[len(m.frames)-1])
				m.frames = m.frames[:len(m.frames)-1]
				thPC = m.cur.pc - 1
				goto throw
			}
			goto fail
		}
		if !entered {
			continue
		}
	ret:
		// A return after a tail call of a host function, or after
		// enterLoop.
		if len(m.frames) == 0 {
			return nil
		}
		m.resume(m.frames[len(m.frames)-1])
		m.frames = m.frames[:len(m.frames)-1]
		ibase = unsafe.Pointer(&m.cur.code.instrs[0])
		ip = jump(ibase, uint64(m.cur.pc))
		m.inst = m.cur.fn.Module
		rp = frameBase(m.stack, m.cur.fp)
		m.setRW()
		mem = mem0(m.inst)
		continue
	oobMem:
		if cur := mem0(m.inst); len(cur) != len(mem) {
			// Memory 0 is shared and another thread grew it since the view
			// was cached: retry the instruction with the current size.
			mem = cur
			ip = unsafe.Add(ip, -int(instrSize))
			continue
		}
		tc = store.TrapOutOfBoundsMemoryAccess
		goto trap
	oobTable:
		tc = store.TrapOutOfBoundsTableAccess
		goto trap
	}
trap:
	m.cur.pc = pcOf(ibase, ip)
	err = m.trapHere(tc)
fail:
	m.frames = m.frames[:0]
	return err
}
