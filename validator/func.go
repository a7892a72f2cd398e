package validator

import (
	"errors"
	"fmt"
	"io"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/wasm"
)

// maxLocals bounds the locals of one function (parameters included). The
// specification allows up to 2^32-1; kiln's engines give every local a frame
// slot, so a larger count is rejected rather than allocated.
const maxLocals = 1 << 20

// postAction is a control-stack change applied after the visitor has seen
// an instruction, so that State.Label describes the frames as they were
// before the instruction.
type postAction byte

const (
	postNone postAction = iota
	postPushFrame
	postElse
	postEnd
	postCatch // legacy catch or catch_all: start a handler
)

// funcChecker type-checks function bodies. One checker is reused for every
// function of a module, so its stacks and buffers are allocated once.
type funcChecker struct {
	mc *moduleChecker

	fn      *Func
	visitor FuncVisitor
	// visitorErr is the error the visitor returned for an instruction of
	// the current body; the body is checked to its end without the
	// visitor, and the error returned unless the body is invalid.
	visitorErr error
	results    []wasm.ValType

	vals      []wasm.ValType
	ctrls     []frame
	maxHeight int

	state State
	cur   *wasm.Instr
	// inBuf and outBuf back State.In and State.Out when they are not
	// static slices.
	inBuf, outBuf []wasm.ValType
	// brBuf holds the operands of a br_table while each target is checked;
	// wantBuf the operand types a table instruction expects.
	brBuf, wantBuf []wasm.ValType
	// tagBuf backs State.TagTypes.
	tagBuf []*wasm.FuncType

	// Resolved block types: the empty type and one per single result.
	emptyType   wasm.FuncType
	valueBlocks []*wasm.FuncType

	// pending is the frame change the current instruction applies after
	// the visitor call; pendingType and pendingKind describe a new frame.
	pending     postAction
	pendingType *wasm.FuncType
	pendingKind FrameKind
	// pendingCatch is the tag type of a legacy catch (nil for catch_all).
	pendingCatch *wasm.FuncType

	reader *decoder.InstrReader
	instr  wasm.Instr

	// Initialisation of non-defaultable locals (non-nullable references):
	// unset marks those not yet set on the current path, initLog lists the
	// locals set since each open frame began, to be reset at its end.
	trackInit bool
	unset     []uint64
	initLog   []uint32
}

func newFuncChecker(mc *moduleChecker) *funcChecker {
	c := &funcChecker{mc: mc}
	c.state.labels = c.label
	return c
}

// errorf builds an error for the current instruction of the function.
func (c *funcChecker) errorf(format string, args ...any) error {
	e := &Error{Func: int64(c.fn.Index), Offset: -1, Msg: fmt.Sprintf(format, args...)}
	if c.cur != nil {
		e.Offset, e.Op, e.HasOp = c.cur.Offset, c.cur.Op, true
	}
	return e
}

// label implements State.Label: frames are indexed relative to the control
// stack as it was before the instruction (State.Depth frames).
func (c *funcChecker) label(depth uint32) Label {
	n := c.state.Depth
	if uint64(depth) >= uint64(n) {
		return Label{}
	}
	f := &c.ctrls[:n][n-1-int(depth)]
	return Label{Kind: f.kind, Height: f.height, Types: f.labelTypes()}
}

// begin prepares for the body of function index idx (a defined function;
// code is its body) and calls the visitor's Begin.
func (c *funcChecker) begin(idx uint32, typ *wasm.FuncType, code *wasm.Code, v FuncVisitor) error {
	// Each function gets its own Func (and Locals): visitors may keep them.
	c.fn = &Func{Index: idx, Type: typ}
	c.visitor = v
	c.visitorErr = nil
	c.results = typ.Results
	c.cur = nil

	total := uint64(len(typ.Params))
	for _, r := range code.Locals {
		total += uint64(r.Count)
	}
	if total > maxLocals {
		return c.errorf("too many locals: %d (at most %d)", total, maxLocals)
	}
	c.trackInit = false
	for _, r := range code.Locals {
		if err := c.checkHeap(r.Type); err != nil {
			return err
		}
		if r.Count > 0 && r.Type.IsRef() && !r.Type.Nullable() {
			c.trackInit = true
		}
	}
	locals := make([]wasm.ValType, 0, total)
	locals = append(locals, typ.Params...)
	for _, r := range code.Locals {
		for i := uint32(0); i < r.Count; i++ {
			locals = append(locals, r.Type)
		}
	}
	c.fn.Locals = locals
	if c.trackInit {
		c.unset = append(c.unset[:0], make([]uint64, (len(locals)+63)/64)...)
		c.initLog = c.initLog[:0]
		for i := len(typ.Params); i < len(locals); i++ {
			if t := locals[i]; t.IsRef() && !t.Nullable() {
				c.unset[i/64] |= 1 << (i % 64)
			}
		}
	}

	c.vals = c.vals[:0]
	c.ctrls = append(c.ctrls[:0], frame{kind: FrameFunc, typ: typ})
	c.maxHeight = 0
	if v != nil {
		if err := v.Begin(c.fn); err != nil {
			c.visitorErr, c.visitor = c.visitorError(err), nil
		}
	}
	return nil
}

