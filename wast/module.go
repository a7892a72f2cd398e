package wast

import (
	"unicode/utf8"

	"github.com/kilnrt/kiln/wasm"
)

// space is an index space of a module.
type space byte

const (
	spType space = iota
	spFunc
	spTable
	spMem
	spGlobal
	spElem
	spData
	spTag
	numSpaces
)

var spaceNames = [numSpaces]string{"type", "func", "table", "memory", "global", "elem", "data", "tag"}

// typeDef is one entry of the type index space.
type typeDef struct {
	fn wasm.FuncType
	// isFunc is false for struct and array types (3.0), which implicit
	// function types never match.
	isFunc bool
	// plain is set when the type may be matched by an implicit type use:
	// a final function type alone in its recursion group.
	plain bool
	enc   []byte // the encoded sub/composite type
	// fields maps the field identifiers of a struct type to their
	// indices, for struct instructions that name fields.
	fields map[string]uint32
}

// typeGroup is one entry of the type section: a single type or a rec group.
type typeGroup struct {
	rec   bool
	first int
	count int
}

type importEntry struct {
	module, name string
	kind         wasm.ExternKind
	typeIdx      uint32
	table        wasm.TableType
	mem          wasm.MemoryType
	global       wasm.GlobalType
}

type funcEntry struct {
	typeIdx uint32
	locals  []wasm.ValType // declared locals, params excluded
	body    []byte         // instructions including the final end
}

type tableEntry struct {
	typ  wasm.TableType
	init []byte // 3.0 table initialiser expression, nil when absent
}

type globalEntry struct {
	typ  wasm.GlobalType
	init []byte
}

type exportEntry struct {
	name string
	kind wasm.ExternKind
	idx  uint32
}

type elemEntry struct {
	mode   wasm.SegmentMode
	table  uint32
	offset []byte
	typ    wasm.ValType
	// items are the encoded item expressions; function indices are
	// stored as ref.func expressions and the encoder picks the compact
	// form when every item is one.
	items [][]byte
	// exprs is set when the items were written as expressions with typed
	// references enabled: the compact form would decode as (ref func),
	// not the funcref written, so the encoder keeps the expressions.
	exprs bool
}

type dataEntry struct {
	mode   wasm.SegmentMode
	mem    uint32
	offset []byte
	init   []byte
}

// module accumulates a text module while it is read.
type module struct {
	names  [numSpaces]map[string]uint32
	counts [numSpaces]uint32

	types  []typeDef
	groups []typeGroup

	imports []importEntry
	funcs   []*funcEntry
	tables  []*tableEntry
	mems    []wasm.MemoryType
	globals []*globalEntry
	exports []exportEntry
	start   *uint32
	elems   []*elemEntry
	datas   []*dataEntry
	tags    []uint32 // type index of each defined tag

	// memIs64 records the address type of every memory (imports first),
	// to bound memarg offsets.
	memIs64 []bool
	// usesDataCount is set when an instruction needs the data count
	// section (memory.init, data.drop).
	usesDataCount bool
	// defined records the first definition of each kind, for "import
	// after function" errors.
	defined [numSpaces]bool
	// wide is set when limits and offsets are 64-bit numbers for every
	// memory and table (memory64 text rules).
	wide bool
	// typedRefs is set when function references are enabled.
	typedRefs bool
	// maxAlign is the largest alignment a memarg can encode: 2^31
	// without multi-memory (memarg flags of 32 or more are malformed),
	// 2^63 with it (flags below 64; bit 6 says a memory index follows).
	maxAlign uint64
}

// define registers an entity in space sp with optional identifier id and
// returns its index.
func (m *module) define(sp space, id string, pos Pos) (uint32, error) {
	idx := m.counts[sp]
	m.counts[sp]++
	if id != "" {
		if m.names[sp] == nil {
			m.names[sp] = map[string]uint32{}
		}
		if _, dup := m.names[sp][id]; dup {
			return 0, errorf(pos, "duplicate %s %s", spaceNames[sp], id)
		}
		m.names[sp][id] = idx
	}
	return idx, nil
}

