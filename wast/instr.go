package wast

import (
	"encoding/binary"
	"math/bits"
	"strings"

	"github.com/kilnrt/kiln/internal/leb128"
	"github.com/kilnrt/kiln/wasm"
)

// opsByName maps text names to opcodes. "select" names the untyped form;
// the typed form is chosen when a (result ...) follows.
var opsByName = func() map[string]*wasm.OpInfo {
	infos := wasm.OpInfos()
	m := make(map[string]*wasm.OpInfo, len(infos))
	for i := range infos {
		if _, dup := m[infos[i].Name]; !dup {
			m[infos[i].Name] = &infos[i]
		}
	}
	return m
}()

// misplacedClauses are keywords of clauses that are not instructions; found
// in instruction position they are out of order, not unknown.
var misplacedClauses = map[string]bool{
	"end": true, "else": true, "then": true, "type": true, "param": true, "result": true,
	"local": true, "export": true, "import": true, "item": true, "offset": true,
	"catch": true, "catch_all": true, "delegate": true,
}

// funcCtx encodes the instructions of one function body or constant
// expression.
type funcCtx struct {
	m      *module
	locals map[string]uint32
	// depth counts the enclosing blocks; named lists those with a label
	// (innermost last), so unnamed blocks cost nothing here.
	depth int
	named []namedLabel
	out   []byte
	// flat holds the open flat block, loop and if instructions, read
	// without recursion so that their nesting costs a few bytes a level.
	// Their nesting has no limit but memory, as in the binary format.
	flat []flatBlock
	// nested counts the flat try and try_table instructions being read,
	// which recurse: like parentheses, they nest at most maxNesting deep.
	nested int
}

// flatBlock is an open flat block, loop or if.
type flatBlock struct {
	op     byte // wasm.OpBlock, OpLoop or OpIf
	inElse bool // an if past its else
}

// namedLabel is the label id of the block entered at depth.
type namedLabel struct {
	id    string
	depth int
}

func appendU32(b []byte, v uint32) []byte { return leb128.AppendUint32(b, v) }

func appendOp(b []byte, op wasm.Opcode) []byte {
	if p := op.Prefix(); p != 0 {
		return appendU32(append(b, p), uint32(op&0xFFFF))
	}
	return append(b, byte(op))
}

// funcBody reads the type use, locals and instructions of a function.
func (m *module) funcBody(fe *funcEntry, c *cursor) error {
	tu, err := m.typeUse(c, true)
	if err != nil {
		return err
	}
	if fe.typeIdx, err = m.resolveTypeUse(tu); err != nil {
		return err
	}
	f := &funcCtx{m: m, locals: map[string]uint32{}}
	nparams := uint32(len(tu.params))
	if !tu.inline {
		if ft, ok := m.funcTypeOf(fe.typeIdx); ok {
			nparams = uint32(len(ft.Params))
		}
	}
	for i, name := range tu.names {
		if name == "" {
			continue
		}
		if _, dup := f.locals[name]; dup {
			return errorf(tu.pos, "duplicate local %s", name)
		}
		f.locals[name] = uint32(i)
	}
	next := nparams
	for c.peekList("local") {
		n := c.next()
		lc := listCursor(n, 1)
		if id := lc.optID(); id != "" {
			t, err := m.valType(lc)
			if err != nil {
				return err
			}
			if err := lc.expectEnd(); err != nil {
				return err
			}
			if _, dup := f.locals[id]; dup {
				return errorf(n.pos(), "duplicate local %s", id)
			}
			f.locals[id] = next
			next++
			fe.locals = append(fe.locals, t)
			continue
		}
		for !lc.done() {
			t, err := m.valType(lc)
			if err != nil {
				return err
			}
			fe.locals = append(fe.locals, t)
			next++
		}
	}
	if err := f.instrs(c, false); err != nil {
		return err
	}
	fe.body = append(f.out, byte(wasm.OpEnd))
	return nil
}

