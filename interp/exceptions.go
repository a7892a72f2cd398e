package interp

import (
	"errors"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Exception handling.
//
// Every try_table and legacy try records a handler in its Code: the
// instruction range of its protected body, its catch clauses, and the
// handler to consult next when no clause matches (the enclosing one, or
// for a legacy delegate the one enclosing its target label). Throwing
// creates a store.Exception holding the payload slots and unwinds without
// Go recursion: from the innermost handler whose range contains the
// throwing instruction (or, in a caller, the call instruction) along the
// parent chain, then through the suspended frames, until a clause matches.
// The clause's payload and exnref are written to the target label's slots
// and execution continues at the label. An exception that no frame of
// this Run catches leaves it as a *store.Trap with TrapUncaughtException;
// a machine that gets such a trap from a host function rethrows it, so
// exceptions also cross host frames.
//
// The exception caught by a legacy catch is kept in a hidden reference
// slot above the operand stack (one per try), which rethrow reads.

// handler is one try_table or legacy try of a function.
type handler struct {
	start, end int // protected instructions: [start, end)
	parent     int // next handler to consult, or -1 (the caller)
	delegate   bool
	clauses    []catchClause
}

// catchClause delivers a caught exception: its payload (unless catch-all)
// to slots from dst, the exnref to slot exn when ref, then jumps to target.
type catchClause struct {
	tag    int32 // tag index, or -1 for catch_all
	ref    bool
	dst    uint32
	exn    uint32
	target int
}

// hiddenSlot marks a translator-time hidden slot number, rebased above the
// operand stack when the function ends.
const hiddenSlot = 1 << 31

// activeHandler is a handler whose protected body is being translated.
type activeHandler struct {
	index int // in Code.handlers
	ctrl  int // index of its control frame in translator.ctrls
}

// openHandler starts a handler for the control frame about to be pushed.
func (t *translator) openHandler() int {
	parent := -1
	if n := len(t.active); n > 0 {
		parent = t.active[n-1].index
	}
	t.code.handlers = append(t.code.handlers, handler{start: len(t.code.instrs), parent: parent})
	h := len(t.code.handlers) - 1
	t.active = append(t.active, activeHandler{index: h, ctrl: len(t.ctrls)})
	return h
}

// closeHandler ends the protected range of the innermost active handler
// if it belongs to control frame c.
func (t *translator) closeHandler(c int) {
	if n := len(t.active); n > 0 && t.active[n-1].ctrl == c {
		t.code.handlers[t.active[n-1].index].end = len(t.code.instrs)
		t.active = t.active[:n-1]
	}
}

// clauseTarget sets the target of clause i of handler h to control frame
// c's label, now if known, else when the label is bound. It returns the
// slot where the label's values start.
func (t *translator) clauseTarget(h, i int, c *ctrl) uint32 {
	switch c.kind {
	case validator.FrameFunc:
		t.retFixups = append(t.retFixups, fixup{instr: h, table: fixClause, clause: i})
		return 0
	case validator.FrameLoop:
		t.code.handlers[h].clauses[i].target = c.start
	default:
		c.fixups = append(c.fixups, fixup{instr: h, table: fixClause, clause: i})
	}
	return t.slotAt(c.height)
}

// tryTable translates try_table: a block with a handler whose clauses
// branch to labels outside it.
func (t *translator) tryTable(in *wasm.Instr, s *validator.State) {
	t.materializeAll()
	bt := s.BlockType
	h := t.openHandler()
	hd := &t.code.handlers[h]
	hd.clauses = make([]catchClause, len(in.Catches))
	for i, cc := range in.Catches {
		cl := catchClause{tag: -1}
		if cc.Kind == wasm.CatchTag || cc.Kind == wasm.CatchTagRef {
			cl.tag = int32(cc.Tag)
		}
		cl.ref = cc.Kind == wasm.CatchTagRef || cc.Kind == wasm.CatchAllRef
		t.code.handlers[h].clauses[i] = cl
		dst := t.clauseTarget(h, i, t.label(cc.Label))
		cl = t.code.handlers[h].clauses[i]
		cl.dst = dst
		if cl.ref {
			cl.exn = dst
			if tt := s.TagTypes[i]; tt != nil {
				cl.exn += uint32(SlotCount(tt.Params))
			}
		}
		t.code.handlers[h].clauses[i] = cl
	}
	t.ctrls = append(t.ctrls, ctrl{kind: validator.FrameTryTable, height: len(t.stack) - len(bt.Params),
		params: bt.Params, results: bt.Results, elseFix: -1, handler: h})
}

// try translates a legacy try: a block whose handler gets its clauses from
// the catch instructions that follow.
func (t *translator) try(s *validator.State) {
	t.materializeAll()
	bt := s.BlockType
	h := t.openHandler()
	t.ctrls = append(t.ctrls, ctrl{kind: validator.FrameTry, height: len(t.stack) - len(bt.Params),
		params: bt.Params, results: bt.Results, elseFix: -1, handler: h,
		hidden: hiddenSlot | t.nHidden})
	t.nHidden++
}

// catch translates a legacy catch or catch_all (tag nil).
func (t *translator) catch(in *wasm.Instr, s *validator.State, tag *wasm.FuncType) {
	ci := len(t.ctrls) - 1
	c := &t.ctrls[ci]
	if !s.Unreachable {
		t.materializeTop(len(c.results))
		c.fixups = append(c.fixups, fixup{instr: t.emit(instr{op: opBr}), table: -1})
	}
	t.closeHandler(ci)
	pos := len(t.code.instrs)
	cl := catchClause{tag: -1, ref: true, dst: t.slotAt(c.height), exn: c.hidden, target: pos}
	if tag != nil {
		cl.tag = int32(in.Index)
	}
	hd := &t.code.handlers[c.handler]
	hd.clauses = append(hd.clauses, cl)
	t.barrier = pos
	t.stack = t.stack[:c.height]
	if tag != nil {
		for _, p := range tag.Params {
			t.pushSlot(p)
		}
	}
	c.kind = validator.FrameCatch
}

// delegate translates a legacy delegate: it ends the try, whose body's
// exceptions go to the handlers enclosing label in.Index (counted from the
// frame enclosing the try).
func (t *translator) delegate(in *wasm.Instr, s *validator.State) error {
	ci := len(t.ctrls) - 1
	c := &t.ctrls[ci]
	t.closeHandler(ci)
	target := ci - 1 - int(in.Index)
	hd := &t.code.handlers[c.handler]
	hd.delegate = true
	hd.parent = -1
	for i := len(t.active) - 1; i >= 0; i-- {
		if t.active[i].ctrl <= target {
			hd.parent = t.active[i].index
			break
		}
	}
	return t.end(s)
}

// throw translates throw: the payload is in consecutive slots.
func (t *translator) throw(in *wasm.Instr, s *validator.State) {
	n := len(s.Tag.Params)
	t.materializeTop(n)
	base := t.slotAt(len(t.stack) - n)
	t.stack = t.stack[:len(t.stack)-n]
	t.emit(instr{op: opThrow, a: in.Index, b: base, c: uint32(SlotCount(s.Tag.Params))})
}

// rebaseHidden moves the hidden slots above the operand stack once its
// size is known, and returns the frame size including them.
func (t *translator) rebaseHidden(frame uint32) uint32 {
	if t.nHidden == 0 {
		return frame
	}
	fix := func(s uint32) uint32 {
		if s&hiddenSlot != 0 {
			return s&^hiddenSlot + frame
		}
		return s
	}
	for i := range t.code.instrs {
		if in := &t.code.instrs[i]; in.op == opRethrow {
			in.b = fix(in.b)
		}
	}
	for h := range t.code.handlers {
		for i := range t.code.handlers[h].clauses {
			cl := &t.code.handlers[h].clauses[i]
			cl.exn = fix(cl.exn)
		}
	}
	return frame + t.nHidden
}

// innermostHandler returns the handler protecting instruction pc, or -1.
func (c *Code) innermostHandler(pc int) int {
	best := -1
	for i := range c.handlers {
		h := &c.handlers[i]
		if pc >= h.start && pc < h.end && (best < 0 || h.start >= c.handlers[best].start) {
			best = i
		}
	}
	return best
}

// findClause returns the clause of code's handlers that catches exn thrown
// at instruction pc, following the parent chain.
func findClause(code *Code, inst *store.Instance, pc int, exn *store.Exception) *catchClause {
	for h := code.innermostHandler(pc); h >= 0; h = code.handlers[h].parent {
		hd := &code.handlers[h]
		if hd.delegate {
			continue
		}
		for i := range hd.clauses {
			cl := &hd.clauses[i]
			if cl.tag < 0 || inst.Tags[cl.tag] == exn.Tag {
				return cl
			}
		}
	}
	return nil
}

// unwind looks for the handler of exn thrown at instruction pc of the
// current frame. When one catches it, the frames above its own are
// popped, the payload delivered and m.cur set to continue at the handler;
// otherwise unwind returns the uncaught-exception trap and the frames are
// left for the backtrace.
func (m *Machine) unwind(exn *store.Exception, pc int) error {
	fr := m.cur
	depth := len(m.frames)
	top := pc
	for {
		if cl := findClause(fr.code, fr.fn.Module, pc, exn); cl != nil {
			m.arriving = nil
			m.frames = m.frames[:depth]
			m.cur = fr
			m.inst = fr.fn.Module
			fp := fr.fp
			if cl.tag >= 0 {
				copy(m.stack[fp+int(cl.dst):], exn.Vals)
			}
			if fr.code.refSlots { // always, for a function with handlers
				if cl.tag >= 0 {
					copy(m.refs[fp+int(cl.dst):], exn.Refs)
				}
				if cl.ref {
					m.refs[fp+int(cl.exn)] = exn
				}
			}
			m.cur.pc = cl.target
			m.setRW()
			return nil
		}
		if depth == 0 {
			m.cur.pc = top + 1
			t := m.trapHere(store.TrapUncaughtException)
			if a := m.arriving; a != nil && a.Exception == exn && !a.Reentered {
				// Thrown in a callee's Run: its backtrace has the
				// frames from the throw to the callee.
				m.arriving = nil
				a.AppendFrames(t.Frames, t.OmittedFrames)
				return a
			}
			m.arriving = nil
			t.Exception = exn
			return t
		}
		depth--
		fr = m.frameAt(depth)
		pc = fr.pc - 1
	}
}

// newException captures the payload of a throw.
func (m *Machine) newException(in *instr) *store.Exception {
	fp := m.cur.fp + int(in.b)
	n := int(in.c)
	exn := &store.Exception{Tag: m.inst.Tags[in.a], Vals: make([]uint64, n), Refs: make([]any, n)}
	copy(exn.Vals, m.stack[fp:fp+n])
	if m.cur.code.refSlots { // otherwise the payload holds no reference
		copy(exn.Refs, m.refs[fp:fp+n])
	}
	return exn
}

// rethrown returns the exception an error carries (an uncaught
// exception of a nested Run, another engine's run or a host function),
// or nil; it keeps the error's trap (arriving) for unwind.
func (m *Machine) rethrown(err error) *store.Exception {
	var t *store.Trap
	if errors.As(err, &t) && t.Code == store.TrapUncaughtException {
		m.arriving = t
		return t.Exception
	}
	return nil
}
