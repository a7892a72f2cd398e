package wast

import (
	"github.com/kilnrt/kiln/wasm"
)

// typeUse is a written type use: (type x)? (param ...)* (result ...)*.
type typeUse struct {
	pos     Pos
	idx     *node // the index atom of (type x), nil when absent
	inline  bool  // some (param) or (result) was written
	params  []wasm.ValType
	names   []string // parameter identifiers ("" when unnamed)
	results []wasm.ValType
}

// typeUse reads a type use. allowNames permits (param $x t) (functions
// and imports, not block types or call_indirect).
func (m *module) typeUse(c *cursor, allowNames bool) (*typeUse, error) {
	tu := &typeUse{pos: c.pos()}
	if c.peekList("type") {
		n := c.next()
		tc := listCursor(n, 1)
		if !isIndex(tc.peek()) {
			return nil, tc.unexpected("a type index")
		}
		tu.idx = tc.next()
		if err := tc.expectEnd(); err != nil {
			return nil, err
		}
	}
	for c.peekList("param") {
		n := c.next()
		tu.inline = true
		pc := listCursor(n, 1)
		if id := pc.optID(); id != "" {
			if !allowNames {
				return nil, errorf(n.pos(), "unexpected token %s: parameters of a block type or call_indirect cannot be named", id)
			}
			t, err := m.valType(pc)
			if err != nil {
				return nil, err
			}
			tu.params = append(tu.params, t)
			tu.names = append(tu.names, id)
			if err := pc.expectEnd(); err != nil {
				return nil, err
			}
			continue
		}
		for !pc.done() {
			t, err := m.valType(pc)
			if err != nil {
				return nil, err
			}
			tu.params = append(tu.params, t)
			tu.names = append(tu.names, "")
		}
	}
	for c.peekList("result") {
		n := c.next()
		tu.inline = true
		rc := listCursor(n, 1)
		for !rc.done() {
			t, err := m.valType(rc)
			if err != nil {
				return nil, err
			}
			tu.results = append(tu.results, t)
		}
	}
	if c.peekList("type") || c.peekList("param") {
		return nil, errorf(c.pos(), "unexpected token %s: a type use is (type x)? (param ...)* (result ...)*, in this order", c.peek().describe())
	}
	return tu, nil
}

// resolveTypeUse returns the type index of a type use. Without (type x)
// it is the first function type equal to the inline signature, appended
// to the type section when there is none.
func (m *module) resolveTypeUse(tu *typeUse) (uint32, error) {
	if tu.idx != nil {
		idx, err := m.resolve(spType, tu.idx)
		if err != nil {
			return 0, err
		}
		if tu.inline {
			if uint64(idx) >= uint64(len(m.types)) {
				return 0, errorf(tu.idx.pos(), "unknown type %s", tu.idx.text)
			}
			ft := wasm.FuncType{Params: tu.params, Results: tu.results}
			if !m.types[idx].isFunc || !m.types[idx].fn.Equal(&ft) {
				return 0, errorf(tu.pos, "inline function type %s does not match type %s", ft.String(), tu.idx.text)
			}
		}
		return idx, nil
	}
	return m.implicitType(wasm.FuncType{Params: tu.params, Results: tu.results}), nil
}

// implicitType finds or appends the function type ft.
func (m *module) implicitType(ft wasm.FuncType) uint32 {
	for i := range m.types {
		if m.types[i].plain && m.types[i].fn.Equal(&ft) {
			return uint32(i)
		}
	}
	idx := uint32(len(m.types))
	m.types = append(m.types, typeDef{fn: ft, isFunc: true, plain: true, enc: appendFuncType(nil, &ft)})
	m.groups = append(m.groups, typeGroup{first: int(idx), count: 1})
	m.counts[spType]++
	return idx
}

// funcTypeOf returns the function type at idx, if there is one.
func (m *module) funcTypeOf(idx uint32) (*wasm.FuncType, bool) {
	if uint64(idx) < uint64(len(m.types)) && m.types[idx].isFunc {
		return &m.types[idx].fn, true
	}
	return nil, false
}

// defineTypes reads a (type ...) or (rec (type ...)*) field. Types are
// defined in pass order, so m.types grows in index order.
func (m *module) defineTypes(f *node) error {
	if f.isList("rec") {
		g := typeGroup{rec: true, first: len(m.types), count: len(f.kids()) - 1}
		for _, t := range f.kids()[1:] {
			if err := m.typeDefinition(t, false); err != nil {
				return err
			}
		}
		m.groups = append(m.groups, g)
		return nil
	}
	g := typeGroup{first: len(m.types), count: 1}
	if err := m.typeDefinition(f, true); err != nil {
		return err
	}
	m.groups = append(m.groups, g)
	return nil
}