// instrs encodes instructions until the end of c. In a flat block
// (block=true) it stops before the keywords end, else, catch, catch_all
// and delegate that close or continue it. Flat block, loop and if
// instructions are opened and closed here, on f.flat, not by recursion.
func (f *funcCtx) instrs(c *cursor, block bool) error {
	base := len(f.flat)
	for {
		if c.done() {
			if len(f.flat) > base {
				return c.unexpected("'end'")
			}
			return nil
		}
		n := c.peek()
		if !n.list && n.kind == tokKeyword {
			switch n.text {
			case "block", "loop", "if":
				c.next()
				if err := f.openFlat(n, c); err != nil {
					return err
				}
				continue
			case "end", "else", "catch", "catch_all", "delegate":
				if len(f.flat) > base {
					if err := f.continueFlat(c); err != nil {
						return err
					}
					continue
				}
				if block {
					return nil
				}
			}
		}
		if err := f.instr(c); err != nil {
			return err
		}
	}
}

// openFlat encodes the start of a flat block, loop or if (keyword kw).
func (f *funcCtx) openFlat(kw *node, c *cursor) error {
	op := opsByName[kw.text].Op
	label := c.optID()
	if err := f.blockType(c, op); err != nil {
		return err
	}
	f.pushLabel(label)
	f.flat = append(f.flat, flatBlock{op: byte(op)})
	return nil
}

// continueFlat reads the else or end (next in c) of the innermost open
// flat block.
func (f *funcCtx) continueFlat(c *cursor) error {
	top := &f.flat[len(f.flat)-1]
	label := f.innermostLabel()
	if top.op == byte(wasm.OpIf) && !top.inElse && c.keyword("else") {
		top.inElse = true
		f.out = append(f.out, byte(wasm.OpElse))
		return f.endLabel(c, label)
	}
	if !c.keyword("end") {
		return c.unexpected("'end'")
	}
	if err := f.endLabel(c, label); err != nil {
		return err
	}
	f.popLabel()
	f.flat = f.flat[:len(f.flat)-1]
	f.out = append(f.out, byte(wasm.OpEnd))
	return nil
}

// instr encodes the next instruction of c, plain or folded.
func (f *funcCtx) instr(c *cursor) error {
	n := c.next()
	if n.list {
		return f.folded(n)
	}
	if n.kind != tokKeyword {
		if n.kind == tokReserved {
			return reservedError(n)
		}
		return errorf(n.pos(), "unexpected token %s, expected an instruction", n.describe())
	}
	switch n.text {
	case "try_table", "try":
		if f.nested >= maxNesting {
			return errorf(n.pos(), "flat try and try_table instructions nested deeper than %d", maxNesting)
		}
		f.nested++
		defer func() { f.nested-- }()
		if n.text == "try" {
			return f.flatTry(c)
		}
		return f.tryTable(c, true)
	}
	return f.plain(n, c)
}

// tryTable encodes try_table $l? blocktype catch* instr* followed, in the
// flat form, by end $l?.
func (f *funcCtx) tryTable(c *cursor, flat bool) error {
	label := c.optID()
	if err := f.blockType(c, wasm.OpTryTable); err != nil {
		return err
	}
	// Catch labels are resolved outside the try_table.
	var clauses []byte
	count := 0
	for {
		n := c.peek()
		if n == nil || !n.list {
			break
		}
		kind, ok := map[string]wasm.CatchKind{"catch": wasm.CatchTag, "catch_ref": wasm.CatchTagRef,
			"catch_all": wasm.CatchAll, "catch_all_ref": wasm.CatchAllRef}[n.head()]
		if !ok {
			break
		}
		c.next()
		cc := listCursor(n, 1)
		clauses = append(clauses, byte(kind))
		if kind == wasm.CatchTag || kind == wasm.CatchTagRef {
			tag, err := f.m.index(cc, spTag)
			if err != nil {
				return err
			}
			clauses = appendU32(clauses, tag)
		}
		l, err := f.label(cc)
		if err != nil {
			return err
		}
		clauses = appendU32(clauses, l)
		if err := cc.expectEnd(); err != nil {
			return err
		}
		count++
	}
	f.out = append(appendU32(f.out, uint32(count)), clauses...)
	f.pushLabel(label)
	if err := f.instrs(c, flat); err != nil {
		return err
	}
	if flat {
		if !c.keyword("end") {
			return c.unexpected("'end'")
		}
		if err := f.endLabel(c, label); err != nil {
			return err
		}
	}
	f.popLabel()
	f.out = append(f.out, byte(wasm.OpEnd))
	return nil
}

