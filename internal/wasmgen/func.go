package wasmgen

import (
	"github.com/kilnrt/kiln/wasm"
)

// frame is one enclosing label: the function body, a block, loop or if.
type frame struct {
	labels []wasm.ValType // types a branch to this label carries
}

// fgen generates one function body as a tree of typed expressions and
// statements, so that every piece it emits is valid by construction.
type fgen struct {
	m        *modgen
	src      *source
	e        encoder
	locals   []wasm.ValType // parameters, then declared locals
	nParams  int
	reserved []bool // loop counters: never written by random code
	hidden   []bool // NaN canonicalization scratch: never read or written by random code
	temps    map[wasm.ValType]int
	nanTemps map[wasm.ValType]int
	results  []wasm.ValType
	ctrl     []frame
	self     int // index of the function being generated
	size     int
	depth    int
}

func (m *modgen) genFunc(i int) (locals []wasm.ValType, body []byte) {
	ft := m.funcTypes[i]
	f := &fgen{m: m, src: m.src, self: i, results: ft.results, temps: map[wasm.ValType]int{}, nanTemps: map[wasm.ValType]int{}}
	f.e.padEvery = 0
	if m.src.chance(1, 8) {
		f.e.padEvery = 1 + m.src.intn(4)
	}
	for _, t := range ft.params {
		f.locals = append(f.locals, t)
		f.reserved = append(f.reserved, false)
		f.hidden = append(f.hidden, false)
	}
	f.nParams = len(ft.params)
	for n := m.src.intn(4); n > 0; n-- {
		f.newLocal(m.randType())
	}
	if m.src.chance(1, 10) {
		// A large frame, so that the engine's value stack grows in the
		// middle of a call.
		for runs := 1 + m.src.intn(3); runs > 0; runs-- {
			t := m.randType()
			for n := m.src.intn(700); n > 0; n-- {
				f.newLocal(t)
			}
		}
	}
	f.ctrl = []frame{{labels: ft.results}}
	f.budgetCheck()
	f.stmts(2 + m.src.intn(5))
	for _, t := range ft.results {
		f.expr(t)
	}
	f.e.op(wasm.OpEnd)
	return f.locals[f.nParams:], f.e.b
}

func (f *fgen) newLocal(t wasm.ValType) uint32 {
	f.locals = append(f.locals, t)
	f.reserved = append(f.reserved, false)
	f.hidden = append(f.hidden, false)
	return uint32(len(f.locals) - 1)
}

// nanTemp returns the scratch local of NaN canonicalization, which holds
// non-canonical NaNs and so is hidden from random code.
func (f *fgen) nanTemp(t wasm.ValType) uint32 {
	if i, ok := f.nanTemps[t]; ok {
		return uint32(i)
	}
	i := f.newLocal(t)
	f.hidden[i] = true
	f.nanTemps[t] = int(i)
	return i
}

// temp returns a scratch local of type t, used only between an immediately
// adjacent local.set/local.tee and local.get.
func (f *fgen) temp(t wasm.ValType) uint32 {
	if i, ok := f.temps[t]; ok {
		return uint32(i)
	}
	i := f.newLocal(t)
	f.temps[t] = int(i)
	return i
}

// pickLocal returns a random local of type t (writable ones only when
// write is set).
func (f *fgen) pickLocal(t wasm.ValType, write bool) (uint32, bool) {
	var cands []uint32
	for i, lt := range f.locals {
		if lt == t && !f.hidden[i] && !(write && f.reserved[i]) {
			cands = append(cands, uint32(i))
		}
	}
	if len(cands) == 0 {
		return 0, false
	}
	return cands[f.src.intn(len(cands))], true
}

// pickGlobal returns a random global of type t other than the budget.
func (f *fgen) pickGlobal(t wasm.ValType, write bool) (uint32, bool) {
	var cands []uint32
	for i, g := range f.m.globals {
		if i > 0 && g.t == t && (!write || g.mutable) {
			cands = append(cands, uint32(i))
		}
	}
	if len(cands) == 0 {
		return 0, false
	}
	return cands[f.src.intn(len(cands))], true
}

