package wast

import (
	"github.com/kilnrt/kiln/internal/leb128"
	"github.com/kilnrt/kiln/wasm"
)

// declareElem handles the element segment forms:
//
//	(elem $id? elemlist)                               passive
//	(elem $id? declare elemlist)                       declarative
//	(elem $id? (table x)? (offset e*)|(instr) elemlist) active
//	(elem $id? x? (offset ...) funcidx*)               legacy active
//
// where elemlist is "func funcidx*" or "reftype item*", and a bare funcidx*
// list is allowed after an offset.
func (m *module) declareElem(f *node) (func() error, error) {
	c := listCursor(f, 1)
	if _, err := m.define(spElem, c.optID(), f.pos()); err != nil {
		return nil, err
	}
	seg := &elemEntry{mode: wasm.SegmentPassive, typ: wasm.FuncRef}
	m.elems = append(m.elems, seg)
	return func() error {
		var err error
		active := false
		switch {
		case c.keyword("declare"):
			seg.mode = wasm.SegmentDeclarative
		case c.peekList("table"):
			tc := listCursor(c.next(), 1)
			if seg.table, err = m.index(tc, spTable); err != nil {
				return err
			}
			if err := tc.expectEnd(); err != nil {
				return err
			}
			active = true
		case isIndex(c.peek()) && c.peekAt(1) != nil && c.peekAt(1).list:
			// Legacy: a bare table index before the offset.
			if seg.table, err = m.index(c, spTable); err != nil {
				return err
			}
			active = true
		case c.peekList("offset") || (c.peek() != nil && c.peek().list && !isValTypeStart(c.peek()) && !c.peekList("item")):
			active = true
		}
		if active {
			seg.mode = wasm.SegmentActive
			if seg.offset, err = m.offset(c); err != nil {
				return err
			}
		}
		// elemlist
		if c.keyword("func") {
			_, err = m.elemList(seg, c, wasm.FuncRef, true)
			return err
		}
		if isValTypeStart(c.peek()) {
			t, err := m.refTypeOnly(c)
			if err != nil {
				return err
			}
			seg.typ = t
			_, err = m.elemList(seg, c, t, false)
			return err
		}
		if active {
			// Abbreviation: a bare list of function indices.
			_, err = m.elemList(seg, c, wasm.FuncRef, true)
			return err
		}
		if c.done() {
			return nil
		}
		return c.unexpected("an element list (func indices or a reference type)")
	}, nil
}

// elemList reads the items of a segment: function indices when funcs is
// set (they may also be written as items when not), otherwise items
// (item expr) or single folded instructions. It returns the item count.
func (m *module) elemList(seg *elemEntry, c *cursor, t wasm.ValType, funcs bool) (int, error) {
	seg.typ = t
	if funcs || isIndex(c.peek()) {
		for !c.done() {
			idx, err := m.index(c, spFunc)
			if err != nil {
				return 0, err
			}
			seg.items = append(seg.items, refFuncExpr(idx))
		}
		return len(seg.items), nil
	}
	for !c.done() {
		n := c.next()
		if !n.list {
			return 0, errorf(n.pos(), "unexpected token %s, expected an element expression", n.describe())
		}
		var expr []byte
		var err error
		if n.isList("item") {
			expr, err = m.constExpr(listCursor(n, 1))
		} else {
			expr, err = m.constExpr(&cursor{kids: []*node{n}, end: n.end()})
		}
		if err != nil {
			return 0, err
		}
		seg.items = append(seg.items, expr)
	}
	seg.exprs = m.typedRefs
	return len(seg.items), nil
}

// refFuncExpr encodes the item expression of a plain function index.
func refFuncExpr(idx uint32) []byte {
	return append(leb128.AppendUint32([]byte{byte(wasm.OpRefFunc)}, idx), byte(wasm.OpEnd))
}

// offset reads (offset instr*) or a single folded instruction.
func (m *module) offset(c *cursor) ([]byte, error) {
	n := c.next()
	if n == nil || !n.list {
		c.i--
		return nil, c.unexpected("an offset expression")
	}
	if n.isList("offset") {
		return m.constExpr(listCursor(n, 1))
	}
	return m.constExpr(&cursor{kids: []*node{n}, end: n.end()})
}

// declareData handles (data $id? (memory x)? offset string*) and the
// passive (data $id? string*).
func (m *module) declareData(f *node) (func() error, error) {
	c := listCursor(f, 1)
	if _, err := m.define(spData, c.optID(), f.pos()); err != nil {
		return nil, err
	}
	d := &dataEntry{mode: wasm.SegmentPassive}
	m.datas = append(m.datas, d)
	return func() error {
		var err error
		active := false
		switch {
		case c.peekList("memory"):
			mc := listCursor(c.next(), 1)
			if d.mem, err = m.index(mc, spMem); err != nil {
				return err
			}
			if err := mc.expectEnd(); err != nil {
				return err
			}
			active = true
		case isIndex(c.peek()) && c.peekAt(1) != nil && c.peekAt(1).list:
			if d.mem, err = m.index(c, spMem); err != nil {
				return err
			}
			active = true
		case c.peek() != nil && c.peek().list:
			active = true
		}
		if active {
			d.mode = wasm.SegmentActive
			if d.offset, err = m.offset(c); err != nil {
				return err
			}
		}
		for !c.done() {
			s, err := c.str("a data string")
			if err != nil {
				return err
			}
			d.init = append(d.init, s...)
		}
		return nil
	}, nil
}

// constExpr encodes the instructions of c (a constant expression) with a
// final end.
func (m *module) constExpr(c *cursor) ([]byte, error) {
	f := &funcCtx{m: m}
	if err := f.instrs(c, false); err != nil {
		return nil, err
	}
	return append(f.out, byte(wasm.OpEnd)), nil
}