// flatTry encodes the legacy try $l? blocktype instr* (catch x instr*)*
// (catch_all instr*)? end, or try ... delegate l.
func (f *funcCtx) flatTry(c *cursor) error {
	label := c.optID()
	if err := f.blockType(c, wasm.OpTry); err != nil {
		return err
	}
	f.pushLabel(label)
	if err := f.instrs(c, true); err != nil {
		return err
	}
	for {
		switch {
		case c.keyword("catch"):
			tag, err := f.m.index(c, spTag)
			if err != nil {
				return err
			}
			f.out = appendU32(append(f.out, byte(wasm.OpCatch)), tag)
		case c.keyword("catch_all"):
			if err := f.endLabel(c, label); err != nil {
				return err
			}
			f.out = append(f.out, byte(wasm.OpCatchAll))
		case c.keyword("delegate"):
			f.popLabel()
			l, err := f.label(c)
			if err != nil {
				return err
			}
			f.out = appendU32(append(f.out, byte(wasm.OpDelegate)), l)
			return nil
		default:
			if !c.keyword("end") {
				return c.unexpected("'end'")
			}
			if err := f.endLabel(c, label); err != nil {
				return err
			}
			f.popLabel()
			f.out = append(f.out, byte(wasm.OpEnd))
			return nil
		}
		if err := f.instrs(c, true); err != nil {
			return err
		}
	}
}

// foldedTry encodes (try $l? blocktype (do instr*) (catch x instr*)*
// (catch_all instr*)?) and (try $l? blocktype (do instr*) (delegate l)).
func (f *funcCtx) foldedTry(c *cursor) error {
	label := c.optID()
	if err := f.blockType(c, wasm.OpTry); err != nil {
		return err
	}
	f.pushLabel(label)
	if c.peekList("do") {
		if err := f.instrs(listCursor(c.next(), 1), false); err != nil {
			return err
		}
	}
	catches, catchAll := 0, false
	for c.peekList("catch") || c.peekList("catch_all") {
		if catchAll {
			return c.unexpected("')' after catch_all")
		}
		n := c.next()
		catches++
		catchAll = n.head() == "catch_all"
		cc := listCursor(n, 1)
		if n.head() == "catch" {
			tag, err := f.m.index(cc, spTag)
			if err != nil {
				return err
			}
			f.out = appendU32(append(f.out, byte(wasm.OpCatch)), tag)
		} else {
			f.out = append(f.out, byte(wasm.OpCatchAll))
		}
		if err := f.instrs(cc, false); err != nil {
			return err
		}
	}
	if c.peekList("delegate") {
		if catches > 0 {
			return c.unexpected("')': delegate cannot follow a catch")
		}
		dc := listCursor(c.next(), 1)
		f.popLabel()
		l, err := f.label(dc)
		if err != nil {
			return err
		}
		f.out = appendU32(append(f.out, byte(wasm.OpDelegate)), l)
		if err := dc.expectEnd(); err != nil {
			return err
		}
		return c.expectEnd()
	}
	f.popLabel()
	f.out = append(f.out, byte(wasm.OpEnd))
	return c.expectEnd()
}

// pushLabel enters a block with optional label id.
func (f *funcCtx) pushLabel(id string) {
	if id != "" {
		f.named = append(f.named, namedLabel{id: id, depth: f.depth})
	}
	f.depth++
}

// popLabel leaves the innermost block.
func (f *funcCtx) popLabel() {
	f.depth--
	if k := len(f.named) - 1; k >= 0 && f.named[k].depth == f.depth {
		f.named = f.named[:k]
	}
}

