package kiln

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/leb128"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Instantiate links cm against cfg.Imports and the registered instances, creates its
// memories, tables and globals, applies its active segments and runs its
// start function. Link failures are *LinkError; a segment out of bounds
// or a trapping start function returns a *Trap (entities shared with other
// instances keep the writes of the segments applied before it).
func (r *Runtime) Instantiate(ctx context.Context, cm *CompiledModule, cfg ModuleConfig) (_ *Instance, err error) {
	m := cm.module
	st := &store.Instance{Name: cfg.Name, Module: m, Exports: map[string]store.Extern{}, Source: cm.source}
	inst := r.newInstance(st)
	inst.cm, inst.cfg = cm, cfg
	inst.fuel = cfg.FuelSource
	lim := cfg.Limiter
	if lim == nil {
		lim = r.cfg.Limiter
	}
	st.Limiter = lim
	st.Heap = r.heap
	if lim != nil {
		defer func() {
			if err != nil {
				releaseQuotas(st)
			}
		}()
	}
	st.Types = r.types.Module(m)
	st.TypeIDs = make([]uint32, len(m.Types))
	for i, t := range st.Types {
		st.TypeIDs[i] = t.ID
	}
	if err := r.link(m, st, cfg.Imports); err != nil {
		return nil, err
	}
	for i, ti := range m.Funcs {
		idx := m.NumImportedFuncs + uint32(i)
		f := &store.Function{Type: &m.Types[ti], TypeID: st.TypeIDs[ti], Canon: st.Types[ti], Module: st, Index: idx, Code: cm.codes[i]}
		if m.Names != nil {
			f.Name = m.Names.Funcs[idx]
		}
		st.Funcs = append(st.Funcs, f)
	}
	r.newFuncs(st.Funcs[m.NumImportedFuncs:])
	for i, tt := range m.Tables {
		t, err := store.NewTable(tt, nil, lim)
		if err != nil {
			return nil, fmt.Errorf("instantiate: table %d: %w", int(m.NumImportedTables)+i, err)
		}
		t.Types = st.Types
		st.Tables = append(st.Tables, t)
	}
	for i, mt := range m.Mems {
		mem, err := store.NewMemory(mt, r.cfg.MaxMemoryPages, lim)
		if err != nil {
			return nil, fmt.Errorf("instantiate: memory %d: %w", int(m.NumImportedMems)+i, err)
		}
		st.Mems = append(st.Mems, mem)
	}
	for _, tt := range m.Tags {
		st.Tags = append(st.Tags, &store.Tag{Type: &m.Types[tt.TypeIndex], Canon: st.Types[tt.TypeIndex]})
	}
	ce := &constEval{st: st, features: r.cfg.Features}
	for i := range m.Globals {
		g := &m.Globals[i]
		v, err := ce.eval(&g.Init)
		if err != nil {
			return nil, err
		}
		st.Globals = append(st.Globals, &store.Global{Type: g.Type, Lo: v.Lo, Hi: v.Hi, Ref: v.Ref, Types: st.Types})
	}
	for i := range m.TableInits {
		if e := &m.TableInits[i]; len(e.Code) > 0 {
			v, err := ce.eval(e)
			if err != nil {
				return nil, err
			}
			t := st.Tables[int(m.NumImportedTables)+i]
			for j := range t.Elems {
				t.Elems[j] = v.Ref
			}
			t.Wrote(0, uint64(len(t.Elems)))
		}
	}
	for _, e := range m.Exports {
		var x store.Extern
		x.Kind = e.Kind
		switch e.Kind {
		case wasm.ExternFunc:
			x.Func = st.Funcs[e.Index]
		case wasm.ExternTable:
			x.Table = st.Tables[e.Index]
		case wasm.ExternMemory:
			x.Mem = st.Mems[e.Index]
		case wasm.ExternGlobal:
			x.Global = st.Globals[e.Index]
		case wasm.ExternTag:
			x.Tag = st.Tags[e.Index]
		}
		st.Exports[e.Name] = x
		st.ExportNames = append(st.ExportNames, e.Name)
	}
	st.Elems = make([][]any, len(m.Elems))
	for i := range m.Elems {
		seg := &m.Elems[i]
		if n := uint64(seg.Len()) * store.TableElemBytes; lim != nil && !store.GrowHeap(lim, 0, n) {
			return nil, fmt.Errorf("instantiate: element segment %d of %d bytes: %w", i, n, ErrLimiterRefused)
		}
		items := make([]any, seg.Len())
		if seg.Exprs != nil {
			for j := range seg.Exprs {
				v, err := ce.eval(&seg.Exprs[j])
				if err != nil {
					return nil, err
				}
				items[j] = v.Ref
			}
		} else {
			for j, fi := range seg.FuncIndices {
				items[j] = st.Funcs[fi]
			}
		}
		st.Elems[i] = items
	}
	st.Datas = make([][]byte, len(m.Data))
	for i := range m.Data {
		st.Datas[i] = m.Data[i].Init
	}
	if err := initSegments(ce); err != nil {
		return nil, err
	}
	if m.HasStart {
		f := st.Funcs[m.Start]
		if _, err := r.wrapFunc(f).call(ctx, nil); err != nil {
			return nil, err
		}
	}
	if cfg.Name != "" {
		r.Register(cfg.Name, inst)
	}
	return inst, nil
}