// index reads an index (number or identifier) in space sp.
func (m *module) index(c *cursor, sp space) (uint32, error) {
	n := c.peek()
	if n == nil || n.list || (n.kind != tokNumber && n.kind != tokID) {
		return 0, c.unexpected("a " + spaceNames[sp] + " index")
	}
	c.next()
	return m.resolve(sp, n)
}

// resolve turns an index atom into a number.
func (m *module) resolve(sp space, n *node) (uint32, error) {
	if n.kind == tokID {
		idx, ok := m.names[sp][n.text]
		if !ok {
			return 0, errorf(n.pos(), "unknown %s %s", spaceNames[sp], n.text)
		}
		return idx, nil
	}
	return parseIndexNumber(n, spaceNames[sp])
}

// parseIndexNumber reads a numeric index atom.
func parseIndexNumber(n *node, what string) (uint32, error) {
	if _, ok, _ := parseNat(n.text); !ok {
		return 0, errorf(n.pos(), "unknown operator %q: expected a %s index", n.text, what)
	}
	v, ok := parseU32(n.text)
	if !ok {
		return 0, errorf(n.pos(), "constant out of range: %s index %s", what, n.text)
	}
	return v, nil
}

// isIndex reports whether n is an index atom.
func isIndex(n *node) bool {
	return n != nil && !n.list && (n.kind == tokNumber || n.kind == tokID)
}

// encodeModule reads the module whose fields start at n.kids[from] (an
// optional $id first) and encodes it.
func (p Parser) encodeModule(n *node, from int) ([]byte, error) {
	c := listCursor(n, from)
	c.optID()
	m := &module{wide: p.Features.Has(wasm.FeatureMemory64), typedRefs: p.Features.Has(wasm.FeatureFunctionReferences), maxAlign: 1 << 31}
	if p.Features.Has(wasm.FeatureMultiMemory) {
		m.maxAlign = 1 << 63
	}
	var later []func() error
	// Pass 1: every definition and its identifier, in field order, so
	// that references may point forward.
	for !c.done() {
		f := c.next()
		if !f.list || f.head() == "" {
			if f.kind == tokReserved {
				return nil, reservedError(f)
			}
			if kids := f.kids(); len(kids) > 0 && !kids[0].list && kids[0].kind == tokReserved {
				return nil, reservedError(kids[0])
			}
			return nil, errorf(f.pos(), "unexpected token %s, expected a module field", f.describe())
		}
		pass2, err := m.declareField(f)
		if err != nil {
			return nil, err
		}
		if pass2 != nil {
			later = append(later, pass2)
		}
	}
	// Explicit type definitions come first: implicit types from type uses
	// are appended after them and may match them.
	for _, f := range n.kids()[from:] {
		if f.isList("type") || f.isList("rec") {
			if err := m.defineTypes(f); err != nil {
				return nil, err
			}
		}
	}
	// Pass 2: bodies, type uses and references, in field order.
	for _, f := range later {
		if err := f(); err != nil {
			return nil, err
		}
	}
	return m.encode(), nil
}

// declareField runs pass 1 for one field and returns its pass 2.
func (m *module) declareField(f *node) (func() error, error) {
	c := listCursor(f, 1)
	switch f.head() {
	case "type":
		_, err := m.define(spType, c.optID(), f.pos())
		return nil, err
	case "rec":
		for _, t := range f.kids()[1:] {
			if !t.isList("type") {
				return nil, errorf(t.pos(), "unexpected token %s, expected (type ...)", t.describe())
			}
			if _, err := m.define(spType, listCursor(t, 1).optID(), t.pos()); err != nil {
				return nil, err
			}
		}
		return nil, nil
	case "import":
		return m.declareImport(f)
	case "func":
		return m.declareFunc(f)
	case "table":
		return m.declareTable(f)
	case "memory":
		return m.declareMemory(f)
	case "global":
		return m.declareGlobal(f)
	case "tag":
		return m.declareTag(f)
	case "export":
		return m.exportField(f)
	case "start":
		return func() error {
			if m.start != nil {
				return errorf(f.pos(), "multiple start sections")
			}
			idx, err := m.index(c, spFunc)
			if err != nil {
				return err
			}
			m.start = &idx
			return c.expectEnd()
		}, nil
	case "elem":
		return m.declareElem(f)
	case "data":
		return m.declareData(f)
	}
	return nil, errorf(f.pos(), "unknown module field %s: expected type, import, func, table, memory, global, export, start, elem or data", f.describe())
}

