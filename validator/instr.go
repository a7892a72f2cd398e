package validator

import "github.com/kilnrt/kiln/wasm"

// Shared operand lists for State.In/Out; never modified.
var (
	typesI32  = []wasm.ValType{wasm.I32}
	typesI32x = [3]wasm.ValType{wasm.I32, wasm.I32, wasm.I32}
)

// step type-checks one instruction, reports it to the visitor and applies
// its effect on the control stack.
func (c *funcChecker) step(in *wasm.Instr) error {
	c.cur = in
	s := &c.state
	s.Height = len(c.vals)
	s.Depth = len(c.ctrls)
	s.Unreachable = c.ctrls[len(c.ctrls)-1].unreachable
	s.In, s.Out, s.BlockType, s.Callee = nil, nil, nil, nil
	s.Tag, s.TagTypes, s.Composite, s.Composite2, s.CastType = nil, nil, nil, nil, 0

	if err := c.check(in, s); err != nil {
		return err
	}
	if c.visitor != nil {
		if err := c.visitor.Instr(in, s); err != nil {
			// The rest of the body is still checked, so that an invalid
			// body is reported as invalid rather than as the engine's
			// failure; the visitor sees nothing more.
			c.visitorErr = c.visitorError(err)
			c.visitor = nil
		}
	}
	if c.pending != postNone {
		c.applyPending()
	}
	return nil
}

// check applies the typing rule of one instruction to the stacks and fills
// s.In, s.Out, s.BlockType and s.Callee.
func (c *funcChecker) check(in *wasm.Instr, s *State) error {
	switch in.Op {
	case wasm.OpUnreachable:
		c.setUnreachable()
	case wasm.OpNop:
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
		return c.checkBlock(in, s)
	case wasm.OpElse:
		f := &c.ctrls[len(c.ctrls)-1]
		if f.kind != FrameIf {
			return &malformedError{c.errorf("misplaced ELSE opcode")}
		}
		popped, err := c.checkFrameEnd(f)
		if err != nil {
			return err
		}
		s.In, s.Out, s.BlockType = popped, f.typ.Params, f.typ
		c.pending = postElse
	case wasm.OpEnd:
		f := &c.ctrls[len(c.ctrls)-1]
		popped, err := c.checkFrameEnd(f)
		if err != nil {
			return err
		}
		if f.kind == FrameIf && !c.mc.matchesAll(f.typ.Params, f.typ.Results) {
			return c.mismatch("if without else must leave its parameters %s as results %s",
				typeList(f.typ.Params), typeList(f.typ.Results))
		}
		s.In, s.Out, s.BlockType = popped, f.typ.Results, f.typ
		c.pending = postEnd
	case wasm.OpBr:
		f, err := c.labelFrame(in.Index)
		if err != nil {
			return err
		}
		if s.In, err = c.popTypes(f.labelTypes(), &c.inBuf); err != nil {
			return err
		}
		c.setUnreachable()
	case wasm.OpBrIf:
		f, err := c.labelFrame(in.Index)
		if err != nil {
			return err
		}
		cond, err := c.pop(wasm.I32)
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		if err := c.keepBranchValues(lt, cond, s); err != nil {
			return err
		}
		s.Out = lt
	case wasm.OpBrTable:
		return c.checkBrTable(in, s)
	case wasm.OpReturn:
		var err error
		if s.In, err = c.popTypes(c.results, &c.inBuf); err != nil {
			return err
		}
		c.setUnreachable()
	case wasm.OpCall, wasm.OpReturnCall:
		return c.checkCall(in, s)
	case wasm.OpCallIndirect, wasm.OpReturnCallIndirect:
		return c.checkCallIndirect(in, s)
	case wasm.OpCallRef, wasm.OpReturnCallRef:
		return c.checkCallRef(in, s)
	case wasm.OpRefAsNonNull:
		return c.checkRefAsNonNull(s)
	case wasm.OpBrOnNull, wasm.OpBrOnNonNull:
		return c.checkBrOnNull(in, s)
	case wasm.OpThrow, wasm.OpThrowRef:
		return c.checkThrow(in, s)
	case wasm.OpTryTable:
		return c.checkTryTable(in, s)
	case wasm.OpTry:
		return c.checkBlock(in, s)
	case wasm.OpCatch, wasm.OpCatchAll:
		return c.checkLegacyCatch(in, s)
	case wasm.OpDelegate:
		return c.checkDelegate(in, s)
	case wasm.OpRethrow:
		return c.checkRethrow(in)
	case wasm.OpDrop:
		t, err := c.popAny()
		if err != nil {
			return err
		}
		s.In = list(&c.inBuf, t)
	case wasm.OpSelect, wasm.OpSelectT:
		return c.checkSelect(in, s)
	case wasm.OpLocalGet, wasm.OpLocalSet, wasm.OpLocalTee:
		return c.checkLocal(in, s)
	case wasm.OpGlobalGet, wasm.OpGlobalSet:
		return c.checkGlobal(in, s)
	case wasm.OpTableGet, wasm.OpTableSet, wasm.OpTableSize, wasm.OpTableGrow, wasm.OpTableFill,
		wasm.OpTableCopy, wasm.OpTableInit, wasm.OpElemDrop:
		return c.checkTable(in, s)
	case wasm.OpRefNull:
		t, err := c.refNullType(in.Heap)
		if err != nil {
			return err
		}
		c.push(t)
		s.Out = list(&c.outBuf, t)
	case wasm.OpRefIsNull:
		t, err := c.popAny()
		if err != nil {
			return err
		}
		if t != Unknown && !t.IsRef() {
			return c.mismatch("expected a reference, got %s", t)
		}
		c.push(wasm.I32)
		s.In, s.Out = list(&c.inBuf, t), typesI32
	case wasm.OpRefFunc:
		if c.mc.funcType(in.Index) == nil {
			return c.errorf("unknown function %d", in.Index)
		}
		if !c.mc.isDeclared(in.Index) {
			return c.errorf("undeclared function reference %d", in.Index)
		}
		t := c.mc.refFuncType(in.Index)
		c.push(t)
		s.Out = list(&c.outBuf, t)
	default:
		if in.Op.Prefix() == byte(wasm.PrefixGC) || in.Op == wasm.OpRefEq {
			return c.checkGC(in, s)
		}
		return c.checkFixed(in, s)
	}
	return nil
}