// releaseQuotas gives the sizes of the memories, tables and element
// segments st defines back to their limiter after a failed instantiation.
func releaseQuotas(st *store.Instance) {
	for i := range st.Elems {
		st.DropElem(i)
	}
	m := st.Module
	if int(m.NumImportedMems) <= len(st.Mems) {
		for _, mem := range st.Mems[m.NumImportedMems:] {
			mem.ReleaseQuota()
		}
	}
	if int(m.NumImportedTables) <= len(st.Tables) {
		for _, t := range st.Tables[m.NumImportedTables:] {
			t.ReleaseQuota()
		}
	}
}

// initSegments applies the active element and data segments in order and
// drops them, as the specification's instantiation does.
func initSegments(ce *constEval) error {
	st := ce.st
	m := st.Module
	for i := range m.Elems {
		seg := &m.Elems[i]
		switch seg.Mode {
		case wasm.SegmentActive:
			off, err := ce.eval(&seg.Offset)
			if err != nil {
				return err
			}
			t := st.Tables[seg.Table]
			d, n := off.Lo, uint64(len(st.Elems[i]))
			if !t.Type.Is64 {
				d = uint64(uint32(d))
			}
			if n > uint64(len(t.Elems)) || d > uint64(len(t.Elems))-n {
				return &Trap{Code: store.TrapOutOfBoundsTableAccess}
			}
			copy(t.Elems[d:], st.Elems[i])
			t.Wrote(d, n)
			st.DropElem(i)
		case wasm.SegmentDeclarative:
			st.DropElem(i)
		}
	}
	prefaultData(ce)
	for i := range m.Data {
		seg := &m.Data[i]
		if seg.Mode != wasm.SegmentActive {
			continue
		}
		off, err := ce.eval(&seg.Offset)
		if err != nil {
			return err
		}
		mem := st.Mems[seg.Memory]
		d, n := off.Lo, uint64(len(seg.Init))
		if !mem.Type.Is64 {
			d = uint64(uint32(d))
		}
		buf := mem.Bytes()
		if n > uint64(len(buf)) || d > uint64(len(buf))-n {
			return &Trap{Code: store.TrapOutOfBoundsMemoryAccess}
		}
		copy(buf[d:], seg.Init)
		st.Datas[i] = nil
	}
	return nil
}