// inlineExports reads (export "name")* for an entity of kind k at index
// idx; they are added to the export list in field order.
func (m *module) inlineExports(c *cursor, k wasm.ExternKind, idx uint32) error {
	for c.peekList("export") {
		n := c.next()
		cc := listCursor(n, 1)
		name, err := cc.str("an export name string")
		if err != nil {
			return err
		}
		if err := cc.expectEnd(); err != nil {
			return err
		}
		if err := m.addExport(n.pos(), name, k, idx); err != nil {
			return err
		}
	}
	return nil
}

func (m *module) addExport(pos Pos, name string, k wasm.ExternKind, idx uint32) error {
	if !utf8.ValidString(name) {
		return errorf(pos, "malformed UTF-8 encoding in export name")
	}
	m.exports = append(m.exports, exportEntry{name: name, kind: k, idx: idx})
	return nil
}

// inlineImport reads an optional (import "module" "name").
func inlineImport(c *cursor) (mod, name string, ok bool, err error) {
	if !c.peekList("import") {
		return "", "", false, nil
	}
	n := c.next()
	cc := listCursor(n, 1)
	if mod, err = cc.str("an import module name string"); err != nil {
		return
	}
	if name, err = cc.str("an import name string"); err != nil {
		return
	}
	if !utf8.ValidString(mod) || !utf8.ValidString(name) {
		return "", "", false, errorf(n.pos(), "malformed UTF-8 encoding in import name")
	}
	return mod, name, true, cc.expectEnd()
}

// checkImportOrder rejects an import after a definition of an entity.
func (m *module) checkImportOrder(pos Pos) error {
	for _, sp := range []space{spFunc, spTable, spMem, spGlobal, spTag} {
		if m.defined[sp] {
			name := spaceNames[sp]
			if sp == spFunc {
				name = "function"
			}
			return errorf(pos, "import after %s", name)
		}
	}
	return nil
}

var externSpaces = map[wasm.ExternKind]space{
	wasm.ExternFunc: spFunc, wasm.ExternTable: spTable, wasm.ExternMemory: spMem,
	wasm.ExternGlobal: spGlobal, wasm.ExternTag: spTag,
}

var externKinds = map[string]wasm.ExternKind{
	"func": wasm.ExternFunc, "table": wasm.ExternTable, "memory": wasm.ExternMemory,
	"global": wasm.ExternGlobal, "tag": wasm.ExternTag,
}

// declareImport handles (import "m" "n" (kind $id? desc)).
func (m *module) declareImport(f *node) (func() error, error) {
	c := listCursor(f, 1)
	mod, err := c.str("an import module name string")
	if err != nil {
		return nil, err
	}
	name, err := c.str("an import name string")
	if err != nil {
		return nil, err
	}
	if !utf8.ValidString(mod) || !utf8.ValidString(name) {
		return nil, errorf(f.pos(), "malformed UTF-8 encoding in import name")
	}
	desc := c.next()
	if desc == nil || !desc.list {
		return nil, c.unexpected("an import description like (func ...)")
	}
	kind, ok := externKinds[desc.head()]
	if !ok {
		return nil, errorf(desc.pos(), "unexpected token %s, expected an import description (func, table, memory, global, tag)", desc.describe())
	}
	if err := c.expectEnd(); err != nil {
		return nil, err
	}
	if err := m.checkImportOrder(f.pos()); err != nil {
		return nil, err
	}
	dc := listCursor(desc, 1)
	if _, err := m.define(externSpaces[kind], dc.optID(), desc.pos()); err != nil {
		return nil, err
	}
	imp := importEntry{module: mod, name: name, kind: kind}
	if kind == wasm.ExternMemory {
		// The address type is needed in pass 2 for memarg offsets.
		m.memIs64 = append(m.memIs64, peekIs64(dc))
	}
	i := len(m.imports)
	m.imports = append(m.imports, imp)
	return func() error {
		return m.importDesc(&m.imports[i], dc)
	}, nil
}