// checkFixed types the instructions whose operands are fixed by the opcode
// table, after checking their immediates.
func (c *funcChecker) checkFixed(in *wasm.Instr, s *State) error {
	info := in.Op.Info()
	if info == nil || !info.Fixed {
		return c.errorf("unknown operator %s", in.Op)
	}
	if err := c.checkImmediates(in, info); err != nil {
		return err
	}
	want, out := info.In, info.Out
	if c.mc.anyIndex64 {
		want, out = c.memory64Operands(in, info)
	}
	var err error
	if s.In, err = c.popTypes(want, &c.inBuf); err != nil {
		return err
	}
	if len(out) == 1 {
		c.push(out[0])
	} else {
		c.pushAll(out)
	}
	s.Out = out
	return nil
}

// memory64Operands returns the operand and result types of a memory
// instruction when a memory involved is 64-bit (memory64): addresses, sizes
// and lengths are then i64.
func (c *funcChecker) memory64Operands(in *wasm.Instr, info *wasm.OpInfo) (want, out []wasm.ValType) {
	want, out = info.In, info.Out
	is64 := c.mc.memIs64
	addr := func(b bool) wasm.ValType {
		if b {
			return wasm.I64
		}
		return wasm.I32
	}
	switch info.Imm {
	case wasm.ImmMemArg, wasm.ImmMemArgLane:
		if is64(in.Mem.Memory) {
			w := append(c.wantBuf[:0], want...)
			w[0] = wasm.I64
			c.wantBuf, want = w, w
		}
	case wasm.ImmMemory:
		if !is64(in.Index) {
			break
		}
		switch in.Op {
		case wasm.OpMemorySize:
			out = list(&c.outBuf, wasm.I64)
		case wasm.OpMemoryGrow:
			want, out = list(&c.wantBuf, wasm.I64), list(&c.outBuf, wasm.I64)
		case wasm.OpMemoryFill:
			want = list(&c.wantBuf, wasm.I64, wasm.I32, wasm.I64)
		}
	case wasm.ImmMemoryInit:
		if is64(in.Index2) {
			want = list(&c.wantBuf, wasm.I64, wasm.I32, wasm.I32)
		}
	case wasm.ImmMemoryCopy:
		d, s := is64(in.Index), is64(in.Index2)
		want = list(&c.wantBuf, addr(d), addr(s), addr(d && s))
	}
	return want, out
}