// innermostLabel returns the innermost block's label id, or "".
func (f *funcCtx) innermostLabel() string {
	if k := len(f.named) - 1; k >= 0 && f.named[k].depth == f.depth-1 {
		return f.named[k].id
	}
	return ""
}

// endLabel checks the optional identifier after end or else.
func (f *funcCtx) endLabel(c *cursor, label string) error {
	if n, ok := c.atom(tokID); ok {
		if n.text != label {
			return errorf(n.pos(), "mismatching label %s, expected %q", n.text, label)
		}
	}
	return nil
}

// blockType encodes the block type after block, loop or if.
func (f *funcCtx) blockType(c *cursor, op wasm.Opcode) error {
	if !c.peekList("type") && !c.peekList("param") && !c.peekList("result") {
		// The common empty block type, without building a typeUse.
		f.out = append(appendOp(f.out, op), 0x40)
		return nil
	}
	tu, err := f.m.typeUse(c, false)
	if err != nil {
		return err
	}
	f.out = appendOp(f.out, op)
	var params, results []wasm.ValType
	var idx uint32
	if tu.idx != nil {
		if idx, err = f.m.resolveTypeUse(tu); err != nil {
			return err
		}
		if ft, ok := f.m.funcTypeOf(idx); ok {
			params, results = ft.Params, ft.Results
		} else {
			f.out = leb128.AppendInt64(f.out, int64(idx))
			return nil
		}
	} else {
		params, results = tu.params, tu.results
	}
	// Like wabt, a block whose signature needs no type index is encoded
	// in the short form even when written with (type x).
	if len(params) == 0 && len(results) <= 1 {
		if len(results) == 0 {
			f.out = append(f.out, 0x40)
		} else {
			f.out = appendValType(f.out, results[0])
		}
		return nil
	}
	if tu.idx == nil {
		idx = f.m.implicitType(wasm.FuncType{Params: params, Results: results})
	}
	f.out = leb128.AppendInt64(f.out, int64(idx))
	return nil
}

// folded encodes a parenthesised instruction.
func (f *funcCtx) folded(n *node) error {
	c := listCursor(n, 1)
	head := n.head()
	if head == "" {
		if kids := n.kids(); len(kids) > 0 && !kids[0].list && kids[0].kind == tokReserved {
			return reservedError(kids[0])
		}
		return errorf(n.pos(), "unexpected token %s, expected an instruction", n.describe())
	}
	switch head {
	case "try_table":
		return f.tryTable(c, false)
	case "try":
		return f.foldedTry(c)
	case "block", "loop":
		op := opsByName[head].Op
		label := c.optID()
		if err := f.blockType(c, op); err != nil {
			return err
		}
		f.pushLabel(label)
		if err := f.instrs(c, false); err != nil {
			return err
		}
		f.popLabel()
		f.out = append(f.out, byte(wasm.OpEnd))
		return nil
	case "if":
		label := c.optID()
		// The condition operands come first, so the block type is
		// encoded into a separate buffer.
		saved := f.out
		f.out = nil
		if err := f.blockType(c, wasm.OpIf); err != nil {
			return err
		}
		header := f.out
		f.out = saved
		for !c.done() && !c.peekList("then") {
			x := c.next()
			if !x.list {
				c.i--
				return c.unexpected("(then ...)")
			}
			if err := f.folded(x); err != nil {
				return err
			}
		}
		if !c.peekList("then") {
			return c.unexpected("(then ...)")
		}
		f.out = append(f.out, header...)
		f.pushLabel(label)
		if err := f.instrs(listCursor(c.next(), 1), false); err != nil {
			return err
		}
		if c.peekList("else") {
			f.out = append(f.out, byte(wasm.OpElse))
			if err := f.instrs(listCursor(c.next(), 1), false); err != nil {
				return err
			}
		}
		f.popLabel()
		f.out = append(f.out, byte(wasm.OpEnd))
		return c.expectEnd()
	}
	// (op immediates operands*): the operands are encoded before the
	// instruction itself.
	saved := f.out
	f.out = nil
	if err := f.plain(n.kids()[0], c); err != nil {
		return err
	}
	op := f.out
	f.out = saved
	for !c.done() {
		x := c.next()
		if !x.list {
			if x.kind == tokReserved {
				return reservedError(x)
			}
			return errorf(x.pos(), "unexpected token %s, expected a folded instruction or ')'", x.describe())
		}
		if err := f.folded(x); err != nil {
			return err
		}
	}
	f.out = append(f.out, op...)
	return nil
}

