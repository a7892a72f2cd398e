package interp

import (
	"fmt"
	"math"

	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// entryKind says where a virtual operand-stack value currently lives.
type entryKind uint8

const (
	eSlot  entryKind = iota // in its canonical slot
	eLocal                  // still in a local (lazy local.get)
	eConst                  // a constant not yet written anywhere
)

// entry is one value of the translator's virtual operand stack.
type entry struct {
	kind entryKind
	typ  wasm.ValType
	slot uint32 // canonical slot of this stack position
	src  uint32 // eLocal: the local's slot
	k    uint64 // eConst: the constant's bits
}

func slotSize(t wasm.ValType) uint32 {
	if t == wasm.V128 {
		return 2
	}
	return 1
}

// fixup is a forward branch waiting for its label's position: the imm of
// instruction instr, or entry of branch table table when table >= 0.
type fixup struct {
	instr int
	table int
	// clause is the catch clause of handler instr when table is fixClause.
	clause int
}

// fixClause marks a fixup of a catch clause's target.
const fixClause = -2

// ctrl is a control frame of the translator.
type ctrl struct {
	kind    validator.FrameKind
	height  int // virtual stack length at entry, below the parameters
	params  []wasm.ValType
	results []wasm.ValType
	start   int // loop: position of the loop header
	fixups  []fixup
	elseFix int    // if: the branch to the else arm, or -1
	handler int    // try_table, try: index in Code.handlers
	hidden  uint32 // try: hidden slot of the caught exception
}

// translator turns one function body into register code; it is the
// validator's FuncVisitor.
type translator struct {
	comp *Compiler
	def  uint32
	code *Code
	ft   *wasm.FuncType

	stack     []entry
	ctrls     []ctrl
	localSlot []uint32
	localType []wasm.ValType
	written   []bool // locals some instruction so far may write (see stillZero)
	nLocal    uint32 // slots of parameters and locals
	maxSlot   uint32
	// barrier is the position of the last bound label: instructions before
	// it must not be rewritten by peepholes.
	barrier int
	// lastDst is the index of the last instruction if its only effect is
	// to write its result to slot a (retargetable), else -1.
	lastDst int
	// dead counts the nesting of blocks opened in unreachable code.
	dead   int
	offset int

	// Exception handling: the handlers whose bodies are open, the catch
	// clauses that branch to the function's label (bound to a return
	// stub at the end), and the number of hidden exception slots.
	active    []activeHandler
	retFixups []fixup
	nHidden   uint32
}

func (t *translator) Begin(f *validator.Func) error {
	t.ft = f.Type
	t.localSlot = append(t.localSlot[:0], make([]uint32, len(f.Locals))...)
	t.localType = f.Locals
	t.written = append(t.written[:0], make([]bool, len(f.Locals))...)
	t.stack = t.stack[:0]
	t.barrier, t.dead = 0, 0
	t.active, t.retFixups, t.nHidden = t.active[:0], t.retFixups[:0], 0
	t.code = &Code{funcIndex: f.Index}
	if t.def < uint32(len(t.comp.mod.Codes)) {
		// About one register instruction per two bytes of body.
		n := len(t.comp.mod.Codes[t.def].Body)/2 + 4
		t.code.instrs = make([]instr, 0, n)
		t.code.offsets = make([]int32, 0, n)
	}
	var slot uint32
	for i, lt := range f.Locals {
		if i == len(f.Type.Params) {
			t.code.numParams = slot
		}
		if lt.IsRef() {
			t.code.refSlots = true
			t.code.refLocals = t.code.refLocals || i >= len(f.Type.Params)
		}
		t.localSlot[i] = slot
		slot += slotSize(lt)
	}
	if len(f.Locals) == len(f.Type.Params) {
		t.code.numParams = slot
	}
	t.nLocal = slot
	t.code.numLocals = slot
	t.maxSlot = slot
	t.code.numResults = uint32(SlotCount(f.Type.Results))
	for _, r := range f.Type.Results {
		t.code.refSlots = t.code.refSlots || r.IsRef()
	}
	t.lastDst = -1
	t.ctrls = append(t.ctrls[:0], ctrl{kind: validator.FrameFunc, results: f.Type.Results, elseFix: -1})
	return nil
}

func (t *translator) End(f *validator.Func) error {
	// Sentinels: the dispatch loop advances its instruction pointer before
	// executing, and must never point past the array.
	if len(t.retFixups) > 0 {
		// Catch clauses that branch to the function's label left the
		// results at the bottom of the frame.
		pos := t.emit(instr{op: opReturn})
		for _, f := range t.retFixups {
			t.bind(pos, f)
		}
	}
	t.emit(instr{op: opUnreachable})
	t.emit(instr{op: opUnreachable})
	t.maxSlot = t.rebaseHidden(t.maxSlot)
	c := t.code
	if len(c.instrs) > math.MaxInt32 {
		// Frame records hold the pc in 32 bits.
		return fmt.Errorf("function %d translates to more than 2^31 instructions", f.Index)
	}
	if len(c.handlers) > 0 || t.nHidden > 0 {
		c.refSlots = true // exceptions and exnref slots
	}
	// Code lives as long as the compiled module: keep it exactly sized.
	c.instrs = append([]instr(nil), c.instrs...)
	c.offsets = append([]int32(nil), c.offsets...)
	c.frameSize = t.maxSlot
	if c.frameSize == 0 {
		c.frameSize = 1 // a frame always has an addressable base slot
	}
	if c.numResults > c.frameSize {
		c.frameSize = c.numResults
	}
	t.comp.codes[t.def] = c
	return nil
}

// emit appends an instruction that is not a retargetable result producer.
func (t *translator) emit(in instr) int {
	t.code.instrs = append(t.code.instrs, in)
	t.code.offsets = append(t.code.offsets, int32(t.offset))
	t.lastDst = -1
	return len(t.code.instrs) - 1
}

// emitDst appends an instruction whose only effect is writing slot in.a.
func (t *translator) emitDst(in instr) {
	t.lastDst = t.emit(in)
}

func (t *translator) slotAt(i int) uint32 {
	if i == 0 {
		return t.nLocal
	}
	e := &t.stack[i-1]
	return e.slot + slotSize(e.typ)
}

func (t *translator) push(kind entryKind, typ wasm.ValType) *entry {
	s := t.slotAt(len(t.stack))
	t.stack = append(t.stack, entry{kind: kind, typ: typ, slot: s})
	if typ.IsRef() {
		t.code.refSlots = true
	}
	if end := s + slotSize(typ); end > t.maxSlot {
		t.maxSlot = end
	}
	return &t.stack[len(t.stack)-1]
}

// pushSlot pushes a materialised value and returns its slot.
func (t *translator) pushSlot(typ wasm.ValType) uint32 { return t.push(eSlot, typ).slot }

func (t *translator) pop() entry {
	e := t.stack[len(t.stack)-1]
	t.stack = t.stack[:len(t.stack)-1]
	return e
}

// byType picks the form of an instruction for a value of type typ: the
// scalar form (one slot), the v128 form (two slots) or the reference form.
func byType(typ wasm.ValType, scalar, v128, ref opcode) opcode {
	switch {
	case typ == wasm.V128:
		return v128
	case typ.IsRef():
		return ref
	}
	return scalar
}

// copyOp returns the copy instruction for a value of type typ.
func copyOp(typ wasm.ValType) opcode { return byType(typ, opCopy, opCopy2, opCopyRef) }

// move writes the value of e to slot dst.
func (t *translator) move(typ wasm.ValType, dst uint32, e entry) {
	switch e.kind {
	case eConst:
		t.emitDst(instr{op: opConst, a: dst, imm: e.k})
	case eLocal:
		if e.src != dst {
			t.emitDst(instr{op: copyOp(typ), a: dst, b: e.src})
		}
	default:
		if e.slot != dst {
			t.emitDst(instr{op: copyOp(typ), a: dst, b: e.slot})
		}
	}
}

// materialize puts stack entry i into its canonical slot.
func (t *translator) materialize(i int) {
	e := &t.stack[i]
	if e.kind == eSlot {
		return
	}
	t.move(e.typ, e.slot, *e)
	e.kind = eSlot
}

func (t *translator) materializeTop(n int) {
	for i := len(t.stack) - n; i < len(t.stack); i++ {
		t.materialize(i)
	}
}

func (t *translator) materializeAll() { t.materializeTop(len(t.stack)) }

// operand returns the slot to read a popped entry from, writing a constant
// to the entry's canonical slot first.
func (t *translator) operand(e *entry) uint32 {
	switch e.kind {
	case eLocal:
		return e.src
	case eConst:
		t.emitDst(instr{op: opConst, a: e.slot, imm: e.k})
		e.kind = eSlot
	}
	return e.slot
}

func (t *translator) bind(pos int, f fixup) {
	if f.table == fixClause {
		t.code.handlers[f.instr].clauses[f.clause].target = pos
		return
	}
	if f.table >= 0 {
		t.code.brTables[f.table][f.instr] = uint32(pos)
	} else {
		t.code.instrs[f.instr].imm = uint64(pos)
	}
}

func (t *translator) label(depth uint32) *ctrl { return &t.ctrls[len(t.ctrls)-1-int(depth)] }

func labelTypes(c *ctrl) []wasm.ValType {
	if c.kind == validator.FrameLoop {
		return c.params
	}
	return c.results
}

// needsCopies reports whether branching to c has to move values.
func (t *translator) needsCopies(c *ctrl) bool {
	types := labelTypes(c)
	d := t.slotAt(c.height)
	for i, typ := range types {
		e := &t.stack[len(t.stack)-len(types)+i]
		if e.kind != eSlot || e.slot != d {
			return true
		}
		d += slotSize(typ)
	}
	return false
}

// emitBranch emits the moves and the jump of an unconditional branch to c,
// without changing the virtual stack (the branch may be conditional).
func (t *translator) emitBranch(c *ctrl) {
	if c.kind == validator.FrameFunc {
		t.emitReturn()
		return
	}
	types := labelTypes(c)
	d := t.slotAt(c.height)
	for i, typ := range types {
		t.move(typ, d, t.stack[len(t.stack)-len(types)+i])
		d += slotSize(typ)
	}
	if c.kind == validator.FrameLoop {
		t.emitBr(instr{op: opBr, a: 1, imm: uint64(c.start)})
		return
	}
	c.fixups = append(c.fixups, fixup{instr: t.emitBr(instr{op: opBr}), table: -1})
}

// emitReturn moves the results to the bottom of the frame and returns,
// without changing the virtual stack.
func (t *translator) emitReturn() {
	res := t.ft.Results
	n := len(res)
	if n == 0 {
		t.emit(instr{op: opReturn})
		return
	}
	top := t.stack[len(t.stack)-n:]
	if n == 1 && res[0] != wasm.V128 && !res[0].IsRef() {
		switch e := top[0]; e.kind {
		case eConst:
			t.emit(instr{op: opReturnK, imm: e.k})
		case eLocal:
			t.emit(instr{op: opReturn1, b: e.src})
		default:
			t.emit(instr{op: opReturn1, b: e.slot})
		}
		return
	}
	if n == 1 {
		// A single move cannot overwrite its own source first.
		t.move(res[0], 0, top[0])
		t.emit(instr{op: opReturn})
		return
	}
	// Lazy locals could be overwritten by earlier result moves: copy them
	// to their canonical slots (above every destination) first.
	for _, e := range top {
		if e.kind == eLocal {
			t.move(e.typ, e.slot, e)
		}
	}
	var d uint32
	for i, e := range top {
		if e.kind == eLocal {
			e.kind = eSlot
		}
		t.move(res[i], d, e)
		d += slotSize(res[i])
	}
	t.emit(instr{op: opReturn})
}

// emitCondBranch emits a branch taken when cond is non-zero (zero when
// negate) and returns its index; the caller sets the target. A preceding
// i32 comparison producing cond is fused into the branch.
func (t *translator) emitCondBranch(cond entry, negate bool, back uint32) int {
	if last, ok := t.producer(); ok && cond.kind == eSlot && last.a == cond.slot {
		if fb, ok := fusedBranch[last.op]; ok {
			op := fb.br
			if negate {
				op = fb.neg
			}
			c := last.c
			if op >= opBrI32EqK && op <= opBrI32GeUK {
				c = uint32(last.imm)
			}
			t.dropLast()
			return t.fuseIncrement(t.emit(instr{op: op, a: back, b: last.b, c: c}))
		}
	}
	s := t.operand(&cond)
	op := opBrIf
	if negate {
		op = opBrIfNot
	}
	return t.fuseIncrement(t.emit(instr{op: op, a: back, b: s}))
}

// fuseIncrement turns the instruction before the conditional branch at
// br into an increment-and-branch (see incBranch) when it increments the
// value the branch tests, and returns br. The branch stays in place: the
// fused instruction executes it, and jumps to it still work.
func (t *translator) fuseIncrement(br int) int {
	if br == 0 {
		return br
	}
	prev, b := &t.code.instrs[br-1], &t.code.instrs[br]
	if prev.op != opI32AddK && prev.op != opI32Add {
		return br
	}
	if m, ok := mirrored[b.op]; ok && b.c == prev.a && b.b != prev.a {
		// n != i tests the same as i != n: put the increment on the left.
		b.op, b.b, b.c = m, b.c, b.b
	}
	if b.b != prev.a {
		return br
	}
	if op, ok := incBranch[[2]opcode{prev.op, b.op}]; ok {
		prev.op = op
	}
	return br
}

// Instr translates one validated instruction.
func (t *translator) Instr(in *wasm.Instr, s *validator.State) error {
	t.offset = in.Offset
	op := in.Op
	if t.dead > 0 {
		switch op {
		case wasm.OpBlock, wasm.OpLoop, wasm.OpIf, wasm.OpTry, wasm.OpTryTable:
			t.dead++
		case wasm.OpEnd, wasm.OpDelegate:
			t.dead--
		}
		return nil
	}
	if s.Unreachable {
		switch op {
		case wasm.OpBlock, wasm.OpLoop, wasm.OpIf, wasm.OpTry, wasm.OpTryTable:
			t.dead = 1
			return nil
		case wasm.OpElse, wasm.OpEnd, wasm.OpCatch, wasm.OpCatchAll, wasm.OpDelegate:
		default:
			return nil
		}
	}
	switch op {
	case wasm.OpNop:
	case wasm.OpUnreachable:
		t.emit(instr{op: opUnreachable})
	case wasm.OpBlock, wasm.OpLoop:
		t.materializeAll()
		bt := s.BlockType
		c := ctrl{kind: validator.FrameBlock, height: len(t.stack) - len(bt.Params),
			params: bt.Params, results: bt.Results, elseFix: -1}
		if op == wasm.OpLoop {
			c.kind = validator.FrameLoop
			c.start = len(t.code.instrs)
			t.barrier = c.start
			if c.height == 0 && len(bt.Params) == 0 {
				t.code.loops = append(t.code.loops, loopHead{pc: uint32(c.start), offset: int32(in.Offset)})
			}
		}
		t.ctrls = append(t.ctrls, c)
	case wasm.OpIf:
		cond := t.pop()
		t.materializeAll()
		bt := s.BlockType
		c := ctrl{kind: validator.FrameIf, height: len(t.stack) - len(bt.Params),
			params: bt.Params, results: bt.Results}
		c.elseFix = t.emitCondBranch(cond, true, 0)
		t.ctrls = append(t.ctrls, c)
	case wasm.OpElse:
		c := &t.ctrls[len(t.ctrls)-1]
		if !s.Unreachable {
			t.materializeTop(len(c.results))
			c.fixups = append(c.fixups, fixup{instr: t.emitBr(instr{op: opBr}), table: -1})
		}
		pos := len(t.code.instrs)
		if c.elseFix >= 0 {
			t.code.instrs[c.elseFix].imm = uint64(pos)
			c.elseFix = -1
		}
		t.barrier = pos
		t.stack = t.stack[:c.height]
		for _, p := range c.params {
			t.pushSlot(p)
		}
	case wasm.OpEnd:
		return t.end(s)
	case wasm.OpTryTable:
		t.tryTable(in, s)
	case wasm.OpTry:
		t.try(s)
	case wasm.OpCatch:
		t.catch(in, s, s.Tag)
	case wasm.OpCatchAll:
		t.catch(in, s, nil)
	case wasm.OpDelegate:
		return t.delegate(in, s)
	case wasm.OpThrow:
		t.throw(in, s)
	case wasm.OpThrowRef:
		v := t.pop()
		t.emit(instr{op: opThrowRef, b: t.operand(&v)})
	case wasm.OpRethrow:
		t.emit(instr{op: opRethrow, b: t.label(in.Index).hidden})
	case wasm.OpBr:
		t.emitBranch(t.label(in.Index))
	case wasm.OpBrIf:
		cond := t.pop()
		c := t.label(in.Index)
		if c.kind != validator.FrameFunc && !t.needsCopies(c) {
			if c.kind == validator.FrameLoop {
				i := t.emitCondBranch(cond, false, 1)
				t.code.instrs[i].imm = uint64(c.start)
			} else {
				c.fixups = append(c.fixups, fixup{instr: t.emitCondBranch(cond, false, 0), table: -1})
			}
			break
		}
		skip := t.emitCondBranch(cond, true, 0)
		t.emitBranch(c)
		pos := len(t.code.instrs)
		t.code.instrs[skip].imm = uint64(pos)
		t.barrier = pos
	case wasm.OpBrTable:
		t.brTable(in)
	case wasm.OpReturn:
		t.emitReturn()
	case wasm.OpCall:
		t.call(s.Callee, instr{op: opCall, a: in.Index}, false)
	case wasm.OpCallIndirect:
		t.call(s.Callee, instr{op: opCallIndirect, a: in.Index, imm: t.indirectImm(in.Index2)}, true)
	case wasm.OpReturnCall:
		t.call(s.Callee, instr{op: opReturnCall, a: in.Index}, false)
	case wasm.OpReturnCallIndirect:
		t.call(s.Callee, instr{op: opReturnCallIndirect, a: in.Index, imm: t.indirectImm(in.Index2)}, true)
	case wasm.OpCallRef:
		t.call(s.Callee, instr{op: opCallRef}, true)
	case wasm.OpReturnCallRef:
		t.call(s.Callee, instr{op: opReturnCallRef}, true)
	case wasm.OpRefAsNonNull:
		v := t.pop()
		t.emit(instr{op: opRefAsNonNull, b: t.operand(&v)})
		v.typ = s.Out[0]
		t.stack = append(t.stack, v)
	case wasm.OpBrOnNull:
		v := t.pop()
		rs := t.operand(&v)
		t.condBranch(t.label(in.Index), opBrOnNull, opBrOnNonNull, rs)
		v.typ = s.Out[len(s.Out)-1]
		t.stack = append(t.stack, v)
	case wasm.OpBrOnNonNull:
		top := t.stack[len(t.stack)-1]
		t.condBranch(t.label(in.Index), opBrOnNonNull, opBrOnNull, t.operand(&top))
		t.pop()
	case wasm.OpDrop:
		t.pop()
	case wasm.OpSelect, wasm.OpSelectT:
		cond, y, x := t.pop(), t.pop(), t.pop()
		typ := s.Out[0]
		cs, ys, xs := t.operand(&cond), t.operand(&y), t.operand(&x)
		dst := t.pushSlot(typ)
		t.emitDst(instr{op: byType(typ, opSelect, opSelect2, opSelectRef), a: dst, b: xs, c: ys, imm: uint64(cs)})
	case wasm.OpLocalGet:
		e := t.push(eLocal, t.localType[in.Index])
		e.src = t.localSlot[in.Index]
	case wasm.OpLocalSet, wasm.OpLocalTee:
		t.localSet(in.Index, op == wasm.OpLocalTee)
	case wasm.OpGlobalGet:
		typ := s.Out[0]
		dst := t.pushSlot(typ)
		t.emitDst(instr{op: byType(typ, opGlobalGet, opGlobalGet2, opGlobalGetRef), a: dst, b: in.Index})
	case wasm.OpGlobalSet:
		v := t.pop()
		t.emit(instr{op: byType(v.typ, opGlobalSet, opGlobalSet2, opGlobalSetRef), a: in.Index, b: t.operand(&v)})
	case wasm.OpI32Const, wasm.OpI64Const, wasm.OpF32Const, wasm.OpF64Const:
		e := t.push(eConst, s.Out[0])
		e.k = in.Const
		if op == wasm.OpI32Const || op == wasm.OpF32Const {
			e.k = uint64(uint32(in.Const))
		}
	case wasm.OpMemorySize:
		dst := t.pushSlot(s.Out[0])
		t.emitDst(instr{op: opMemorySize, a: dst, imm: uint64(in.Index)})
	case wasm.OpMemoryGrow:
		t.unary(instr{op: opMemoryGrow, imm: uint64(in.Index)}, s.Out[0])
	case wasm.OpMemoryInit:
		t.emit(instr{op: opMemoryInit, b: t.popArgs(3), imm: uint64(in.Index), c: in.Index2})
	case wasm.OpDataDrop:
		t.emit(instr{op: opDataDrop, imm: uint64(in.Index)})
	case wasm.OpMemoryCopy:
		t.emit(instr{op: opMemoryCopy, b: t.popArgs(3), imm: uint64(in.Index), c: in.Index2})
	case wasm.OpMemoryFill:
		t.emit(instr{op: opMemoryFill, b: t.popArgs(3), imm: uint64(in.Index)})
	case wasm.OpTableGet:
		t.unary(instr{op: opTableGet, imm: uint64(in.Index)}, s.Out[0])
	case wasm.OpTableSet:
		v, i := t.pop(), t.pop()
		vs, is := t.operand(&v), t.operand(&i)
		t.emit(instr{op: opTableSet, a: is, b: vs, imm: uint64(in.Index)})
	case wasm.OpTableSize:
		dst := t.pushSlot(wasm.I32)
		t.emitDst(instr{op: opTableSize, a: dst, imm: uint64(in.Index)})
	case wasm.OpTableGrow:
		base := t.popArgs(2)
		dst := t.pushSlot(wasm.I32)
		t.emitDst(instr{op: opTableGrow, a: dst, b: base, imm: uint64(in.Index)})
	case wasm.OpTableFill:
		t.emit(instr{op: opTableFill, b: t.popArgs(3), imm: uint64(in.Index)})
	case wasm.OpTableCopy:
		t.emit(instr{op: opTableCopy, b: t.popArgs(3), imm: uint64(in.Index), c: in.Index2})
	case wasm.OpTableInit:
		t.emit(instr{op: opTableInit, b: t.popArgs(3), imm: uint64(in.Index), c: in.Index2})
	case wasm.OpElemDrop:
		t.emit(instr{op: opElemDrop, imm: uint64(in.Index)})
	case wasm.OpRefNull:
		dst := t.pushSlot(s.Out[0])
		t.emitDst(instr{op: opRefNull, a: dst})
	case wasm.OpRefIsNull:
		t.unary(instr{op: opRefIsNull}, wasm.I32)
	case wasm.OpRefFunc:
		dst := t.pushSlot(s.Out[0])
		t.emitDst(instr{op: opRefFunc, a: dst, b: in.Index})
	default:
		return t.numeric(in, s)
	}
	return nil
}

// unary pops one operand into in.b, pushes a result of type out into
// in.a and emits in.
func (t *translator) unary(in instr, out wasm.ValType) {
	x := t.pop()
	in.b = t.operand(&x)
	in.a = t.pushSlot(out)
	t.emitDst(in)
}

// binary is unary for two operands, the first in in.b, the second in in.c.
func (t *translator) binary(in instr, out wasm.ValType) {
	y, x := t.pop(), t.pop()
	in.b, in.c = t.operand(&x), t.operand(&y)
	in.a = t.pushSlot(out)
	t.emitDst(in)
}

// emitResult emits in, which has no result or one of type out[0] that
// goes to a new slot (in.a).
func (t *translator) emitResult(in instr, out []wasm.ValType) {
	if len(out) == 0 {
		t.emit(in)
		return
	}
	in.a = t.pushSlot(out[0])
	t.emitDst(in)
}

// popArgs materialises the top n values (consecutive scalar slots), pops
// them and returns the first one's slot.
func (t *translator) popArgs(n int) uint32 {
	if n == 0 {
		return t.slotAt(len(t.stack))
	}
	t.materializeTop(n)
	base := t.stack[len(t.stack)-n].slot
	t.stack = t.stack[:len(t.stack)-n]
	return base
}

func (t *translator) numeric(in *wasm.Instr, s *validator.State) error {
	op := in.Op
	if op == wasm.OpI32Add && t.addShl() {
		return nil
	}
	switch op {
	case wasm.OpI32Xor, wasm.OpI32Add, wasm.OpI32Mul, wasm.OpI32Rotl, wasm.OpI32Rotr, wasm.OpI64Xor:
		if t.fuse(op) {
			return nil
		}
	}
	nc := classify(op)
	switch nc.kind {
	case numBinary:
		bo := nc.bin
		b, a := t.pop(), t.pop()
		var ni instr
		switch {
		case b.kind == eConst && bo.k == opI32SubK:
			// x - k is x + (-k): one form for the peepholes to match.
			ni = instr{op: opI32AddK, b: t.operand(&a), imm: uint64(-uint32(b.k))}
		case b.kind == eConst && bo.k == opI64SubK:
			ni = instr{op: opI64AddK, b: t.operand(&a), imm: -b.k}
		case b.kind == eConst && bo.k != 0:
			ni = instr{op: bo.k, b: t.operand(&a), imm: b.k}
		case a.kind == eConst && bo.kl != 0:
			ni = instr{op: bo.kl, b: t.operand(&b), imm: a.k}
		default:
			ni = instr{op: bo.reg, b: t.operand(&a), c: t.operand(&b)}
		}
		ni.a = t.pushSlot(s.Out[0])
		t.emitDst(ni)
		return nil
	case numUnary:
		if e := &t.stack[len(t.stack)-1]; e.kind == eConst {
			if k, ok := foldUnary(nc.op, e.k); ok {
				e.k, e.typ = k, s.Out[0]
				return nil
			}
		}
		t.unary(instr{op: nc.op}, s.Out[0])
		return nil
	case numReinterpret:
		t.stack[len(t.stack)-1].typ = s.Out[0]
		return nil
	case numLoad:
		a := t.pop()
		if t.memX(in) {
			src := t.operand(&a)
			dst := t.pushSlot(s.Out[0])
			t.emitDst(instr{op: opMemX, a: dst, b: src, imm: t.memOp(in, nc.op, 0)})
			return nil
		}
		src, add := t.address(&a)
		dst := t.pushSlot(s.Out[0])
		t.emitDst(instr{op: nc.op, a: dst, b: src, c: add, imm: in.Mem.Offset})
		return nil
	case numStore:
		v, a := t.pop(), t.pop()
		if t.memX(in) {
			vs, as := t.operand(&v), t.operand(&a)
			t.emit(instr{op: opMemX, a: as, b: vs, imm: t.memOp(in, nc.op, 0)})
			return nil
		}
		if k, ok := storeK(nc.op, v); ok {
			t.emit(instr{op: k, a: t.operand(&a), c: uint32(v.k), imm: in.Mem.Offset})
			return nil
		}
		vs := t.operand(&v)
		as, add := t.address(&a)
		t.emit(instr{op: nc.op, a: as, b: vs, c: add, imm: in.Mem.Offset})
		return nil
	}
	switch op.Prefix() {
	case byte(wasm.PrefixSIMD):
		return t.simd(in, s)
	case 0xFE:
		return t.atomic(in, s)
	}
	if ok, err := t.gc(in, s); ok || err != nil {
		return err
	}
	return fmt.Errorf("interp: unsupported instruction %s", op)
}

func (t *translator) localSet(idx uint32, tee bool) {
	v := t.pop()
	ls, typ := t.localSlot[idx], t.localType[idx]
	if t.stillZero(idx, v) {
		// Storing zero into a declared local that still holds its entry
		// zero (C compilers initialise locals this way): nothing to do.
		if tee {
			e := t.push(eLocal, typ)
			e.src = ls
		}
		return
	}
	t.written[idx] = true
	for i := range t.stack {
		if e := &t.stack[i]; e.kind == eLocal && e.src == ls {
			t.materialize(i)
		}
	}
	last, retarget := t.producer()
	switch {
	case v.kind == eLocal && v.src == ls:
	case v.kind == eSlot && retarget && last.a == v.slot:
		t.code.instrs[len(t.code.instrs)-1].a = ls
	default:
		t.move(typ, ls, v)
	}
	t.lastDst = -1
	if tee {
		e := t.push(eLocal, typ)
		e.src = ls
	}
}

// stillZero reports whether local idx is a declared numeric local that
// holds zero here and v is a zero constant. Declared locals are zeroed at
// function entry; outside loops, control only reaches this point through
// code translated before it, and no instruction there writes the local
// (written), so the local still holds that zero. Inside a loop a back
// edge could bring a later write, so the check gives up there.
func (t *translator) stillZero(idx uint32, v entry) bool {
	if v.kind != eConst || v.k != 0 || idx < uint32(len(t.ft.Params)) || t.written[idx] {
		return false
	}
	if typ := t.localType[idx]; typ == wasm.V128 || typ.IsRef() {
		return false
	}
	for i := range t.ctrls {
		if t.ctrls[i].kind == validator.FrameLoop {
			return false
		}
	}
	return true
}

// indirectImm is the imm of an indirect call through table: the table
// index, with bit 32 set when the table is 64-bit.
func (t *translator) indirectImm(table uint32) uint64 {
	imm := uint64(table)
	if int(table) < len(t.comp.tables) && t.comp.tables[table].Is64 {
		imm |= 1 << 32
	}
	return imm
}

func (t *translator) call(ft *wasm.FuncType, ci instr, indirect bool) {
	if indirect {
		idx := t.pop()
		ci.c = t.operand(&idx)
	}
	n := len(ft.Params)
	t.materializeTop(n)
	ci.b = t.slotAt(len(t.stack) - n)
	t.stack = t.stack[:len(t.stack)-n]
	t.emit(ci)
	for _, r := range ft.Results {
		t.pushSlot(r)
	}
}

// condBranch emits a conditional branch to c: op branches on the value in
// slot b, negOp is its negation. The virtual stack is left unchanged.
func (t *translator) condBranch(c *ctrl, op, negOp opcode, b uint32) {
	t.condBranchC(c, op, negOp, b, 0)
}

// condBranchC is condBranch for branches with a c operand.
func (t *translator) condBranchC(c *ctrl, op, negOp opcode, b, cv uint32) {
	if c.kind != validator.FrameFunc && !t.needsCopies(c) {
		if c.kind == validator.FrameLoop {
			t.emit(instr{op: op, a: 1, b: b, c: cv, imm: uint64(c.start)})
		} else {
			c.fixups = append(c.fixups, fixup{instr: t.emit(instr{op: op, b: b, c: cv}), table: -1})
		}
		return
	}
	skip := t.emit(instr{op: negOp, b: b, c: cv})
	t.emitBranch(c)
	pos := len(t.code.instrs)
	t.code.instrs[skip].imm = uint64(pos)
	t.barrier = pos
}

func (t *translator) brTable(in *wasm.Instr) {
	idx := t.pop()
	src := t.operand(&idx)
	targets := make([]uint32, 0, len(in.Labels)+1)
	targets = append(targets, in.Labels...)
	targets = append(targets, in.Index)
	no := len(t.code.brTables)
	tbl := make([]uint32, len(targets))
	t.code.brTables = append(t.code.brTables, tbl)
	t.emit(instr{op: opBrTable, b: src, imm: uint64(no)})
	stubs := map[uint32]uint32{}
	for i, depth := range targets {
		c := t.label(depth)
		if c.kind != validator.FrameFunc && c.kind != validator.FrameLoop {
			if !t.needsCopies(c) {
				c.fixups = append(c.fixups, fixup{instr: i, table: no})
				continue
			}
		}
		if pc, ok := stubs[depth]; ok {
			tbl[i] = pc
			continue
		}
		pc := uint32(len(t.code.instrs))
		stubs[depth] = pc
		tbl[i] = pc
		t.emitBranch(c)
	}
}

func (t *translator) end(s *validator.State) error {
	t.closeHandler(len(t.ctrls) - 1)
	c := &t.ctrls[len(t.ctrls)-1]
	if c.kind == validator.FrameFunc {
		if !s.Unreachable {
			t.emitReturn()
		}
		t.ctrls = t.ctrls[:0]
		return nil
	}
	if !s.Unreachable {
		t.materializeTop(len(c.results))
	}
	pos := len(t.code.instrs)
	for _, f := range c.fixups {
		t.bind(pos, f)
	}
	if c.elseFix >= 0 {
		t.code.instrs[c.elseFix].imm = uint64(pos)
	}
	t.barrier = pos
	t.stack = t.stack[:c.height]
	for _, r := range c.results {
		t.pushSlot(r)
	}
	t.ctrls = t.ctrls[:len(t.ctrls)-1]
	return nil
}

// memX reports whether memory access in needs the general form opMemX: a
// memory other than 0 or a 64-bit memory.
func (t *translator) memX(in *wasm.Instr) bool {
	return in.Mem.Memory != 0 || t.comp.mem64(0)
}

// memOp records the general form of access in, whose memory-0 form is op
// with immediate imm (without the offset), and returns its index.
func (t *translator) memOp(in *wasm.Instr, op opcode, imm uint64) uint64 {
	vector := op == opV128Load || op == opV128LoadLane || op == opV128Store || op == opV128StoreLane
	t.code.memOps = append(t.code.memOps, memOp{op: op, mem: in.Mem.Memory, is64: t.comp.mem64(in.Mem.Memory),
		store: isStore(op), vector: vector, offset: in.Mem.Offset, imm: imm})
	return uint64(len(t.code.memOps) - 1)
}

// storeK returns the constant-value form of store st when v is a constant
// that fits the form's 32-bit immediate.
func storeK(st opcode, v entry) (opcode, bool) {
	if v.kind != eConst {
		return 0, false
	}
	switch st {
	case opI32Store8, opI64Store8:
		return opStore8K, true
	case opI32Store16, opI64Store16:
		return opStore16K, true
	case opI32Store, opF32Store, opI64Store32:
		return opStore32K, true
	case opI64Store, opF64Store:
		if int64(v.k) == int64(int32(v.k)) {
			return opStore64K, true
		}
	}
	return 0, false
}

// address returns the slot of a memory address operand and a constant to
// add to it modulo 2^32: when the address was just computed by
// i32.add with a constant, that instruction is folded into the access.
//
// An i32.wrap_i64 that produced the address (or the added operand) is
// folded too: accesses only use the low 32 bits of the address slot.
func (t *translator) address(a *entry) (uint32, uint32) {
	last, ok := t.producer()
	if !ok || a.kind != eSlot || last.a != a.slot || (last.op != opI32AddK && last.op != opI32WrapI64) {
		return t.operand(a), 0
	}
	n := len(t.code.instrs)
	t.dropLast()
	src, add := last.b, uint32(0)
	if last.op == opI32AddK {
		add = uint32(last.imm)
		// The added operand itself computed in the same slot by a wrap.
		if n-2 >= t.barrier {
			if prev := t.code.instrs[n-2]; prev.op == opI32WrapI64 && prev.a == a.slot && src == a.slot {
				t.dropLast()
				src = prev.b
			}
		}
	}
	return src, add
}

// producer returns a copy of the last instruction if a peephole may still
// rewrite it: its only effect is writing slot a (see emitDst), and no
// label is bound after it.
func (t *translator) producer() (instr, bool) {
	n := len(t.code.instrs)
	if t.lastDst != n-1 || t.lastDst < t.barrier {
		return instr{}, false
	}
	return t.code.instrs[n-1], true
}

// dropLast removes the last instruction (a peephole absorbed it).
func (t *translator) dropLast() {
	n := len(t.code.instrs)
	t.code.instrs = t.code.instrs[:n-1]
	t.code.offsets = t.code.offsets[:n-1]
	t.lastDst = -1
}

// addShl fuses i32.add with an i32.shl by a constant that produced one of
// its operands just before (array indexing), if it can.
func (t *translator) addShl() bool {
	last, ok := t.producer()
	if !ok || last.op != opI32ShlK || len(t.stack) < 2 {
		return false
	}
	x, y := &t.stack[len(t.stack)-2], &t.stack[len(t.stack)-1]
	var base *entry
	switch {
	case y.kind == eSlot && y.slot == last.a && x.kind != eConst:
		base = x
	case x.kind == eSlot && x.slot == last.a && y.kind == eLocal:
		base = y
	default:
		return false
	}
	t.dropLast()
	bs := t.operand(base)
	t.stack = t.stack[:len(t.stack)-2]
	dst := t.pushSlot(wasm.I32)
	t.emitDst(instr{op: opI32AddShlK, a: dst, b: bs, c: last.b, imm: last.imm})
	return true
}

// foldUnary evaluates conversions of constants that cannot trap.
func foldUnary(op opcode, k uint64) (uint64, bool) {
	switch op {
	case opI32WrapI64, opI64ExtendI32U:
		return uint64(uint32(k)), true
	case opI64ExtendI32S:
		return uint64(int64(int32(k))), true
	}
	return 0, false
}
