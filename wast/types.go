package wast

import (
	"github.com/kilnrt/kiln/internal/leb128"
	"github.com/kilnrt/kiln/wasm"
)

// Value types, reference types, limits and the table, memory and global
// types of the text format.

var numTypes = map[string]wasm.ValType{
	"i32": wasm.I32, "i64": wasm.I64, "f32": wasm.F32, "f64": wasm.F64, "v128": wasm.V128,
}

// refAbbrevs are the shorthand nullable reference types.
var refAbbrevs = map[string]wasm.HeapType{
	"funcref": wasm.HeapFunc, "externref": wasm.HeapExtern, "anyref": HeapAny, "eqref": HeapEq,
	"i31ref": HeapI31, "structref": HeapStruct, "arrayref": HeapArray, "nullref": HeapNone,
	"nullexternref": HeapNoExtern, "nullfuncref": HeapNoFunc, "exnref": HeapExn, "nullexnref": HeapNoExn,
}

// isValTypeStart reports whether n can begin a value type.
func isValTypeStart(n *node) bool {
	if n == nil {
		return false
	}
	if n.list {
		return n.head() == "ref"
	}
	if n.kind != tokKeyword {
		return false
	}
	_, num := numTypes[n.text]
	_, ref := refAbbrevs[n.text]
	return num || ref
}

// valType reads a value type.
func (m *module) valType(c *cursor) (wasm.ValType, error) {
	if t, ok := keywordOf(c, numTypes); ok {
		return t, nil
	}
	if h, ok := keywordOf(c, refAbbrevs); ok {
		return wasm.RefType(true, h), nil
	}
	n := c.peek()
	if n != nil && n.isList("ref") {
		c.next()
		return m.refType(n)
	}
	if n != nil && !n.list && n.kind == tokKeyword {
		return 0, errorf(n.pos(), "unknown operator %s: expected a value type", n.text)
	}
	return 0, c.unexpected("a value type")
}

// refType reads (ref null? heaptype).
func (m *module) refType(n *node) (wasm.ValType, error) {
	c := listCursor(n, 1)
	null := c.keyword("null")
	h, err := m.heapType(c)
	if err != nil {
		return 0, err
	}
	return wasm.RefType(null, h), c.expectEnd()
}

// heapType reads an abstract heap type or a type index.
func (m *module) heapType(c *cursor) (wasm.HeapType, error) {
	n := c.peek()
	if n != nil && !n.list && (n.kind == tokID || n.kind == tokNumber) {
		idx, err := m.index(c, spType)
		if err != nil {
			return 0, err
		}
		return wasm.HeapType(idx), nil
	}
	return parseAbstractHeap(c)
}

// refTypeOnly reads a reference type (tables, element segments).
func (m *module) refTypeOnly(c *cursor) (wasm.ValType, error) {
	pos := c.pos()
	t, err := m.valType(c)
	if err != nil {
		return 0, err
	}
	if !t.IsRef() {
		return 0, errorf(pos, "unexpected token %s, expected a reference type", t)
	}
	return t, nil
}

// appendValType encodes a value type.
func appendValType(b []byte, t wasm.ValType) []byte {
	if !t.IsRef() || t == wasm.FuncRef || t == wasm.ExternRef {
		return append(b, byte(t))
	}
	h := t.Heap()
	if t.Nullable() && h < 0 {
		// Shorthand for a nullable abstract reference type.
		return append(b, byte(int32(h)+0x80))
	}
	if t.Nullable() {
		b = append(b, 0x63)
	} else {
		b = append(b, 0x64)
	}
	return appendHeapType(b, h)
}

func appendHeapType(b []byte, h wasm.HeapType) []byte {
	if h < 0 {
		return append(b, byte(int32(h)+0x80))
	}
	return leb128.AppendInt64(b, int64(h))
}