// indexImmSpaces maps the immediates that are one required index to the
// index space the index names.
var indexImmSpaces = map[wasm.ImmKind]space{
	wasm.ImmFunc:   spFunc,
	wasm.ImmGlobal: spGlobal,
	wasm.ImmElem:   spElem,
	wasm.ImmData:   spData,
	wasm.ImmType:   spType,
	wasm.ImmTag:    spTag,
}

// plain encodes a non-block instruction whose keyword is kw and whose
// immediates follow in c.
func (f *funcCtx) plain(kw *node, c *cursor) error {
	name := kw.text
	info, ok := opsByName[name]
	if !ok {
		if misplacedClauses[name] {
			return errorf(kw.pos(), "unexpected token %s: not an instruction here", name)
		}
		return errorf(kw.pos(), "unknown operator %s", name)
	}
	switch info.Op {
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf, wasm.OpEnd, wasm.OpElse:
		// Structure keywords: only valid where a block expects them.
		return errorf(kw.pos(), "unexpected token %s", name)
	case wasm.OpSelect:
		return f.selectInstr(c)
	case wasm.OpRefTest, wasm.OpRefCast:
		return f.refCast(info.Op, c)
	case wasm.OpTryTable, wasm.OpTry, wasm.OpCatch, wasm.OpCatchAll, wasm.OpDelegate:
		return errorf(kw.pos(), "unexpected token %s", name)
	}
	m := f.m
	switch info.Imm {
	case wasm.ImmNone:
		f.out = appendOp(f.out, info.Op)
	case wasm.ImmLabel:
		l, err := f.label(c)
		if err != nil {
			return err
		}
		f.out = appendU32(appendOp(f.out, info.Op), l)
	case wasm.ImmBrTable:
		var ls []uint32
		for isIndex(c.peek()) {
			l, err := f.label(c)
			if err != nil {
				return err
			}
			ls = append(ls, l)
		}
		if len(ls) == 0 {
			return c.unexpected("a label")
		}
		f.out = appendU32(appendOp(f.out, info.Op), uint32(len(ls)-1))
		for _, l := range ls {
			f.out = appendU32(f.out, l)
		}
	case wasm.ImmFunc, wasm.ImmGlobal, wasm.ImmElem, wasm.ImmData, wasm.ImmType, wasm.ImmTag:
		idx, err := m.index(c, indexImmSpaces[info.Imm])
		if err != nil {
			return err
		}
		if info.Imm == wasm.ImmData {
			m.usesDataCount = true
		}
		f.out = appendU32(appendOp(f.out, info.Op), idx)
	case wasm.ImmLocal:
		idx, err := f.local(c)
		if err != nil {
			return err
		}
		f.out = appendU32(appendOp(f.out, info.Op), idx)
	case wasm.ImmTable, wasm.ImmMemory:
		sp := spTable
		if info.Imm == wasm.ImmMemory {
			sp = spMem
		}
		idx, err := f.optIndex(c, sp)
		if err != nil {
			return err
		}
		f.out = appendU32(appendOp(f.out, info.Op), idx)
	case wasm.ImmCallIndirect:
		table, err := f.optIndex(c, spTable)
		if err != nil {
			return err
		}
		tu, err := m.typeUse(c, false)
		if err != nil {
			return err
		}
		ti, err := m.resolveTypeUse(tu)
		if err != nil {
			return err
		}
		f.out = appendU32(appendU32(appendOp(f.out, info.Op), ti), table)
	case wasm.ImmMemArg, wasm.ImmMemArgLane:
		var mem uint32
		if n := c.peek(); isIndex(n) && (info.Imm == wasm.ImmMemArg || n.kind == tokID || isIndex(c.peekAt(1)) || isMemArgKeyword(c.peekAt(1))) {
			// In "v128.load8_lane 1 x" a single number is the lane.
			var err error
			if mem, err = f.m.index(c, spMem); err != nil {
				return err
			}
		}
		b, err := f.memArg(c, info, mem)
		if err != nil {
			return err
		}
		f.out = append(appendOp(f.out, info.Op), b...)
		if info.Imm == wasm.ImmMemArgLane {
			lane, err := laneIndex(c)
			if err != nil {
				return err
			}
			f.out = append(f.out, lane)
		}
	case wasm.ImmI32, wasm.ImmI64, wasm.ImmF32, wasm.ImmF64:
		t := map[wasm.ImmKind]wasm.ValType{wasm.ImmI32: wasm.I32, wasm.ImmI64: wasm.I64, wasm.ImmF32: wasm.F32, wasm.ImmF64: wasm.F64}[info.Imm]
		lit := c.next()
		if lit == nil {
			return errorf(c.end, "unexpected token ')', expected a %s literal", t)
		}
		v, err := parseScalar(lit, t)
		if err != nil {
			return err
		}
		f.out = appendOp(f.out, info.Op)
		switch t {
		case wasm.I32:
			f.out = leb128.AppendInt64(f.out, int64(int32(uint32(v))))
		case wasm.I64:
			f.out = leb128.AppendInt64(f.out, int64(v))
		case wasm.F32:
			f.out = binary.LittleEndian.AppendUint32(f.out, uint32(v))
		case wasm.F64:
			f.out = binary.LittleEndian.AppendUint64(f.out, v)
		}
	case wasm.ImmV128:
		v, err := parseV128(c)
		if err != nil {
			return err
		}
		f.out = append(appendOp(f.out, info.Op), v[:]...)
	case wasm.ImmShuffle:
		f.out = appendOp(f.out, info.Op)
		for i := 0; i < 16; i++ {
			n := c.peek()
			if n == nil || n.list || (n.kind != tokNumber && n.kind != tokKeyword) {
				return errorf(c.pos(), "invalid lane length: i8x16.shuffle needs 16 lane indices")
			}
			c.next()
			v, ok, over := parseNat(n.text)
			if !ok || over || v > 255 {
				return errorf(n.pos(), "malformed lane index %s: i8 constant out of range", n.text)
			}
			f.out = append(f.out, byte(v))
		}
		if n := c.peek(); n != nil && !n.list && n.kind == tokNumber {
			return errorf(n.pos(), "invalid lane length: i8x16.shuffle takes 16 lane indices")
		}
	case wasm.ImmLane:
		lane, err := laneIndex(c)
		if err != nil {
			return err
		}
		f.out = append(appendOp(f.out, info.Op), lane)
	case wasm.ImmHeapType:
		h, err := m.heapType(c)
		if err != nil {
			return err
		}
		f.out = appendHeapType(appendOp(f.out, info.Op), h)
	case wasm.ImmMemoryInit, wasm.ImmTableInit:
		// memory.init mem? data / table.init table? elem
		sp, sp2 := spMem, spData
		if info.Imm == wasm.ImmTableInit {
			sp, sp2 = spTable, spElem
		} else {
			m.usesDataCount = true
		}
		var first uint32
		if isIndex(c.peek()) && isIndex(c.peekAt(1)) {
			var err error
			if first, err = m.index(c, sp); err != nil {
				return err
			}
		}
		seg, err := m.index(c, sp2)
		if err != nil {
			return err
		}
		f.out = appendU32(appendU32(appendOp(f.out, info.Op), seg), first)
	case wasm.ImmMemoryCopy, wasm.ImmTableCopy:
		sp := spMem
		if info.Imm == wasm.ImmTableCopy {
			sp = spTable
		}
		var dst, src uint32
		if isIndex(c.peek()) {
			var err error
			if dst, err = m.index(c, sp); err != nil {
				return err
			}
			if src, err = m.index(c, sp); err != nil {
				return err
			}
		}
		f.out = appendU32(appendU32(appendOp(f.out, info.Op), dst), src)
	case wasm.ImmField:
		ti, err := m.index(c, spType)
		if err != nil {
			return err
		}
		fi, err := m.fieldIndex(c, ti)
		if err != nil {
			return err
		}
		f.out = appendU32(appendU32(appendOp(f.out, info.Op), ti), fi)
	case wasm.ImmArrayFixed, wasm.ImmTypeData, wasm.ImmTypeElem, wasm.ImmTypeType:
		ti, err := m.index(c, spType)
		if err != nil {
			return err
		}
		var second uint32
		switch info.Imm {
		case wasm.ImmArrayFixed:
			n := c.peek()
			if n == nil || n.list || n.kind != tokNumber {
				return c.unexpected("an element count")
			}
			c.next()
			second, err = parseIndexNumber(n, "count")
		case wasm.ImmTypeData:
			second, err = m.index(c, spData)
			m.usesDataCount = true
		case wasm.ImmTypeElem:
			second, err = m.index(c, spElem)
		case wasm.ImmTypeType:
			second, err = m.index(c, spType)
		}
		if err != nil {
			return err
		}
		f.out = appendU32(appendU32(appendOp(f.out, info.Op), ti), second)
	case wasm.ImmBrOnCast:
		l, err := f.label(c)
		if err != nil {
			return err
		}
		from, err := m.refTypeOnly(c)
		if err != nil {
			return err
		}
		to, err := m.refTypeOnly(c)
		if err != nil {
			return err
		}
		var flags byte
		if from.Nullable() {
			flags |= 1
		}
		if to.Nullable() {
			flags |= 2
		}
		f.out = appendU32(append(appendOp(f.out, info.Op), flags), l)
		f.out = appendHeapType(appendHeapType(f.out, from.Heap()), to.Heap())
	case wasm.ImmZeroByte:
		f.out = append(appendOp(f.out, info.Op), 0)
	default:
		return errorf(kw.pos(), "instruction %s is not supported by the text parser", name)
	}
	return nil
}