// prefaultData backs with pages, in one call per memory, the span of
// memory the active data segments are about to fill, when they are at
// least prefaultBytes and fill at least half their span (a large
// module's data: jsonrt's 8 MB in 36838 segments). Segments it cannot
// place are left to initSegments, which reports them.
func prefaultData(ce *constEval) {
	st := ce.st
	type span struct{ lo, hi, bytes uint64 }
	spans := map[uint32]*span{}
	for i := range st.Module.Data {
		seg := &st.Module.Data[i]
		if seg.Mode != wasm.SegmentActive || len(seg.Init) == 0 {
			continue
		}
		off, err := ce.eval(&seg.Offset)
		if err != nil {
			return
		}
		d := off.Lo
		if !st.Mems[seg.Memory].Type.Is64 {
			d = uint64(uint32(d))
		}
		end := d + uint64(len(seg.Init))
		if end < d {
			return
		}
		s := spans[seg.Memory]
		if s == nil {
			s = &span{lo: d, hi: end}
			spans[seg.Memory] = s
		}
		s.lo, s.hi, s.bytes = min(s.lo, d), max(s.hi, end), s.bytes+uint64(len(seg.Init))
	}
	for mem, s := range spans {
		if s.bytes >= prefaultBytes && s.bytes >= (s.hi-s.lo)/2 {
			st.Mems[mem].Prefault(s.lo, s.hi-s.lo)
		}
	}
}

// prefaultBytes is the least data prefaultData prefaults: below it,
// the faults cost less than the call.
const prefaultBytes = 256 << 10

// link resolves the imports of m into st's index spaces, from l's
// definitions first and the registry second.
func (r *Runtime) link(m *wasm.Module, st *store.Instance, l *Linker) error {
	for i := range m.Imports {
		imp := &m.Imports[i]
		fail := func(msg, detail string) error {
			return &LinkError{Module: imp.Module, Name: imp.Name, Msg: msg, Detail: detail}
		}
		src := r.resolve(l, imp.Module)
		if src == nil {
			return fail("unknown import", "no module registered under this name")
		}
		x, ok := src.st.Exports[imp.Name]
		if !ok {
			return fail("unknown import", "module has no such export")
		}
		if x.Kind != imp.Kind {
			return fail("incompatible import type", fmt.Sprintf("%s imported as %s", x.Kind, imp.Kind))
		}
		switch imp.Kind {
		case wasm.ExternFunc:
			want := &m.Types[imp.TypeIndex]
			if x.Func.Canon == nil || !x.Func.Canon.SubOf(st.Types[imp.TypeIndex]) {
				return fail("incompatible import type", fmt.Sprintf("function %s imported as %s", x.Func.Type, want))
			}
			st.Funcs = append(st.Funcs, x.Func)
		case wasm.ExternTable:
			t := x.Table
			if !store.ValEq(t.Type.Elem, t.Types, imp.Table.Elem, st.Types) || t.Type.Is64 != imp.Table.Is64 || !limitsMatch(uint64(len(t.Elems)), t.Type.Limits, imp.Table.Limits) {
				return fail("incompatible import type", "table type mismatch")
			}
			st.Tables = append(st.Tables, t)
		case wasm.ExternMemory:
			mem := x.Mem
			if mem.Type.Shared != imp.Mem.Shared || mem.Type.Is64 != imp.Mem.Is64 || !limitsMatch(uint64(mem.Pages()), mem.Type.Limits, imp.Mem.Limits) {
				return fail("incompatible import type", "memory type mismatch")
			}
			st.Mems = append(st.Mems, mem)
			mem.Importers.Add(1)
		case wasm.ExternGlobal:
			if !globalMatch(x.Global, imp.Global, st.Types) {
				return fail("incompatible import type", "global type mismatch")
			}
			st.Globals = append(st.Globals, x.Global)
		case wasm.ExternTag:
			if want := &m.Types[imp.TypeIndex]; x.Tag.Canon != st.Types[imp.TypeIndex] {
				return fail("incompatible import type", fmt.Sprintf("tag %s imported as %s", x.Tag.Type, want))
			}
			st.Tags = append(st.Tags, x.Tag)
		default:
			return fail("incompatible import type", "unsupported import kind")
		}
	}
	return nil
}

// globalMatch implements import subtyping of globals: a mutable global's
// type must be equivalent, an immutable one's a subtype.
func globalMatch(g *store.Global, want wasm.GlobalType, types []*store.Type) bool {
	if g.Type.Mutable != want.Mutable {
		return false
	}
	if want.Mutable {
		return store.ValEq(g.Type.Type, g.Types, want.Type, types)
	}
	return store.ValSub(g.Type.Type, g.Types, want.Type, types)
}