// checkImmediates checks the index, alignment and lane immediates of a
// fixed-signature instruction.
func (c *funcChecker) checkImmediates(in *wasm.Instr, info *wasm.OpInfo) error {
	switch info.Imm {
	case wasm.ImmNone, wasm.ImmI32, wasm.ImmI64, wasm.ImmF32, wasm.ImmF64, wasm.ImmV128, wasm.ImmZeroByte:
		return nil
	case wasm.ImmMemArg, wasm.ImmMemArgLane:
		if err := c.checkMemory(in.Mem.Memory); err != nil {
			return err
		}
		if in.Mem.Align > maxAlign(info.Size) {
			return c.errorf("alignment must not be larger than natural (2^%d > %d)", in.Mem.Align, info.Size)
		}
		if in.Op.Prefix() == byte(wasm.PrefixAtomic) && in.Mem.Align != maxAlign(info.Size) {
			return c.errorf("atomic alignment must be natural (2^%d != %d)", in.Mem.Align, info.Size)
		}
		if info.Imm == wasm.ImmMemArgLane && in.Lane >= laneCount(in.Op, info) {
			return c.errorf("invalid lane index %d", in.Lane)
		}
		if !c.mc.memIs64(in.Mem.Memory) && in.Mem.Offset > 0xFFFFFFFF {
			return c.errorf("offset out of range")
		}
	case wasm.ImmLane:
		if in.Lane >= laneCount(in.Op, info) {
			return c.errorf("invalid lane index %d", in.Lane)
		}
	case wasm.ImmShuffle:
		for _, l := range in.V128 {
			if l >= 32 {
				return c.errorf("invalid lane index %d", l)
			}
		}
	case wasm.ImmMemory:
		return c.checkMemory(in.Index)
	case wasm.ImmMemoryCopy:
		if err := c.checkMemory(in.Index); err != nil {
			return err
		}
		return c.checkMemory(in.Index2)
	case wasm.ImmMemoryInit:
		if err := c.checkMemory(in.Index2); err != nil {
			return err
		}
		return c.checkData(in.Index)
	case wasm.ImmData:
		return c.checkData(in.Index)
	default:
		return c.errorf("unexpected immediate kind %d", info.Imm)
	}
	return nil
}

func (c *funcChecker) checkMemory(idx uint32) error {
	if uint64(idx) >= uint64(len(c.mc.mems)) {
		return c.errorf("unknown memory %d", idx)
	}
	return nil
}

// elemSegment returns element segment idx.
func (c *funcChecker) elemSegment(idx uint32) (*wasm.ElemSegment, error) {
	elems := c.mc.m.Elems
	if uint64(idx) >= uint64(len(elems)) {
		return nil, c.errorf("unknown elem segment %d", idx)
	}
	return &elems[idx], nil
}

func (c *funcChecker) checkData(idx uint32) error {
	if !c.mc.m.HasDataCount {
		return &malformedError{c.errorf("data count section required")}
	}
	if idx >= c.mc.m.DataCount {
		return c.errorf("unknown data segment %d", idx)
	}
	return nil
}

// checkBlock types block, loop and if: it pops the parameters (and the
// condition of if); the frame is pushed after the visitor call.
func (c *funcChecker) checkBlock(in *wasm.Instr, s *State) error {
	bt, err := c.blockType(in.Block)
	if err != nil {
		return err
	}
	var cond wasm.ValType
	switch in.Op {
	case wasm.OpBlock:
		c.pendingKind = FrameBlock
	case wasm.OpLoop:
		c.pendingKind = FrameLoop
	case wasm.OpTry:
		c.pendingKind = FrameTry
	default:
		c.pendingKind = FrameIf
		if cond, err = c.pop(wasm.I32); err != nil {
			return err
		}
	}
	if s.In, err = c.popTypes(bt.Params, &c.inBuf); err != nil {
		return err
	}
	if in.Op == wasm.OpIf {
		s.In = c.appendIn(s.In, cond)
	}
	s.Out, s.BlockType = bt.Params, bt
	c.pendingType = bt
	c.pending = postPushFrame
	return nil
}

// checkBrTable follows the appendix: every target must have the default
// target's arity and accept the operands.
func (c *funcChecker) checkBrTable(in *wasm.Instr, s *State) error {
	cond, err := c.pop(wasm.I32)
	if err != nil {
		return err
	}
	def, err := c.labelFrame(in.Index)
	if err != nil {
		return err
	}
	arity := len(def.labelTypes())
	for _, l := range in.Labels {
		f, err := c.labelFrame(l)
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		if len(lt) != arity {
			return c.mismatch("br_table target %d has %d value(s), the default target %d", l, len(lt), arity)
		}
		popped, err := c.popTypes(lt, &c.brBuf)
		if err != nil {
			return err
		}
		c.pushAll(popped)
	}
	popped, err := c.popTypes(def.labelTypes(), &c.inBuf)
	if err != nil {
		return err
	}
	s.In = c.appendIn(popped, cond)
	c.setUnreachable()
	return nil
}