// finish checks that the body ended and calls the visitor's End.
func (c *funcChecker) finish() error {
	if len(c.ctrls) != 0 {
		return &malformedError{c.errorf("unexpected end of section or function: %d block(s) not closed", len(c.ctrls))}
	}
	c.fn.MaxHeight = c.maxHeight
	if c.visitorErr != nil {
		return c.visitorErr
	}
	if c.visitor != nil {
		if err := c.visitor.End(c.fn); err != nil {
			return c.visitorError(err)
		}
	}
	return nil
}

func (c *funcChecker) visitorError(err error) error {
	return fmt.Errorf("function %d: %w", c.fn.Index, err)
}

// checkBody validates the body of defined function idx, reading its
// instructions with the decoder's InstrReader.
func (c *funcChecker) checkBody(idx uint32, typ *wasm.FuncType, code *wasm.Code, v FuncVisitor) error {
	if err := c.begin(idx, typ, code, v); err != nil {
		return err
	}
	if c.reader == nil {
		c.reader = decoder.NewInstrReader(code.Body, code.BodyOffset, c.mc.features)
	} else {
		c.reader.Reset(code.Body, code.BodyOffset, c.mc.features)
	}
	in := &c.instr
	for {
		err := c.reader.Next(in)
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return fmt.Errorf("function %d: %w", idx, err)
		}
		if len(c.ctrls) == 0 {
			c.cur = in
			return &malformedError{c.errorf("operators remaining after end of function")}
		}
		if err := c.step(in); err != nil {
			return err
		}
	}
	return c.finish()
}

// blockType resolves a block type to a function type. The returned types
// are shared and must not be modified.
func (c *funcChecker) blockType(bt wasm.BlockType) (*wasm.FuncType, error) {
	switch bt.Kind {
	case wasm.BlockEmpty:
		return &c.emptyType, nil
	case wasm.BlockValue:
		for _, t := range c.valueBlocks {
			if t.Results[0] == bt.Val {
				return t, nil
			}
		}
		if err := c.checkHeap(bt.Val); err != nil {
			return nil, err
		}
		t := &wasm.FuncType{Results: []wasm.ValType{bt.Val}}
		c.valueBlocks = append(c.valueBlocks, t)
		return t, nil
	case wasm.BlockTypeIndex:
		types := c.mc.m.Types
		if uint64(bt.Index) >= uint64(len(types)) {
			return nil, c.errorf("unknown type %d", bt.Index)
		}
		if !c.mc.m.IsFuncType(bt.Index) {
			return nil, c.errorf("type mismatch: block type %d is not a function type", bt.Index)
		}
		return &types[bt.Index], nil
	}
	return nil, c.errorf("invalid block type kind %d", bt.Kind)
}

// labelFrame returns the frame a branch to relative depth targets.
func (c *funcChecker) labelFrame(depth uint32) (*frame, error) {
	if uint64(depth) >= uint64(len(c.ctrls)) {
		return nil, c.errorf("unknown label %d", depth)
	}
	return &c.ctrls[len(c.ctrls)-1-int(depth)], nil
}

// applyPending performs the control-stack change of the instruction just
// visited.
func (c *funcChecker) applyPending() {
	switch c.pending {
	case postPushFrame:
		c.ctrls = append(c.ctrls, frame{kind: c.pendingKind, typ: c.pendingType, height: len(c.vals), initHeight: len(c.initLog)})
		c.pushAll(c.pendingType.Params)
	case postElse:
		f := c.nextArm(FrameElse)
		c.pushAll(f.typ.Params)
	case postCatch:
		c.nextArm(FrameCatch)
		if c.pendingCatch != nil {
			c.pushAll(c.pendingCatch.Params)
		}
	case postEnd:
		f := &c.ctrls[len(c.ctrls)-1]
		c.ctrls = c.ctrls[:len(c.ctrls)-1]
		c.vals = c.vals[:f.height]
		c.resetInits(f.initHeight)
		if len(c.ctrls) > 0 {
			c.pushAll(f.typ.Results)
		}
	}
	c.pending = postNone
}

// nextArm starts the next arm (else, catch) of the innermost frame: the
// operand stack and local initialisations return to the frame's start.
func (c *funcChecker) nextArm(kind FrameKind) *frame {
	f := &c.ctrls[len(c.ctrls)-1]
	f.kind = kind
	f.unreachable = false
	c.resetInits(f.initHeight)
	c.vals = c.vals[:f.height]
	return f
}

// checkHeap checks that a typed reference type names an existing type.
func (c *funcChecker) checkHeap(t wasm.ValType) error {
	if t.IsRef() && t != wasm.FuncRef && t != wasm.ExternRef {
		if err := c.mc.checkRefType(t); err != nil {
			return c.errorf("%v", err)
		}
	}
	return nil
}

// resetInits forgets the local initialisations made since the log had
// length n: they happened inside a frame that has ended.
func (c *funcChecker) resetInits(n int) {
	for _, i := range c.initLog[n:] {
		c.unset[i/64] |= 1 << (i % 64)
	}
	c.initLog = c.initLog[:n]
}

// initLocal records that local i has been set.
func (c *funcChecker) initLocal(i uint32) {
	if c.unset[i/64]&(1<<(i%64)) != 0 {
		c.unset[i/64] &^= 1 << (i % 64)
		c.initLog = append(c.initLog, i)
	}
}
