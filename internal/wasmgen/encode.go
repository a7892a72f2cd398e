package wasmgen

import (
	"github.com/kilnrt/kiln/wasm"
)

func (m *modgen) encode() []byte {
	s := m.src
	out := &encoder{}
	out.byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)
	newSec := func() *encoder {
		e := &encoder{}
		if s.chance(1, 6) {
			e.padEvery = 1 + s.intn(3)
		}
		return e
	}

	e := newSec()
	e.u32(uint32(len(m.types)))
	for _, ft := range m.types {
		e.byte(0x60)
		e.u32(uint32(len(ft.params)))
		for _, t := range ft.params {
			e.valType(t)
		}
		e.u32(uint32(len(ft.results)))
		for _, t := range ft.results {
			e.valType(t)
		}
	}
	out.section(wasm.SectionType, e.b)

	if len(m.imports) > 0 {
		e = newSec()
		e.u32(uint32(len(m.imports)))
		for _, h := range m.imports {
			e.name("host")
			e.name(h.Name)
			e.byte(0x00)
			e.u32(m.typeOf(funcType{params: h.Params, results: h.Results}))
		}
		out.section(wasm.SectionImport, e.b)
	}

	e = newSec()
	e.u32(uint32(len(m.funcs)))
	for _, fn := range m.funcs {
		e.u32(fn.typeIdx)
	}
	out.section(wasm.SectionFunction, e.b)

	e = newSec()
	nTables := 2
	if m.cfg.NoRefTypes {
		nTables = 1
	}
	e.u32(uint32(nTables))
	e.valType(wasm.FuncRef)
	e.byte(0x01)
	e.u32(m.tableSize)
	e.u32(m.tableMax)
	if nTables == 2 {
		e.valType(wasm.ExternRef)
		e.byte(0x01)
		e.u32(externTableSize)
		e.u32(externTableSize + 4)
	}
	out.section(wasm.SectionTable, e.b)

	e = newSec()
	e.u32(1)
	e.byte(0x01)
	e.u32(m.memMin)
	e.u32(m.memMax)
	out.section(wasm.SectionMemory, e.b)

	e = newSec()
	e.u32(uint32(len(m.globals)))
	for _, g := range m.globals {
		e.valType(g.t)
		if g.mutable {
			e.byte(0x01)
		} else {
			e.byte(0x00)
		}
		e.b = append(e.b, g.init...)
		e.op(wasm.OpEnd)
	}
	out.section(wasm.SectionGlobal, e.b)

	e = newSec()
	m.encodeExports(e, nTables)
	out.section(wasm.SectionExport, e.b)

	if m.start >= 0 {
		e = newSec()
		e.u32(m.funcIndex(m.start))
		out.section(wasm.SectionStart, e.b)
	}

	m.encodeElems(out, newSec())

	e = newSec()
	e.u32(numData)
	out.section(wasm.SectionDataCount, e.b)

	e = newSec()
	e.u32(uint32(len(m.funcs)))
	for _, fn := range m.funcs {
		var body encoder
		body.padEvery = e.padEvery
		// Runs of equal local types.
		var runs []struct {
			n uint32
			t wasm.ValType
		}
		for _, t := range fn.locals {
			if len(runs) > 0 && runs[len(runs)-1].t == t && s.chance(3, 4) {
				runs[len(runs)-1].n++
				continue
			}
			runs = append(runs, struct {
				n uint32
				t wasm.ValType
			}{1, t})
		}
		body.u32(uint32(len(runs)))
		for _, r := range runs {
			body.u32(r.n)
			body.valType(r.t)
		}
		body.b = append(body.b, fn.body...)
		e.u32(uint32(len(body.b)))
		e.b = append(e.b, body.b...)
	}
	out.section(wasm.SectionCode, e.b)

	e = newSec()
	e.u32(numData)
	e.byte(0x00)
	e.op(wasm.OpI32Const)
	e.s32(int32(m.datOff))
	e.op(wasm.OpEnd)
	e.u32(uint32(len(m.activeDat)))
	e.byte(m.activeDat...)
	e.byte(0x01)
	e.u32(uint32(len(m.passDat)))
	e.byte(m.passDat...)
	out.section(wasm.SectionData, e.b)
	return out.b
}

// encodeElems writes the element section: an active segment for table 0,
// a passive funcref segment, with reference types a passive externref
// segment, and a declarative segment naming every generated function (so
// that ref.func may refer to any of them).
func (m *modgen) encodeElems(out, e *encoder) {
	s := m.src
	refs := !m.cfg.NoRefTypes
	n := 2
	if refs {
		n = 4
	}
	e.u32(uint32(n))
	// 0: active, table 0, in one of the four encodings: flags 0
	// (indices), 2 (explicit table and element kind), and with reference
	// types 4 (expressions) and 6 (explicit table and reference type).
	flags := byte(2 * s.intn(2))
	if refs && s.chance(1, 2) {
		flags += 4
	}
	e.byte(flags)
	if flags&2 != 0 {
		e.u32(0)
	}
	e.op(wasm.OpI32Const)
	e.s32(int32(m.elemOff))
	e.op(wasm.OpEnd)
	switch flags {
	case 2:
		e.byte(0x00)
	case 6:
		e.valType(wasm.FuncRef)
	}
	e.u32(uint32(len(m.activeEl)))
	for _, fi := range m.activeEl {
		if flags&4 != 0 {
			e.op(wasm.OpRefFunc)
			e.u32(m.funcIndex(int(fi)))
			e.op(wasm.OpEnd)
		} else {
			e.u32(m.funcIndex(int(fi)))
		}
	}
	// 1: passive funcref, as function indices (flags 1) or expressions
	// (flags 5).
	if s.chance(1, 2) || !refs {
		e.byte(0x01)
		e.byte(0x00)
		e.u32(uint32(len(m.passiveEl)))
		for _, fi := range m.passiveEl {
			e.u32(m.funcIndex(int(fi)))
		}
	} else {
		e.byte(0x05)
		e.valType(wasm.FuncRef)
		e.u32(uint32(len(m.passiveEl) + 1))
		for _, fi := range m.passiveEl {
			e.op(wasm.OpRefFunc)
			e.u32(m.funcIndex(int(fi)))
			e.op(wasm.OpEnd)
		}
		e.op(wasm.OpRefNull)
		e.valType(wasm.FuncRef)
		e.op(wasm.OpEnd)
	}
	if refs {
		// 2: passive externref (null references).
		e.byte(0x05)
		e.valType(wasm.ExternRef)
		k := 1 + s.intn(3)
		e.u32(uint32(k))
		for i := 0; i < k; i++ {
			e.op(wasm.OpRefNull)
			e.valType(wasm.ExternRef)
			e.op(wasm.OpEnd)
		}
		// 3: declarative, as indices (flags 3) or expressions (flags 7).
		if s.chance(1, 2) {
			e.byte(0x03)
			e.byte(0x00)
			e.u32(uint32(m.nGen))
			for i := 0; i < m.nGen; i++ {
				e.u32(m.funcIndex(i))
			}
		} else {
			e.byte(0x07)
			e.valType(wasm.FuncRef)
			e.u32(uint32(m.nGen))
			for i := 0; i < m.nGen; i++ {
				e.op(wasm.OpRefFunc)
				e.u32(m.funcIndex(i))
				e.op(wasm.OpEnd)
			}
		}
	}
	out.section(wasm.SectionElement, e.b)
}