func (c *funcChecker) checkCallIndirect(in *wasm.Instr, s *State) error {
	tables := c.mc.tables
	if uint64(in.Index2) >= uint64(len(tables)) {
		return c.errorf("unknown table %d", in.Index2)
	}
	types := c.mc.m.Types
	if uint64(in.Index) >= uint64(len(types)) {
		return c.errorf("unknown type %d", in.Index)
	}
	if et := tables[in.Index2].Elem; !c.mc.matches(et, wasm.FuncRef) {
		return c.mismatch("call_indirect needs a table of funcref, table %d holds %s", in.Index2, et)
	}
	if !c.mc.m.IsFuncType(in.Index) {
		return c.errorf("type mismatch: type %d is not a function type", in.Index)
	}
	ft := &types[in.Index]
	tail := in.Op == wasm.OpReturnCallIndirect
	if tail {
		if err := c.checkTailResults(ft); err != nil {
			return err
		}
	}
	it := wasm.I32
	if tables[in.Index2].Is64 {
		it = wasm.I64
	}
	cond, err := c.pop(it)
	if err != nil {
		return err
	}
	if err := c.applyCall(ft, tail, s); err != nil {
		return err
	}
	s.In = c.appendIn(s.In, cond)
	return nil
}

// checkSelect types select and typed select (appendix rule for the untyped
// form: both operands numeric or both vectors, Unknown matching either).
func (c *funcChecker) checkSelect(in *wasm.Instr, s *State) error {
	cond, err := c.pop(wasm.I32)
	if err != nil {
		return err
	}
	var t wasm.ValType
	if in.Op == wasm.OpSelectT {
		if len(in.Types) != 1 {
			return c.errorf("invalid result arity %d", len(in.Types))
		}
		t = in.Types[0]
		if err := c.checkHeap(t); err != nil {
			return err
		}
		t1, err := c.pop(t)
		if err != nil {
			return err
		}
		t2, err := c.pop(t)
		if err != nil {
			return err
		}
		s.In = list(&c.inBuf, t2, t1, cond)
	} else {
		t1, err := c.popAny()
		if err != nil {
			return err
		}
		t2, err := c.popAny()
		if err != nil {
			return err
		}
		num := func(t wasm.ValType) bool { return t == Unknown || t.IsNum() }
		vec := func(t wasm.ValType) bool { return t == Unknown || t == wasm.V128 }
		if !(num(t1) && num(t2)) && !(vec(t1) && vec(t2)) {
			return c.mismatch("select needs numeric or vector operands, got %s and %s", t2, t1)
		}
		if t1 != t2 && t1 != Unknown && t2 != Unknown {
			return c.mismatch("select operands differ: %s and %s", t2, t1)
		}
		t = t1
		if t1 == Unknown {
			t = t2
		}
		s.In = list(&c.inBuf, t2, t1, cond)
	}
	c.push(t)
	s.Out = list(&c.outBuf, t)
	return nil
}

func (c *funcChecker) checkLocal(in *wasm.Instr, s *State) error {
	locals := c.fn.Locals
	i := in.Index
	if uint64(i) >= uint64(len(locals)) {
		return c.errorf("unknown local %d", i)
	}
	lt := locals[i : i+1 : i+1]
	switch in.Op {
	case wasm.OpLocalGet:
		if c.trackInit && c.unset[i/64]&(1<<(i%64)) != 0 {
			return c.errorf("uninitialized local %d", i)
		}
		c.push(lt[0])
		s.Out = lt
	case wasm.OpLocalSet:
		t, err := c.pop(lt[0])
		if err != nil {
			return err
		}
		s.In = c.oneOr(lt, t)
		if c.trackInit {
			c.initLocal(i)
		}
	default:
		t, err := c.pop(lt[0])
		if err != nil {
			return err
		}
		c.push(lt[0])
		s.In, s.Out = c.oneOr(lt, t), lt
		if c.trackInit {
			c.initLocal(i)
		}
	}
	return nil
}