// refCast encodes ref.test and ref.cast, whose text form names a reference
// type; its nullability selects the opcode.
func (f *funcCtx) refCast(op wasm.Opcode, c *cursor) error {
	t, err := f.m.refTypeOnly(c)
	if err != nil {
		return err
	}
	if t.Nullable() {
		if op == wasm.OpRefTest {
			op = wasm.OpRefTestNull
		} else {
			op = wasm.OpRefCastNull
		}
	}
	f.out = appendHeapType(appendOp(f.out, op), t.Heap())
	return nil
}

// fieldIndex reads a field index or identifier of struct type ti.
func (m *module) fieldIndex(c *cursor, ti uint32) (uint32, error) {
	n := c.peek()
	if !isIndex(n) {
		return 0, c.unexpected("a field index")
	}
	c.next()
	if n.kind == tokID {
		if uint64(ti) < uint64(len(m.types)) {
			if idx, ok := m.types[ti].fields[n.text]; ok {
				return idx, nil
			}
		}
		return 0, errorf(n.pos(), "unknown field %s", n.text)
	}
	return parseIndexNumber(n, "field")
}

// selectInstr encodes select with optional (result t*)* clauses.
func (f *funcCtx) selectInstr(c *cursor) error {
	if !c.peekList("result") {
		f.out = append(f.out, byte(wasm.OpSelect))
		return nil
	}
	var ts []wasm.ValType
	for c.peekList("result") {
		rc := listCursor(c.next(), 1)
		for !rc.done() {
			t, err := f.m.valType(rc)
			if err != nil {
				return err
			}
			ts = append(ts, t)
		}
	}
	f.out = appendU32(append(f.out, byte(wasm.OpSelectT)), uint32(len(ts)))
	for _, t := range ts {
		f.out = appendValType(f.out, t)
	}
	return nil
}