func peekIs64(c *cursor) bool {
	n := c.peek()
	return n != nil && !n.list && n.kind == tokKeyword && n.text == "i64"
}

// importDesc reads the description of an import after its identifier.
func (m *module) importDesc(imp *importEntry, c *cursor) error {
	var err error
	switch imp.kind {
	case wasm.ExternFunc, wasm.ExternTag:
		var tu *typeUse
		if tu, err = m.typeUse(c, true); err != nil {
			return err
		}
		imp.typeIdx, err = m.resolveTypeUse(tu)
	case wasm.ExternTable:
		imp.table, err = m.tableType(c)
	case wasm.ExternMemory:
		imp.mem, err = m.memoryType(c)
	case wasm.ExternGlobal:
		imp.global, err = m.globalType(c)
	}
	if err != nil {
		return err
	}
	return c.expectEnd()
}

// exportField handles (export "name" (kind idx)). The export takes its
// place in field order now; its index is resolved in pass 2.
func (m *module) exportField(f *node) (func() error, error) {
	c := listCursor(f, 1)
	name, err := c.str("an export name string")
	if err != nil {
		return nil, err
	}
	desc := c.next()
	if desc == nil || !desc.list {
		return nil, c.unexpected("an export description like (func 0)")
	}
	kind, ok := externKinds[desc.head()]
	if !ok {
		return nil, errorf(desc.pos(), "unexpected token %s, expected an export description (func, table, memory, global, tag)", desc.describe())
	}
	if err := c.expectEnd(); err != nil {
		return nil, err
	}
	i := len(m.exports)
	if err := m.addExport(f.pos(), name, kind, 0); err != nil {
		return nil, err
	}
	return func() error {
		dc := listCursor(desc, 1)
		idx, err := m.index(dc, externSpaces[kind])
		if err != nil {
			return err
		}
		m.exports[i].idx = idx
		return dc.expectEnd()
	}, nil
}

// fieldHead reads the start shared by the func, table, memory, global and
// tag fields: $id?, inline exports and an optional inline import. It
// returns the cursor after them and the field's index. For an inline import,
// imported completes the import's description and the field declares
// nothing more; otherwise the field counts as a definition.
func (m *module) fieldHead(f *node, sp space, kind wasm.ExternKind) (c *cursor, idx uint32, imported func() error, err error) {
	c = listCursor(f, 1)
	if idx, err = m.define(sp, c.optID(), f.pos()); err != nil {
		return nil, 0, nil, err
	}
	if err := m.inlineExports(c, kind, idx); err != nil {
		return nil, 0, nil, err
	}
	mod, name, isImport, err := inlineImport(c)
	if err != nil {
		return nil, 0, nil, err
	}
	if isImport {
		if err := m.checkImportOrder(f.pos()); err != nil {
			return nil, 0, nil, err
		}
		i := len(m.imports)
		m.imports = append(m.imports, importEntry{module: mod, name: name, kind: kind})
		return c, idx, func() error { return m.importDesc(&m.imports[i], c) }, nil
	}
	m.defined[sp] = true
	return c, idx, nil, nil
}

// declareFunc handles (func $id? (export)* (import)? typeuse local* instr*).
func (m *module) declareFunc(f *node) (func() error, error) {
	c, _, imported, err := m.fieldHead(f, spFunc, wasm.ExternFunc)
	if err != nil {
		return nil, err
	}
	if imported != nil {
		return imported, nil
	}
	fe := &funcEntry{}
	m.funcs = append(m.funcs, fe)
	return func() error { return m.funcBody(fe, c) }, nil
}