// limitsMatch implements import subtyping of limits: the actual size must
// be at least the declared minimum and, if a maximum is declared, the
// actual maximum must exist and not exceed it.
func limitsMatch(size uint64, actual, want wasm.Limits) bool {
	if size < want.Min {
		return false
	}
	if want.HasMax {
		return actual.HasMax && actual.Max <= want.Max
	}
	return true
}

// constEval evaluates the constant expressions of one instantiation. It
// keeps its reader and value stack between expressions, so that
// instantiation allocates for the objects it creates, not per expression
// (a module may have tens of thousands of data segments).
type constEval struct {
	st       *store.Instance
	features wasm.Features
	rd       decoder.InstrReader
	in       wasm.Instr
	stack    []Value
	gc       store.GCSampler
}

// eval evaluates a constant expression in the context of ce.st.
func (ce *constEval) eval(e *wasm.ConstExpr) (Value, error) {
	if v, ok := simpleConst(e.Code); ok {
		return v, nil
	}
	ce.rd.Reset(e.Code, e.Offset, ce.features)
	st := ce.st
	stack := ce.stack[:0]
	defer func() {
		clear(stack) // drop references for the garbage collector
		ce.stack = stack[:0]
	}()
	in := &ce.in
	for {
		err := ce.rd.Next(in)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Value{}, fmt.Errorf("constant expression: %w", err)
		}
		switch in.Op {
		case wasm.OpI32Const:
			stack = append(stack, Value{Type: wasm.I32, Lo: uint64(uint32(in.Const))})
		case wasm.OpI64Const:
			stack = append(stack, Value{Type: wasm.I64, Lo: in.Const})
		case wasm.OpF32Const:
			stack = append(stack, Value{Type: wasm.F32, Lo: uint64(uint32(in.Const))})
		case wasm.OpF64Const:
			stack = append(stack, Value{Type: wasm.F64, Lo: in.Const})
		case wasm.OpV128Const:
			v := Value{Type: wasm.V128}
			for i := 0; i < 8; i++ {
				v.Lo |= uint64(in.V128[i]) << (8 * i)
				v.Hi |= uint64(in.V128[8+i]) << (8 * i)
			}
			stack = append(stack, v)
		case wasm.OpRefNull:
			stack = append(stack, Value{Type: wasm.RefType(true, in.Heap)})
		case wasm.OpRefFunc:
			stack = append(stack, Value{Type: wasm.FuncRef, Ref: st.Funcs[in.Index]})
		case wasm.OpGlobalGet:
			g := st.Globals[in.Index]
			stack = append(stack, Value{Type: g.Type.Type, Lo: g.Lo, Hi: g.Hi, Ref: g.Ref})
		case wasm.OpI32Add, wasm.OpI32Sub, wasm.OpI32Mul, wasm.OpI64Add, wasm.OpI64Sub, wasm.OpI64Mul:
			if len(stack) < 2 {
				return Value{}, fmt.Errorf("constant expression: stack underflow")
			}
			a, b := stack[len(stack)-2], stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			var v uint64
			switch in.Op {
			case wasm.OpI32Add:
				v = uint64(uint32(a.Lo + b.Lo))
			case wasm.OpI32Sub:
				v = uint64(uint32(a.Lo - b.Lo))
			case wasm.OpI32Mul:
				v = uint64(uint32(a.Lo * b.Lo))
			case wasm.OpI64Add:
				v = a.Lo + b.Lo
			case wasm.OpI64Sub:
				v = a.Lo - b.Lo
			case wasm.OpI64Mul:
				v = a.Lo * b.Lo
			}
			stack[len(stack)-1].Lo = v
		case wasm.OpRefI31:
			if len(stack) < 1 {
				return Value{}, fmt.Errorf("constant expression: stack underflow")
			}
			v := &stack[len(stack)-1]
			*v = Value{Type: wasm.RefType(false, wasm.HeapI31), Ref: store.I31(uint32(v.Lo) & 0x7FFFFFFF)}
		case wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
			// The representation of a reference does not change.
		case wasm.OpStructNew, wasm.OpStructNewDefault, wasm.OpArrayNew, wasm.OpArrayNewDefault, wasm.OpArrayNewFixed:
			v, rest, err := ce.newObject(st.Types[in.Index], in, stack)
			if err != nil {
				return Value{}, err
			}
			stack = append(rest, v)
		case wasm.OpEnd:
		default:
			return Value{}, fmt.Errorf("constant expression: unsupported instruction %s", in.Op)
		}
	}
	if len(stack) != 1 {
		return Value{}, fmt.Errorf("constant expression: %d values", len(stack))
	}
	return stack[0], nil
}