// optIndex reads an optional index, 0 when absent.
func (f *funcCtx) optIndex(c *cursor, sp space) (uint32, error) {
	if !isIndex(c.peek()) {
		return 0, nil
	}
	return f.m.index(c, sp)
}

// label reads a label index or identifier.
func (f *funcCtx) label(c *cursor) (uint32, error) {
	n := c.peek()
	if !isIndex(n) {
		return 0, c.unexpected("a label")
	}
	c.next()
	if n.kind == tokID {
		for i := len(f.named) - 1; i >= 0; i-- {
			if f.named[i].id == n.text {
				return uint32(f.depth - 1 - f.named[i].depth), nil
			}
		}
		return 0, errorf(n.pos(), "unknown label %s", n.text)
	}
	return parseIndexNumber(n, "label")
}

// local reads a local index or identifier.
func (f *funcCtx) local(c *cursor) (uint32, error) {
	n := c.peek()
	if !isIndex(n) {
		return 0, c.unexpected("a local index")
	}
	c.next()
	if n.kind == tokID {
		idx, ok := f.locals[n.text]
		if !ok {
			return 0, errorf(n.pos(), "unknown local %s", n.text)
		}
		return idx, nil
	}
	return parseIndexNumber(n, "local")
}

// laneIndex reads a lane index (one byte).
func laneIndex(c *cursor) (byte, error) {
	n := c.peek()
	if n == nil || n.list || n.kind != tokNumber {
		return 0, c.unexpected("a lane index")
	}
	c.next()
	v, ok, over := parseNat(n.text)
	switch {
	case !ok:
		return 0, errorf(n.pos(), "unexpected token %s: malformed lane index, expected an unsigned i8 constant", n.text)
	case over || v > 255:
		return 0, errorf(n.pos(), "malformed lane index %s: i8 constant out of range", n.text)
	}
	return byte(v), nil
}