// declareTable handles the table forms, including inline elements.
func (m *module) declareTable(f *node) (func() error, error) {
	c, idx, imported, err := m.fieldHead(f, spTable, wasm.ExternTable)
	if err != nil {
		return nil, err
	}
	if imported != nil {
		return imported, nil
	}
	te := &tableEntry{}
	m.tables = append(m.tables, te)
	// Inline elements: i64? reftype (elem ...).
	save := c.i
	is64 := indexType(c)
	if isValTypeStart(c.peek()) {
		if kids := f.kids(); kids[len(kids)-1].isList("elem") {
			last := kids[len(kids)-1]
			seg := &elemEntry{mode: wasm.SegmentActive, table: idx}
			if _, err := m.define(spElem, "", last.pos()); err != nil {
				return nil, err
			}
			m.elems = append(m.elems, seg)
			return func() error {
				t, err := m.refTypeOnly(c)
				if err != nil {
					return err
				}
				if c.peek() != last {
					return c.unexpected("(elem ...)")
				}
				c.next()
				seg.typ = t
				seg.offset = zeroOffset(is64)
				n, err := m.elemList(seg, listCursor(last, 1), t, false)
				if err != nil {
					return err
				}
				te.typ = wasm.TableType{Elem: t, Is64: is64, Limits: wasm.Limits{Min: uint64(n), Max: uint64(n), HasMax: true}}
				return nil
			}, nil
		}
	}
	c.i = save
	return func() error {
		t, err := m.tableType(c)
		if err != nil {
			return err
		}
		te.typ = t
		if !c.done() {
			// A 3.0 table initialiser expression.
			if te.init, err = m.constExpr(c); err != nil {
				return err
			}
		}
		return c.expectEnd()
	}, nil
}

// zeroOffset encodes the offset 0 of an inline segment.
func zeroOffset(is64 bool) []byte {
	if is64 {
		return []byte{byte(wasm.OpI64Const), 0, byte(wasm.OpEnd)}
	}
	return []byte{byte(wasm.OpI32Const), 0, byte(wasm.OpEnd)}
}

// declareMemory handles the memory forms, including inline data.
func (m *module) declareMemory(f *node) (func() error, error) {
	c, idx, imported, err := m.fieldHead(f, spMem, wasm.ExternMemory)
	if err != nil {
		return nil, err
	}
	m.memIs64 = append(m.memIs64, peekIs64(c))
	if imported != nil {
		return imported, nil
	}
	mi := len(m.mems)
	m.mems = append(m.mems, wasm.MemoryType{})
	save := c.i
	is64 := indexType(c)
	if c.peekList("data") {
		d := c.next()
		if err := c.expectEnd(); err != nil {
			return nil, err
		}
		if _, err := m.define(spData, "", d.pos()); err != nil {
			return nil, err
		}
		dc := listCursor(d, 1)
		var data []byte
		for !dc.done() {
			s, err := dc.str("a data string")
			if err != nil {
				return nil, err
			}
			data = append(data, s...)
		}
		pages := (uint64(len(data)) + wasm.PageSize - 1) / wasm.PageSize
		m.mems[mi] = wasm.MemoryType{Is64: is64, Limits: wasm.Limits{Min: pages, Max: pages, HasMax: true}}
		m.datas = append(m.datas, &dataEntry{mode: wasm.SegmentActive, mem: idx, offset: zeroOffset(is64), init: data})
		return nil, nil
	}
	c.i = save
	return func() error {
		t, err := m.memoryType(c)
		if err != nil {
			return err
		}
		m.mems[mi] = t
		return c.expectEnd()
	}, nil
}

// declareGlobal handles (global $id? (export)* (import)? globaltype expr).
func (m *module) declareGlobal(f *node) (func() error, error) {
	c, _, imported, err := m.fieldHead(f, spGlobal, wasm.ExternGlobal)
	if err != nil {
		return nil, err
	}
	if imported != nil {
		return imported, nil
	}
	g := &globalEntry{}
	m.globals = append(m.globals, g)
	return func() error {
		t, err := m.globalType(c)
		if err != nil {
			return err
		}
		g.typ = t
		g.init, err = m.constExpr(c)
		return err
	}, nil
}

// declareTag handles (tag $id? (export)* (import)? typeuse) (3.0).
func (m *module) declareTag(f *node) (func() error, error) {
	c, _, imported, err := m.fieldHead(f, spTag, wasm.ExternTag)
	if err != nil {
		return nil, err
	}
	if imported != nil {
		return imported, nil
	}
	ti := len(m.tags)
	m.tags = append(m.tags, 0)
	return func() error {
		tu, err := m.typeUse(c, true)
		if err != nil {
			return err
		}
		if m.tags[ti], err = m.resolveTypeUse(tu); err != nil {
			return err
		}
		return c.expectEnd()
	}, nil
}
