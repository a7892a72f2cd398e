package codegen

import (
	"math"
	"strings"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// The operand stack of Baseline. Entry h is value ID b.id(h): its type,
// Op (ir.OpConst for a lazy integer constant, with Aux its bits) and
// location (b.locs: its own slot, an immediate, or a local's slot for a
// lazy local.get).

// ensure makes room for stack heights below n.
func (b *Baseline) ensure(n int) {
	for len(b.vals) < b.id(n) {
		b.vals = append(b.vals, ir.Value{})
		b.locs = append(b.locs, loc{})
	}
	b.g.locs = b.locs
	b.maxH = max(b.maxH, n)
}

// val is the stack entry at height h.
func (b *Baseline) val(h int) *ir.Value { return &b.vals[b.id(h)] }

// aliasOf is the local whose slot l is, or -1.
func (b *Baseline) aliasOf(l loc) int {
	if l.Kind != locSlot || l.Off < b.out || l.Off >= b.localOff(b.nloc) {
		return -1
	}
	return int(l.Off-b.out) / 8
}

// push defines the entry at the current height, in its own slot unless
// l says otherwise, and returns its ID.
func (b *Baseline) push(t ir.Type, l loc) *ir.Value {
	h := b.h
	b.ensure(h + 1)
	v := b.val(h)
	*v = ir.Value{ID: b.id(h), Type: t}
	if l.Kind == locNone {
		l = slotLoc(b.stackOff(h))
	}
	b.locs[v.ID] = l
	if i := b.aliasOf(l); i >= 0 {
		b.aliases[i]++
		b.nalias++
	}
	b.h++
	return v
}

// pop drops the top n entries.
func (b *Baseline) pop(n int) {
	for ; n > 0; n-- {
		b.h--
		if i := b.aliasOf(b.locs[b.id(b.h)]); i >= 0 {
			b.aliases[i]--
			b.nalias--
		}
		if b.h == b.inReg {
			b.inReg = -1
		}
	}
}

// Registers of the entry in one (Baseline.inReg): the last result, while
// no later instruction needs it elsewhere. They are value registers of
// the optimising back end's allocation (alloc.go), which its lowerings
// never use as scratch.
const (
	baseG = amd64.RBX
	baseX = amd64.X13
)

// resultLoc is where an instruction leaves a result of type t: a
// register, unless the instruction exits to Go (every register is lost
// there).
func resultLoc(op ir.Op, t ir.Type) loc {
	switch {
	case op < ir.NumOps && exitsByOp[op]:
		return loc{}
	case t == ir.I32 || t == ir.I64:
		return gprLoc(baseG)
	case t == ir.F32 || t == ir.F64:
		return xmmLoc(baseX)
	}
	return loc{}
}

// exitsByOp is regalloc.Exits by operation.
var exitsByOp = func() (t [ir.NumOps]bool) {
	for op := ir.Op(0); op < ir.NumOps; op++ {
		t[op] = regalloc.Exits(&ir.Value{Op: op})
	}
	return t
}()

// spill writes the entry in a register, if any, to its own slot: before
// an instruction that would overwrite the register, exits to Go or
// changes the control flow (every path into a label leaves its entries
// in slots).
func (b *Baseline) spill() {
	if b.inReg < 0 {
		return
	}
	id := b.id(b.inReg)
	own := slotLoc(b.stackOff(b.inReg))
	b.g.move(own, b.locs[id], b.vals[id].Type)
	b.locs[id] = own
	b.inReg = -1
}

// materialize writes every lazy local.get on the stack to its own slot
// (before a local changes or a block starts). It walks down from the
// top only as far as the deepest such entry, so over a function its
// walks cost at most one step per push.
func (b *Baseline) materialize() {
	for h := b.h - 1; h >= 0 && b.nalias > 0; h-- {
		id := b.id(h)
		if i := b.aliasOf(b.locs[id]); i >= 0 {
			own := slotLoc(b.stackOff(h))
			b.g.move(own, b.locs[id], ir.I64)
			b.locs[id] = own
			b.aliases[i]--
			b.nalias--
		}
	}
}

// own moves the top n entries, whatever they are, to their own slots
// (a block's parameters: every path into the block leaves them there).
func (b *Baseline) own(n int) {
	for h := b.h - n; h < b.h; h++ {
		id := b.id(h)
		if s := slotLoc(b.stackOff(h)); b.locs[id] != s {
			if i := b.aliasOf(b.locs[id]); i >= 0 {
				b.aliases[i]--
				b.nalias--
			}
			b.g.move(s, b.locs[id], b.vals[id].Type)
			b.locs[id] = s
			b.vals[id].Op = ir.OpInvalid
		}
	}
}

// result is the ir.Value (ID 0) of an instruction leaving its result at
// height h, with the given operands.
func (b *Baseline) result(op ir.Op, t ir.Type, aux int64, h int, args []*ir.Value) *ir.Value {
	b.ensure(h + 1)
	v := &b.vals[0]
	*v = ir.Value{Op: op, Type: t, Aux: aux, Args: args, Pos: b.g.pos}
	b.locs[0] = slotLoc(b.stackOff(h))
	return v
}

// operands are the top n entries, in order.
func (b *Baseline) operands(n int) []*ir.Value {
	b.args = b.args[:0]
	for h := b.h - n; h < b.h; h++ {
		b.args = append(b.args, b.val(h))
	}
	return b.args
}

// emit lowers op on the top n entries, replacing them by its result (of
// type t, none for ir.None).
func (b *Baseline) emit(op ir.Op, t ir.Type, aux int64, n int) {
	h := b.h - n
	if b.inReg >= 0 && b.inReg < h {
		b.spill() // not an operand: the result takes the register
	}
	rl := resultLoc(op, t)
	v := b.result(op, t, aux, h, b.operands(n))
	if rl.Kind != locNone {
		b.locs[0] = rl
	}
	b.g.inst(v)
	b.pop(n)
	if t != ir.None {
		b.push(t, rl)
		if rl.Kind != locNone {
			b.inReg = h
		}
	}
}

// Instr compiles one validated instruction.
func (b *Baseline) Instr(in *wasm.Instr, s *validator.State) error {
	if b.err != nil {
		return nil
	}
	return b.giveUp(b.instr(in, s))
}

func (b *Baseline) instr(in *wasm.Instr, s *validator.State) error {
	op := in.Op
	b.g.pos = int32(in.Offset)
	if b.dead.Skip(op, s) {
		return nil
	}
	if iop, t, ok := front.Numeric(op); ok {
		b.emit(iop, t, 0, iop.Arity())
		return nil
	}
	switch op {
	case wasm.OpLocalGet, wasm.OpLocalSet, wasm.OpLocalTee, wasm.OpDrop, wasm.OpNop,
		wasm.OpI32Const, wasm.OpI64Const, wasm.OpF32Const, wasm.OpF64Const,
		wasm.OpGlobalGet, wasm.OpGlobalSet, wasm.OpSelect, wasm.OpSelectT:
	case wasm.OpIf, wasm.OpBrIf, wasm.OpBrTable:
		if b.inReg != b.h-1 {
			b.spill() // else the condition, read from its register and popped first
		}
	default:
		if !(op >= wasm.OpI32Load && op <= wasm.OpI64Store32) {
			b.spill() // control, calls and exits
		}
	}
	g := &b.g
	a := g.a
	switch op {
	case wasm.OpNop:
	case wasm.OpUnreachable:
		a.Jmp(g.trap(rt.TrapCode(ir.TrapUnreachable)))
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
		return b.open(op, s)
	case wasm.OpElse:
		f := &b.frames[len(b.frames)-1]
		if !s.Unreachable {
			b.toLabel(f.height, f.nresults)
			a.Jmp(f.label)
		}
		a.Bind(f.els)
		f.hasEls = false
		return b.reset(f.height, s.BlockType.Params)
	case wasm.OpEnd:
		return b.end(s)
	case wasm.OpBr:
		b.br(in.Index)
	case wasm.OpBrIf:
		b.brIf(in.Index)
	case wasm.OpBrTable:
		b.brTable(in)
	case wasm.OpReturn:
		b.br(uint32(len(b.frames) - 1))
	case wasm.OpDrop:
		b.pop(1)
	case wasm.OpSelect, wasm.OpSelectT:
		t := b.val(b.h - 3).Type
		b.emit(ir.OpSelect, t, 0, 3)
	case wasm.OpLocalGet:
		b.push(b.vals[1+in.Index].Type, b.locs[1+in.Index])
	case wasm.OpLocalSet, wasm.OpLocalTee:
		i := int(in.Index)
		top := b.id(b.h - 1)
		if op == wasm.OpLocalSet {
			b.pop(1)
		}
		if b.aliases[i] > 0 {
			b.materialize()
		}
		g.move(b.locs[1+i], b.locs[top], b.vals[top].Type)
	case wasm.OpGlobalGet:
		t, err := b.irType(s.Out[0])
		if err != nil {
			return err
		}
		b.emit(ir.OpGlobalGet, t, int64(in.Index), 0)
	case wasm.OpGlobalSet:
		if _, err := b.irType(s.In[0]); err != nil {
			return err
		}
		b.emit(ir.OpGlobalSet, ir.None, int64(in.Index), 1)
	case wasm.OpI32Const:
		b.constant(ir.I32, uint64(uint32(in.Const)))
	case wasm.OpI64Const:
		b.constant(ir.I64, uint64(in.Const))
	case wasm.OpF32Const:
		b.constant(ir.F32, uint64(uint32(in.Const)))
	case wasm.OpF64Const:
		b.constant(ir.F64, uint64(in.Const))
	case wasm.OpCall, wasm.OpCallIndirect:
		return b.call(in, s, op == wasm.OpCallIndirect)
	case wasm.OpMemorySize:
		if in.Index != 0 || s.Out[0] != wasm.I32 {
			return baseUnsupported("memory.size of a memory other than a 32-bit memory 0")
		}
		b.emit(ir.OpMemorySize, ir.I32, 0, 0)
	case wasm.OpMemoryGrow:
		if in.Index != 0 || s.Out[0] != wasm.I32 {
			return baseUnsupported("memory.grow of a memory other than a 32-bit memory 0")
		}
		b.emit(ir.OpMemoryGrow, ir.I32, 0, 1)
	default:
		if op >= wasm.OpI32Load && op <= wasm.OpI64Store32 {
			return b.memory(in, s)
		}
		if rop, ok := front.Runtime(op); ok {
			return b.runtime(in, s, rop)
		}
		return baseUnsupported(op.Info().Name)
	}
	return nil
}

// constant pushes a constant: integers that fit an immediate stay lazy,
// the others are stored in their slot.
func (b *Baseline) constant(t ir.Type, bits uint64) {
	c := int64(bits)
	if t == ir.I32 || t == ir.I64 && c >= math.MinInt32 && c <= math.MaxInt32 {
		v := b.push(t, loc(regalloc.Imm(c)))
		v.Op, v.Aux = ir.OpConst, c
		return
	}
	v := b.push(t, loc{})
	if t == ir.I64 {
		v.Op, v.Aux = ir.OpConst, c
	}
	b.g.move(b.locs[v.ID], loc(regalloc.Imm(c)), ir.I64)
}

// memory compiles a load or store of memory 0.
func (b *Baseline) memory(in *wasm.Instr, s *validator.State) error {
	info := in.Op.Info()
	if in.Mem.Memory != 0 || in.Mem.Offset > math.MaxUint32 || s.In[0] != wasm.I32 {
		return baseUnsupported(info.Name + " of a memory other than a 32-bit memory 0, or with a 64-bit offset")
	}
	signed := strings.HasSuffix(info.Name, "_s")
	if in.Op <= wasm.OpI64Load32U {
		t, _ := front.IRType(info.Out[0])
		b.emit(ir.OpLoad, t, ir.MemAux(uint32(in.Mem.Offset), int(info.Size), signed), 1)
		return nil
	}
	b.emit(ir.OpStore, ir.None, ir.MemAux(uint32(in.Mem.Offset), int(info.Size), false), 2)
	return nil
}

// runtime compiles a bulk-memory, table or reference instruction as the
// front end builds it (front.Runtime).
func (b *Baseline) runtime(in *wasm.Instr, s *validator.State, op ir.Op) error {
	if err := front.CheckRuntime(in, s, op); err != nil {
		return baseUnsupported(err.Error())
	}
	switch op {
	case ir.OpConst:
		b.constant(ir.I64, 0)
		return nil
	case ir.OpEqz:
		b.emit(ir.OpEqz, ir.I32, 0, 1)
		return nil
	}
	t := ir.None
	if len(s.Out) == 1 {
		t = ir.I64
		if s.Out[0] == wasm.I32 {
			t = ir.I32
		}
	}
	b.emit(op, t, int64(in.Index)|int64(in.Index2)<<32, len(s.In))
	return nil
}

// signature is the IR signature of a callee's type, made once per
// function and type.
func (b *Baseline) signature(ft *wasm.FuncType) (*ir.Signature, error) {
	if sig, ok := b.sigs[ft]; ok {
		return sig, nil
	}
	sig := &ir.Signature{Params: make([]ir.Type, len(ft.Params)), Results: make([]ir.Type, len(ft.Results))}
	var err error
	for i, t := range ft.Params {
		if sig.Params[i], err = b.irType(t); err != nil {
			return nil, err
		}
	}
	for i, t := range ft.Results {
		if sig.Results[i], err = b.irType(t); err != nil {
			return nil, err
		}
	}
	b.sigs[ft] = sig
	return sig, nil
}

// call compiles call and call_indirect (through a 32-bit table; the
// element index is the last operand). A call with several results finds
// them in the outgoing slots.
func (b *Baseline) call(in *wasm.Instr, s *validator.State, indirect bool) error {
	sig, err := b.signature(s.Callee)
	if err != nil {
		return err
	}
	n := len(sig.Params)
	op, aux := ir.OpCall, int64(in.Index)
	if indirect {
		if s.In[len(s.In)-1] != wasm.I32 {
			return baseUnsupported("call_indirect through a 64-bit table")
		}
		n++
		op, aux = ir.OpCallIndirect, int64(in.Index)|int64(in.Index2)<<32
	}
	t := ir.None
	if len(sig.Results) == 1 {
		t = sig.Results[0]
	}
	h := b.h - n
	v := b.result(op, t, aux, h, b.operands(n))
	v.Sig = sig
	b.g.inst(v)
	b.pop(n)
	if t != ir.None {
		b.push(t, loc{})
		return nil
	}
	for i, rt := range sig.Results {
		r := b.push(rt, loc{})
		b.g.move(b.locs[r.ID], slotLoc(int32(8*regalloc.SlotIndex(sig.Results, i))), rt)
	}
	return nil
}

// open starts a block, loop or if; every lazy entry below it is written
// to its slot first, so that all paths into the block and out of it see
// the same frame.
func (b *Baseline) open(op wasm.Opcode, s *validator.State) error {
	for _, t := range s.BlockType.Params {
		if _, err := b.irType(t); err != nil {
			return err
		}
	}
	for _, t := range s.BlockType.Results {
		if _, err := b.irType(t); err != nil {
			return err
		}
	}
	a := b.g.a
	np := len(s.BlockType.Params)
	if op == wasm.OpIf {
		// The condition, then the parameters below it.
		c := b.val(b.h - 1)
		r := b.g.useG(c, rTmp2)
		if r != rTmp2 {
			a.RR(amd64.MOV, amd64.W32, rTmp2, r)
		}
		b.pop(1)
		b.materialize()
		b.own(np)
		f := bframe{kind: validator.FrameIf, label: a.NewLabel(), els: a.NewLabel(), hasEls: true,
			height: b.h - np, nparams: np, nresults: len(s.BlockType.Results)}
		a.RR(amd64.TEST, amd64.W32, rTmp2, rTmp2)
		a.Jcc(amd64.CondE, f.els)
		b.frames = append(b.frames, f)
		return nil
	}
	b.materialize()
	b.own(np)
	f := bframe{kind: validator.FrameBlock, label: a.NewLabel(), height: b.h - np, nparams: np, nresults: len(s.BlockType.Results)}
	if op == wasm.OpLoop {
		f.kind = validator.FrameLoop
		a.Bind(f.label)
		if b.h == 0 && b.numeric {
			b.loopEntry(f.label)
		}
	}
	b.frames = append(b.frames, f)
	return nil
}

// reset makes the stack the frame's below height plus types in their
// own slots (after else, after end).
func (b *Baseline) reset(height int, types []wasm.ValType) error {
	b.pop(b.h - height)
	for _, t := range types {
		it, err := b.irType(t)
		if err != nil {
			return err
		}
		b.push(it, loc{})
	}
	return nil
}

// end closes the innermost frame.
func (b *Baseline) end(s *validator.State) error {
	f := b.frames[len(b.frames)-1]
	b.frames = b.frames[:len(b.frames)-1]
	a := b.g.a
	if !s.Unreachable {
		b.toLabel(f.height, f.nresults)
	}
	if f.hasEls { // if without else: the parameters are the results, in place
		a.Bind(f.els)
	}
	if f.kind != validator.FrameLoop {
		a.Bind(f.label)
	}
	if err := b.reset(f.height, s.BlockType.Results); err != nil {
		return err
	}
	if f.kind == validator.FrameFunc {
		b.epilogue(s.BlockType.Results)
		b.done = true
	}
	return nil
}

// toLabel moves the top n entries to the slots of heights height...
// (where a label's values are). Lower heights are copied first, so a
// move never overwrites an entry still to be read.
func (b *Baseline) toLabel(height, n int) {
	for i := 0; i < n; i++ {
		id := b.id(b.h - n + i)
		if dst := slotLoc(b.stackOff(height + i)); b.locs[id] != dst {
			b.g.move(dst, b.locs[id], b.vals[id].Type)
		}
	}
}

// edgeWork reports whether a branch to frame f needs code before its
// jump: moves, or the fuel charge of a loop's back-edge.
func (b *Baseline) edgeWork(f *bframe) bool {
	if f.kind == validator.FrameLoop {
		return true
	}
	n := f.nresults
	for i := 0; i < n; i++ {
		if b.locs[b.id(b.h-n+i)] != slotLoc(b.stackOff(f.height+i)) {
			return true
		}
	}
	return false
}

// arity is what a branch to f passes.
func (f *bframe) arity() int {
	if f.kind == validator.FrameLoop {
		return f.nparams
	}
	return f.nresults
}

// branch emits the work of a branch to relative depth and its jump.
func (b *Baseline) branch(depth uint32) {
	f := &b.frames[len(b.frames)-1-int(depth)]
	b.toLabel(f.height, f.arity())
	if f.kind == validator.FrameLoop {
		b.g.budget(-1)
	}
	b.g.a.Jmp(f.label)
}

func (b *Baseline) br(depth uint32) { b.branch(depth) }

func (b *Baseline) brIf(depth uint32) {
	a := b.g.a
	c := b.val(b.h - 1)
	r := b.g.useG(c, rTmp2)
	b.pop(1)
	a.RR(amd64.TEST, amd64.W32, r, r)
	f := &b.frames[len(b.frames)-1-int(depth)]
	if !b.edgeWork(f) {
		a.Jcc(amd64.CondNE, f.label)
		return
	}
	skip := a.NewLabel()
	a.Jcc(amd64.CondE, skip)
	b.branch(depth)
	a.Bind(skip)
}

// brTable: a bounds check to the default, then a jump table of 32-bit
// offsets to the targets, or to stubs doing their edge's work.
func (b *Baseline) brTable(in *wasm.Instr) {
	g := &b.g
	a := g.a
	idx := g.useG(b.val(b.h-1), rTmp2)
	b.pop(1)
	n := len(in.Labels)
	targets := make([]amd64.Label, n+1)
	var stubs []func()
	for i := 0; i <= n; i++ {
		depth := in.Index
		if i < n {
			depth = in.Labels[i]
		}
		f := &b.frames[len(b.frames)-1-int(depth)]
		if !b.edgeWork(f) {
			targets[i] = f.label
			continue
		}
		l := a.NewLabel()
		targets[i] = l
		stubs = append(stubs, func() {
			a.Bind(l)
			b.branch(depth)
		})
	}
	g.jumpTable(idx, targets)
	for _, s := range stubs {
		s()
	}
}