// limits reads min max? as unsigned 32- or 64-bit numbers.
func (m *module) limits(c *cursor, is64 bool) (wasm.Limits, error) {
	var l wasm.Limits
	n, ok := c.atom(tokNumber)
	if !ok {
		return l, c.unexpected("a limit (number)")
	}
	var err error
	if l.Min, err = limitValue(n, is64); err != nil {
		return l, err
	}
	if n, ok := c.atom(tokNumber); ok {
		if l.Max, err = limitValue(n, is64); err != nil {
			return l, err
		}
		l.HasMax = true
	}
	return l, nil
}

func limitValue(n *node, is64 bool) (uint64, error) {
	if is64 {
		v, ok := parseU64(n.text)
		if !ok {
			return 0, errorf(n.pos(), "i64 constant out of range: limit %s", n.text)
		}
		return v, nil
	}
	v, ok := parseU32(n.text)
	if !ok {
		return 0, errorf(n.pos(), "i32 constant out of range: limit %s", n.text)
	}
	return uint64(v), nil
}

// appendLimits encodes limits with the flags byte (max, shared, 64-bit).
func appendLimits(b []byte, l wasm.Limits, shared, is64 bool) []byte {
	var flags byte
	if l.HasMax {
		flags |= 1
	}
	if shared {
		flags |= 2
	}
	if is64 {
		flags |= 4
	}
	b = append(b, flags)
	b = leb128.AppendUint64(b, l.Min)
	if l.HasMax {
		b = leb128.AppendUint64(b, l.Max)
	}
	return b
}

// indexType reads the optional i32/i64 address type of a memory or table.
func indexType(c *cursor) bool {
	if c.keyword("i64") {
		return true
	}
	c.keyword("i32")
	return false
}

// tableType reads i64? limits reftype.
func (m *module) tableType(c *cursor) (wasm.TableType, error) {
	var t wasm.TableType
	t.Is64 = indexType(c)
	l, err := m.limits(c, t.Is64 || m.wide)
	if err != nil {
		return t, err
	}
	t.Limits = l
	t.Elem, err = m.refTypeOnly(c)
	return t, err
}

// memoryType reads i64? limits shared?.
func (m *module) memoryType(c *cursor) (wasm.MemoryType, error) {
	var t wasm.MemoryType
	t.Is64 = indexType(c)
	l, err := m.limits(c, t.Is64 || m.wide)
	if err != nil {
		return t, err
	}
	t.Limits = l
	if c.keyword("shared") {
		t.Shared = true
	} else {
		c.keyword("unshared")
	}
	return t, nil
}

// globalType reads t or (mut t).
func (m *module) globalType(c *cursor) (wasm.GlobalType, error) {
	if n := c.peek(); n != nil && n.isList("mut") {
		c.next()
		cc := listCursor(n, 1)
		t, err := m.valType(cc)
		if err != nil {
			return wasm.GlobalType{}, err
		}
		return wasm.GlobalType{Type: t, Mutable: true}, cc.expectEnd()
	}
	t, err := m.valType(c)
	return wasm.GlobalType{Type: t}, err
}

func appendTableType(b []byte, t wasm.TableType) []byte {
	b = appendValType(b, t.Elem)
	return appendLimits(b, t.Limits, false, t.Is64)
}

func appendMemoryType(b []byte, t wasm.MemoryType) []byte {
	return appendLimits(b, t.Limits, t.Shared, t.Is64)
}

func appendGlobalType(b []byte, t wasm.GlobalType) []byte {
	b = appendValType(b, t.Type)
	if t.Mutable {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendName(b []byte, s string) []byte {
	b = leb128.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func appendFuncType(b []byte, ft *wasm.FuncType) []byte {
	b = append(b, 0x60)
	b = leb128.AppendUint32(b, uint32(len(ft.Params)))
	for _, p := range ft.Params {
		b = appendValType(b, p)
	}
	b = leb128.AppendUint32(b, uint32(len(ft.Results)))
	for _, r := range ft.Results {
		b = appendValType(b, r)
	}
	return b
}