// memArg reads offset=N? align=N? and encodes the memarg with memory mem.
func (f *funcCtx) memArg(c *cursor, info *wasm.OpInfo, mem uint32) ([]byte, error) {
	is64 := f.m.wide || (uint64(mem) < uint64(len(f.m.memIs64)) && f.m.memIs64[mem])
	var offset uint64
	align := uint32(bits.TrailingZeros(uint(info.Size)))
	if n := c.peek(); n != nil && !n.list && n.kind == tokKeyword && strings.HasPrefix(n.text, "offset=") {
		c.next()
		text := n.text[len("offset="):]
		v, ok, over := parseNat(text)
		switch {
		case !ok:
			return nil, errorf(n.pos(), "unknown operator %s: the offset is not an unsigned number", n.text)
		case over:
			return nil, errorf(n.pos(), "i64 constant out of range: offset %s", text)
		case !is64 && v > 1<<32-1:
			return nil, errorf(n.pos(), "i32 constant out of range: offset %s", text)
		}
		offset = v
	}
	if n := c.peek(); n != nil && !n.list && n.kind == tokKeyword && strings.HasPrefix(n.text, "align=") {
		c.next()
		text := n.text[len("align="):]
		v, ok, over := parseNat(text)
		switch {
		case !ok:
			return nil, errorf(n.pos(), "unknown operator %s: the alignment is not an unsigned number", n.text)
		case over || v == 0 || v&(v-1) != 0:
			return nil, errorf(n.pos(), "alignment must be a power of two: align=%s", text)
		case v > f.m.maxAlign:
			return nil, errorf(n.pos(), "alignment %s too large: at most 2^%d can be encoded without multi-memory (larger exponents are malformed memop flags)",
				text, bits.TrailingZeros64(f.m.maxAlign))
		}
		align = uint32(bits.TrailingZeros64(v))
	}
	var b []byte
	if mem != 0 {
		b = appendU32(b, align|0x40)
		b = appendU32(b, mem)
	} else {
		b = appendU32(b, align)
	}
	return leb128.AppendUint64(b, offset), nil
}

// isMemArgKeyword reports whether n is offset=... or align=....
func isMemArgKeyword(n *node) bool {
	return n != nil && !n.list && n.kind == tokKeyword &&
		(strings.HasPrefix(n.text, "offset=") || strings.HasPrefix(n.text, "align="))
}