// simpleConst evaluates the commonest constant expressions without the
// instruction reader: i32.const or i64.const, then end (segment offsets,
// most globals). The module is validated, so an i32 immediate decodes to
// the same value as a 64-bit LEB128.
func simpleConst(code []byte) (Value, bool) {
	if len(code) < 3 || code[len(code)-1] != byte(wasm.OpEnd) {
		return Value{}, false
	}
	x, n, err := leb128.DecodeInt64(code[1 : len(code)-1])
	if err != nil || n != len(code)-2 {
		return Value{}, false
	}
	switch wasm.Opcode(code[0]) {
	case wasm.OpI32Const:
		return Value{Type: wasm.I32, Lo: uint64(uint32(x))}, true
	case wasm.OpI64Const:
		return Value{Type: wasm.I64, Lo: uint64(x)}, true
	}
	return Value{}, false
}

// newObject executes a struct or array allocation of a constant
// expression on stack and returns the new reference and the rest of the
// stack. The object is capped and charged like one allocated by code.
func (ce *constEval) newObject(t *store.Type, in *wasm.Instr, stack []Value) (Value, []Value, error) {
	pop := func(n int) ([]Value, error) {
		if n > len(stack) {
			return nil, fmt.Errorf("constant expression: stack underflow")
		}
		vs := stack[len(stack)-n:]
		stack = stack[:len(stack)-n]
		return vs, nil
	}
	var ref any
	size := store.StructBytes(t)
	switch in.Op {
	case wasm.OpArrayNewFixed:
		size = store.ArrayBytes(t, in.Index2)
	case wasm.OpArrayNew, wasm.OpArrayNewDefault:
		var n uint32
		if len(stack) > 0 {
			n = uint32(stack[len(stack)-1].Lo)
		}
		if store.ArrayTooLarge(t, n) {
			return Value{}, nil, &Trap{Code: store.TrapOutOfBoundsArrayAccess}
		}
		size = store.ArrayBytes(t, n)
	}
	if h := ce.st.Heap; h != nil {
		if h.Reserve(ce.st.Limiter, size, size) == 0 {
			return Value{}, nil, &Trap{Code: store.TrapHeapExhausted}
		}
		defer func() {
			if ref == nil {
				h.Release(ce.st.Limiter, size)
				return
			}
			ce.gc.Track(h, ce.st.Limiter, ref, size)
		}()
	}
	switch in.Op {
	case wasm.OpStructNew, wasm.OpStructNewDefault:
		s := store.NewStruct(t)
		if in.Op == wasm.OpStructNew {
			vs, err := pop(len(t.Fields))
			if err != nil {
				return Value{}, nil, err
			}
			for i, v := range vs {
				s.Set(i, v.Lo, v.Hi, v.Ref)
			}
		}
		ref = s
	default:
		n := 0
		switch in.Op {
		case wasm.OpArrayNewFixed:
			n = int(in.Index2)
		case wasm.OpArrayNew:
			n = 2
		default:
			n = 1
		}
		vs, err := pop(n)
		if err != nil {
			return Value{}, nil, err
		}
		var a *store.Array
		switch in.Op {
		case wasm.OpArrayNewFixed:
			a = store.NewArray(t, uint32(n))
			for i, v := range vs {
				a.Set(uint32(i), v.Lo, v.Hi, v.Ref)
			}
		case wasm.OpArrayNew:
			a = store.NewArray(t, uint32(vs[1].Lo))
			for i := uint32(0); i < a.Len; i++ {
				a.Set(i, vs[0].Lo, vs[0].Hi, vs[0].Ref)
			}
		default:
			a = store.NewArray(t, uint32(vs[0].Lo))
		}
		ref = a
	}
	return Value{Type: wasm.RefType(false, wasm.HeapType(in.Index)), Ref: ref}, stack, nil
}