// budgetCheck returns zero values from the function when the budget
// global is spent and decrements it otherwise (at function entries and
// loop headers). Once the budget is spent every function returns at once,
// so a call ends after a bounded amount of work without trapping.
func (f *fgen) budgetCheck() {
	e := &f.e
	e.op(wasm.OpGlobalGet)
	e.u32(0)
	e.op(wasm.OpI32Eqz)
	e.op(wasm.OpIf)
	e.byte(0x40)
	for _, t := range f.results {
		e.b = append(e.b, zeroConst(t)...)
	}
	e.op(wasm.OpReturn)
	e.op(wasm.OpEnd)
	e.op(wasm.OpGlobalGet)
	e.u32(0)
	e.op(wasm.OpI32Const)
	e.s32(1)
	e.op(wasm.OpI32Sub)
	e.op(wasm.OpGlobalSet)
	e.u32(0)
}

// zeroConst encodes the zero value of t as a constant instruction.
func zeroConst(t wasm.ValType) []byte {
	if t == wasm.V128 {
		var e encoder
		e.op(wasm.OpV128Const)
		e.f64bits(0)
		e.f64bits(0)
		return e.b
	}
	return constExpr(t, 0)
}

func (f *fgen) limited() bool {
	return f.depth >= f.m.cfg.MaxDepth || f.size >= f.m.cfg.MaxInstrs || f.src.exhausted()
}

// stmts emits up to n statements (net stack effect zero).
func (f *fgen) stmts(n int) {
	for i := 0; i < n && f.size < f.m.cfg.MaxInstrs && !f.src.exhausted(); i++ {
		f.stmt()
	}
}