// typeDefinition reads (type $id? comptype) or (type $id? (sub ...)).
func (m *module) typeDefinition(f *node, alone bool) error {
	c := listCursor(f, 1)
	c.optID()
	n := c.next()
	if n == nil || !n.list {
		c.i--
		return c.unexpected("a type definition like (func ...)")
	}
	if err := c.expectEnd(); err != nil {
		return err
	}
	td := typeDef{}
	var enc []byte
	final := true
	if n.isList("sub") {
		sc := listCursor(n, 1)
		final = sc.keyword("final")
		var supers []uint32
		for isIndex(sc.peek()) {
			idx, err := m.index(sc, spType)
			if err != nil {
				return err
			}
			supers = append(supers, idx)
		}
		n = sc.next()
		if n == nil || !n.list {
			sc.i--
			return sc.unexpected("a composite type")
		}
		if err := sc.expectEnd(); err != nil {
			return err
		}
		if final {
			enc = append(enc, 0x4F)
		} else {
			enc = append(enc, 0x50)
		}
		enc = appendU32(enc, uint32(len(supers)))
		for _, s := range supers {
			enc = appendU32(enc, s)
		}
		if final && len(supers) == 0 {
			enc = enc[:0] // (sub final) without supertypes is the plain form
		}
		td.plain = false
	}
	comp, err := m.compositeType(n, &td)
	if err != nil {
		return err
	}
	td.enc = append(enc, comp...)
	td.plain = td.isFunc && alone && final && len(enc) == 0
	m.types = append(m.types, td)
	return nil
}

// compositeType reads (func ...), (struct ...) or (array ...).
func (m *module) compositeType(n *node, td *typeDef) ([]byte, error) {
	c := listCursor(n, 1)
	switch n.head() {
	case "func":
		c.optID()
		tu, err := m.typeUse(c, true)
		if err != nil {
			return nil, err
		}
		if tu.idx != nil {
			return nil, errorf(tu.idx.pos(), "unexpected token (type ...) in a function type definition")
		}
		if err := c.expectEnd(); err != nil {
			return nil, err
		}
		td.isFunc = true
		td.fn = wasm.FuncType{Params: tu.params, Results: tu.results}
		return appendFuncType(nil, &td.fn), nil
	case "struct":
		var fields []byte
		count := uint32(0)
		names := map[string]bool{}
		for !c.done() {
			fn := c.next()
			if !fn.isList("field") {
				return nil, errorf(fn.pos(), "unexpected token %s, expected (field ...)", fn.describe())
			}
			fc := listCursor(fn, 1)
			if id := fc.optID(); id != "" {
				if names[id] {
					return nil, errorf(fn.pos(), "duplicate field %s", id)
				}
				names[id] = true
				if td.fields == nil {
					td.fields = map[string]uint32{}
				}
				td.fields[id] = count
				b, err := m.fieldType(fc)
				if err != nil {
					return nil, err
				}
				fields = append(fields, b...)
				count++
				if err := fc.expectEnd(); err != nil {
					return nil, err
				}
				continue
			}
			for !fc.done() {
				b, err := m.fieldType(fc)
				if err != nil {
					return nil, err
				}
				fields = append(fields, b...)
				count++
			}
		}
		return append(appendU32([]byte{0x5F}, count), fields...), nil
	case "array":
		b, err := m.fieldType(c)
		if err != nil {
			return nil, err
		}
		return append([]byte{0x5E}, b...), c.expectEnd()
	}
	return nil, errorf(n.pos(), "unexpected token %s, expected func, struct or array", n.describe())
}

// fieldType reads a storage type with optional (mut ...).
func (m *module) fieldType(c *cursor) ([]byte, error) {
	mut := false
	cc := c
	if c.peekList("mut") {
		n := c.next()
		cc = listCursor(n, 1)
		mut = true
	}
	var b []byte
	if n := cc.peek(); n != nil && !n.list && (n.text == "i8" || n.text == "i16") {
		cc.next()
		if n.text == "i8" {
			b = append(b, 0x78)
		} else {
			b = append(b, 0x77)
		}
	} else {
		t, err := m.valType(cc)
		if err != nil {
			return nil, err
		}
		b = appendValType(b, t)
	}
	if mut {
		if err := cc.expectEnd(); err != nil {
			return nil, err
		}
		return append(b, 1), nil
	}
	return append(b, 0), nil
}