func (c *funcChecker) checkGlobal(in *wasm.Instr, s *State) error {
	g := c.mc.globalTypes
	i := in.Index
	if uint64(i) >= uint64(len(g)) {
		return c.errorf("unknown global %d", i)
	}
	gt := g[i : i+1 : i+1]
	if in.Op == wasm.OpGlobalGet {
		c.push(gt[0])
		s.Out = gt
		return nil
	}
	if !c.mc.globals[i].Mutable {
		return c.errorf("global is immutable: cannot set immutable global %d", i)
	}
	t, err := c.pop(gt[0])
	if err != nil {
		return err
	}
	s.In = c.oneOr(gt, t)
	return nil
}

// checkTable types the table instructions of reference types and bulk
// memory.
func (c *funcChecker) checkTable(in *wasm.Instr, s *State) error {
	if in.Op == wasm.OpElemDrop {
		_, err := c.elemSegment(in.Index)
		return err
	}
	tables := c.mc.tables
	ti := in.Index
	if in.Op == wasm.OpTableInit {
		ti = in.Index2
	}
	if uint64(ti) >= uint64(len(tables)) {
		return c.errorf("unknown table %d", ti)
	}
	et := tables[ti].Elem
	// it is the index type of the table: i64 for a table64.
	it := wasm.I32
	if tables[ti].Is64 {
		it = wasm.I64
	}
	var want []wasm.ValType
	switch in.Op {
	case wasm.OpTableGet:
		want = list(&c.wantBuf, it)
	case wasm.OpTableSet:
		want = list(&c.wantBuf, it, et)
	case wasm.OpTableSize:
	case wasm.OpTableGrow:
		want = list(&c.wantBuf, et, it)
	case wasm.OpTableFill:
		want = list(&c.wantBuf, it, et, it)
	case wasm.OpTableCopy:
		if uint64(in.Index2) >= uint64(len(tables)) {
			return c.errorf("unknown table %d", in.Index2)
		}
		src := &tables[in.Index2]
		if !c.mc.matches(src.Elem, et) {
			return c.mismatch("table.copy from a table of %s to a table of %s", src.Elem, et)
		}
		want = typesI32x[:]
		if it == wasm.I64 || src.Is64 {
			st, n := wasm.I32, wasm.I32
			if src.Is64 {
				st = wasm.I64
			}
			if it == wasm.I64 && src.Is64 {
				n = wasm.I64
			}
			want = list(&c.wantBuf, it, st, n)
		}
	case wasm.OpTableInit:
		seg, err := c.elemSegment(in.Index)
		if err != nil {
			return err
		}
		if t := seg.Type; !c.mc.matches(t, et) {
			return c.mismatch("table.init of elem segment of %s into a table of %s", t, et)
		}
		want = list(&c.wantBuf, it, wasm.I32, wasm.I32)
	}
	var err error
	if s.In, err = c.popTypes(want, &c.inBuf); err != nil {
		return err
	}
	switch in.Op {
	case wasm.OpTableGet:
		c.push(et)
		s.Out = list(&c.outBuf, et)
	case wasm.OpTableSize, wasm.OpTableGrow:
		c.push(it)
		s.Out = list(&c.outBuf, it)
	}
	return nil
}

// refNullType returns the type pushed by ref.null.
func (c *funcChecker) refNullType(h wasm.HeapType) (wasm.ValType, error) {
	t, err := c.mc.heapRefType(h, true)
	if err != nil {
		return 0, c.errorf("%v", err)
	}
	return t, nil
}

// appendIn returns popped followed by last, in inBuf.
func (c *funcChecker) appendIn(popped []wasm.ValType, last wasm.ValType) []wasm.ValType {
	buf := append(c.inBuf[:0], popped...)
	buf = append(buf, last)
	c.inBuf = buf
	return buf
}

// keepBranchValues types the values a conditional branch passes to its
// label and leaves on the stack when it falls through: it pops ts, records
// them and then the branch's own operand (popped already) as s.In, and
// pushes ts back.
func (c *funcChecker) keepBranchValues(ts []wasm.ValType, operand wasm.ValType, s *State) error {
	popped, err := c.popTypes(ts, &c.inBuf)
	if err != nil {
		return err
	}
	s.In = c.appendIn(popped, operand)
	c.pushAll(ts)
	return nil
}

// list returns ts in *buf, so that State can refer to them after the
// instruction's operands change.
func list(buf *[]wasm.ValType, ts ...wasm.ValType) []wasm.ValType {
	b := append((*buf)[:0], ts...)
	*buf = b
	return b
}

// oneOr returns static when t is its only element, else t in inBuf (t is
// Unknown in dead code).
func (c *funcChecker) oneOr(static []wasm.ValType, t wasm.ValType) []wasm.ValType {
	if t == static[0] {
		return static
	}
	return list(&c.inBuf, t)
}