func typesEqual(a, b []wasm.ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// labelsWith returns the relative depths of the labels whose types are ts.
func (f *fgen) labelsWith(ts []wasm.ValType) []uint32 {
	var out []uint32
	for i := range f.ctrl {
		if typesEqual(f.ctrl[i].labels, ts) {
			out = append(out, uint32(len(f.ctrl)-1-i))
		}
	}
	return out
}

func (f *fgen) label(depth uint32) []wasm.ValType { return f.ctrl[len(f.ctrl)-1-int(depth)].labels }

func (f *fgen) drop(n int) {
	for ; n > 0; n-- {
		f.e.op(wasm.OpDrop)
	}
}

// stmt emits one statement.
func (f *fgen) stmt() {
	f.size++
	f.depth++
	defer func() { f.depth-- }()
	s, e := f.src, &f.e
	switch s.intn(20) {
	case 0, 1, 2: // local.set
		t := f.m.randType()
		if l, ok := f.pickLocal(t, true); ok {
			f.expr(t)
			e.op(wasm.OpLocalSet)
			e.u32(l)
			return
		}
		f.expr(t)
		e.op(wasm.OpDrop)
	case 3: // global.set
		t := f.m.randType()
		if g, ok := f.pickGlobal(t, true); ok {
			f.expr(t)
			e.op(wasm.OpGlobalSet)
			e.u32(g)
			return
		}
		f.expr(t)
		e.op(wasm.OpDrop)
	case 4: // store with a pending local-based address
		f.hazardStore()
	case 5, 6: // store
		info := f.pickStore()
		f.addr()
		f.expr(info.In[1])
		e.op(info.Op)
		f.memarg(info.Size)
	case 7: // drop
		f.expr(f.m.randType())
		e.op(wasm.OpDrop)
	case 8, 9: // call
		if len(f.m.imports) > 0 && s.chance(1, 4) {
			f.callImport(nil)
			return
		}
		callee := f.callee()
		ft := f.m.funcTypes[callee]
		for _, t := range ft.params {
			f.expr(t)
		}
		e.op(wasm.OpCall)
		e.u32(f.m.funcIndex(callee))
		f.drop(len(ft.results))
	case 10, 11, 12: // block, loop or if
		if f.limited() {
			return
		}
		params, results := f.blockType()
		f.block(s.intn(3), params, results)
		f.drop(len(results))
	case 13: // conditional branch
		d := uint32(s.intn(len(f.ctrl)))
		ls := f.label(d)
		for _, t := range ls {
			f.expr(t)
		}
		f.expr(wasm.I32)
		e.op(wasm.OpBrIf)
		e.u32(d)
		f.drop(len(ls))
	case 14: // bulk memory
		f.bulkMemory()
	case 15: // tables
		if f.m.cfg.NoRefTypes {
			f.callIndirect(nil)
			return
		}
		f.tableStmt()
	case 16: // SIMD lane store
		if f.m.cfg.NoSIMD {
			return
		}
		info := ops.laneStores[s.intn(len(ops.laneStores))]
		f.addr()
		f.expr(wasm.V128)
		e.op(info.Op)
		f.memarg(info.Size)
		e.byte(byte(s.intn(laneCount(info))))
	case 17: // call_indirect
		f.callIndirect(nil)
	case 18: // unconditional branch or return, rarely
		if s.chance(1, 4) {
			f.branch()
		}
	default:
		e.op(wasm.OpNop)
	}
}

// callee picks a function to call: mostly one defined later, so that
// recursion (bounded by the budget) stays the exception.
func (f *fgen) callee() int {
	if f.self+1 < f.m.nGen && !f.src.chance(1, 10) {
		return f.self + 1 + f.src.intn(f.m.nGen-f.self-1)
	}
	return f.src.intn(f.m.nGen)
}

// branch emits br, br_table or return (leaves the stack polymorphic).
func (f *fgen) branch() {
	s, e := f.src, &f.e
	d := uint32(s.intn(len(f.ctrl)))
	ls := f.label(d)
	switch s.intn(3) {
	case 0:
		for _, t := range ls {
			f.expr(t)
		}
		e.op(wasm.OpBr)
		e.u32(d)
	case 1:
		cands := f.labelsWith(ls)
		for _, t := range ls {
			f.expr(t)
		}
		n := s.intn(5)
		if s.chance(1, 16) {
			n = s.intn(400)
		}
		f.smallIndex(n + 1)
		e.op(wasm.OpBrTable)
		e.u32(uint32(n))
		for i := 0; i < n; i++ {
			e.u32(cands[s.intn(len(cands))])
		}
		e.u32(d)
	default:
		for _, t := range f.results {
			f.expr(t)
		}
		e.op(wasm.OpReturn)
	}
}

// smallIndex pushes an i32 that is mostly a small non-negative number
// below n, rarely up to n+2 or anything.
func (f *fgen) smallIndex(n int) {
	if f.src.chance(1, 64) {
		f.expr(wasm.I32)
		return
	}
	if f.src.chance(1, 16) {
		n += 2
	}
	f.e.op(wasm.OpI32Const)
	f.e.s32(int32(f.src.intn(n)))
}

// tableIndex pushes an index into table 0.
func (f *fgen) tableIndex() { f.smallIndex(int(f.m.tableSize)) }

// blockType picks the parameters and results of a block.
func (f *fgen) blockType() (params, results []wasm.ValType) {
	switch f.src.intn(4) {
	case 0:
		return nil, nil
	case 1, 2:
		return nil, []wasm.ValType{f.m.randType()}
	default:
		return f.m.randTypes(2), f.m.randTypes(3)
	}
}

func (f *fgen) blockTypeImm(params, results []wasm.ValType) {
	switch {
	case len(params) == 0 && len(results) == 0 && f.src.chance(3, 4):
		f.e.byte(0x40)
	case len(params) == 0 && len(results) == 1 && f.src.chance(3, 4):
		f.e.valType(results[0])
	default:
		f.e.s64(int64(f.m.typeOf(funcType{params: params, results: results})))
	}
}

// block emits a block (kind 0), loop (1) or if (2) with its operands,
// leaving its results on the stack.
func (f *fgen) block(kind int, params, results []wasm.ValType) {
	s, e := f.src, &f.e
	var counter uint32
	backEdge := kind == 1 && s.chance(2, 3)
	if backEdge {
		counter = f.newLocal(wasm.I32)
		f.reserved[counter] = true
		e.op(wasm.OpI32Const)
		e.s32(int32(s.intn(6)))
		e.op(wasm.OpLocalSet)
		e.u32(counter)
	}
	for _, t := range params {
		f.expr(t)
	}
	labels := results
	switch kind {
	case 0:
		e.op(wasm.OpBlock)
	case 1:
		e.op(wasm.OpLoop)
		labels = params
	default:
		f.expr(wasm.I32)
		e.op(wasm.OpIf)
	}
	f.blockTypeImm(params, results)
	f.ctrl = append(f.ctrl, frame{labels: labels})
	f.blockBody(params, results, kind == 1, backEdge, counter)
	if kind == 2 && (len(params) > 0 || len(results) > 0 || s.chance(1, 2)) {
		e.op(wasm.OpElse)
		f.blockBody(params, results, false, false, 0)
	}
	f.ctrl = f.ctrl[:len(f.ctrl)-1]
	e.op(wasm.OpEnd)
}

func (f *fgen) blockBody(params, results []wasm.ValType, loop, backEdge bool, counter uint32) {
	s, e := f.src, &f.e
	for i := len(params) - 1; i >= 0; i-- {
		if l, ok := f.pickLocal(params[i], true); ok && s.chance(2, 3) {
			e.op(wasm.OpLocalSet)
			e.u32(l)
		} else {
			e.op(wasm.OpDrop)
		}
	}
	if loop {
		f.budgetCheck()
	}
	f.stmts(s.intn(4))
	if backEdge {
		for _, t := range params {
			f.expr(t)
		}
		e.op(wasm.OpLocalGet)
		e.u32(counter)
		e.op(wasm.OpI32Const)
		e.s32(1)
		e.op(wasm.OpI32Sub)
		e.op(wasm.OpLocalTee)
		e.u32(counter)
		e.op(wasm.OpBrIf)
		e.u32(0)
		f.drop(len(params))
		f.stmts(s.intn(2))
	}
	for _, t := range results {
		f.expr(t)
	}
}

// extract leaves only result idx of the values ts on the stack.
func (f *fgen) extract(ts []wasm.ValType, idx int) {
	e := &f.e
	for j := len(ts) - 1; j >= 0; j-- {
		if j == idx {
			e.op(wasm.OpLocalSet)
			e.u32(f.temp(ts[j]))
		} else {
			e.op(wasm.OpDrop)
		}
	}
	e.op(wasm.OpLocalGet)
	e.u32(f.temp(ts[idx]))
}

// indexOf returns the position of a random t in ts, or -1.
func (f *fgen) indexOf(ts []wasm.ValType, t wasm.ValType) int {
	var cands []int
	for i, u := range ts {
		if u == t {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return -1
	}
	return cands[f.src.intn(len(cands))]
}

// callIndirect emits a call_indirect through table 0; when want is not nil
// it leaves one value of type *want, otherwise nothing.
func (f *fgen) callIndirect(want *wasm.ValType) bool {
	s, e := f.src, &f.e
	// Mostly call through a slot the active segment filled, with its
	// function's type.
	callee, slot := s.intn(f.m.nGen), -1
	if len(f.m.activeEl) > 0 && !s.chance(1, 8) {
		slot = s.intn(len(f.m.activeEl))
		callee = int(f.m.activeEl[slot])
	}
	ft := f.m.funcTypes[callee]
	idx := -1
	if want != nil {
		if idx = f.indexOf(ft.results, *want); idx < 0 {
			return false
		}
	}
	for _, t := range ft.params {
		f.expr(t)
	}
	if slot >= 0 && s.chance(7, 8) {
		e.op(wasm.OpI32Const)
		e.s32(int32(f.m.elemOff) + int32(slot))
	} else {
		f.tableIndex()
	}
	e.op(wasm.OpCallIndirect)
	e.u32(f.m.typeOf(ft))
	e.u32(0)
	if want != nil {
		f.extract(ft.results, idx)
	} else {
		f.drop(len(ft.results))
	}
	return true
}
