package wast

import (
	"github.com/kilnrt/kiln/wasm"
)

// encode writes the module in the binary format, in the canonical form of
// wabt's wat2wasm: sections in order, empty sections omitted, minimal
// LEB128 sizes, a data count section only when an instruction needs it.
func (m *module) encode() []byte {
	out := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	section := func(id wasm.SectionID, count int, body []byte) {
		if count == 0 {
			return
		}
		out = append(out, byte(id))
		out = appendU32(out, uint32(len(body)))
		out = append(out, body...)
	}
	vec := func(n int, items func(b []byte) []byte) []byte {
		return items(appendU32(nil, uint32(n)))
	}

	// Types: single types and recursion groups.
	section(wasm.SectionType, len(m.groups), vec(len(m.groups), func(b []byte) []byte {
		for _, g := range m.groups {
			if g.rec {
				b = appendU32(append(b, 0x4E), uint32(g.count))
			}
			for i := g.first; i < g.first+g.count; i++ {
				b = append(b, m.types[i].enc...)
			}
		}
		return b
	}))

	section(wasm.SectionImport, len(m.imports), vec(len(m.imports), func(b []byte) []byte {
		for _, imp := range m.imports {
			b = appendName(b, imp.module)
			b = appendName(b, imp.name)
			b = append(b, byte(imp.kind))
			switch imp.kind {
			case wasm.ExternFunc:
				b = appendU32(b, imp.typeIdx)
			case wasm.ExternTable:
				b = appendTableType(b, imp.table)
			case wasm.ExternMemory:
				b = appendMemoryType(b, imp.mem)
			case wasm.ExternGlobal:
				b = appendGlobalType(b, imp.global)
			case wasm.ExternTag:
				b = appendU32(append(b, 0), imp.typeIdx)
			}
		}
		return b
	}))

	section(wasm.SectionFunction, len(m.funcs), vec(len(m.funcs), func(b []byte) []byte {
		for _, f := range m.funcs {
			b = appendU32(b, f.typeIdx)
		}
		return b
	}))

	section(wasm.SectionTable, len(m.tables), vec(len(m.tables), func(b []byte) []byte {
		for _, t := range m.tables {
			if t.init != nil {
				b = append(b, 0x40, 0x00)
				b = appendTableType(b, t.typ)
				b = append(b, t.init...)
				continue
			}
			b = appendTableType(b, t.typ)
		}
		return b
	}))

	section(wasm.SectionMemory, len(m.mems), vec(len(m.mems), func(b []byte) []byte {
		for _, t := range m.mems {
			b = appendMemoryType(b, t)
		}
		return b
	}))

	section(wasm.SectionTag, len(m.tags), vec(len(m.tags), func(b []byte) []byte {
		for _, t := range m.tags {
			b = appendU32(append(b, 0), t)
		}
		return b
	}))

	section(wasm.SectionGlobal, len(m.globals), vec(len(m.globals), func(b []byte) []byte {
		for _, g := range m.globals {
			b = appendGlobalType(b, g.typ)
			b = append(b, g.init...)
		}
		return b
	}))

	section(wasm.SectionExport, len(m.exports), vec(len(m.exports), func(b []byte) []byte {
		for _, e := range m.exports {
			b = appendName(b, e.name)
			b = append(b, byte(e.kind))
			b = appendU32(b, e.idx)
		}
		return b
	}))

	if m.start != nil {
		section(wasm.SectionStart, 1, appendU32(nil, *m.start))
	}

	section(wasm.SectionElement, len(m.elems), vec(len(m.elems), func(b []byte) []byte {
		for _, e := range m.elems {
			b = appendElem(b, e)
		}
		return b
	}))

	if m.usesDataCount {
		section(wasm.SectionDataCount, 1, appendU32(nil, uint32(len(m.datas))))
	}

	section(wasm.SectionCode, len(m.funcs), vec(len(m.funcs), func(b []byte) []byte {
		for _, f := range m.funcs {
			body := appendLocals(nil, f.locals)
			body = append(body, f.body...)
			b = appendU32(b, uint32(len(body)))
			b = append(b, body...)
		}
		return b
	}))

	section(wasm.SectionData, len(m.datas), vec(len(m.datas), func(b []byte) []byte {
		for _, d := range m.datas {
			switch {
			case d.mode == wasm.SegmentPassive:
				b = append(b, 1)
			case d.mem == 0:
				b = append(b, 0)
				b = append(b, d.offset...)
			default:
				b = appendU32(append(b, 2), d.mem)
				b = append(b, d.offset...)
			}
			b = appendU32(b, uint32(len(d.init)))
			b = append(b, d.init...)
		}
		return b
	}))
	return out
}

// appendLocals encodes local declarations as runs of equal types.
func appendLocals(b []byte, locals []wasm.ValType) []byte {
	var runs []wasm.LocalRun
	for _, t := range locals {
		if n := len(runs); n > 0 && runs[n-1].Type == t {
			runs[n-1].Count++
			continue
		}
		runs = append(runs, wasm.LocalRun{Count: 1, Type: t})
	}
	b = appendU32(b, uint32(len(runs)))
	for _, r := range runs {
		b = appendValType(appendU32(b, r.Count), r.Type)
	}
	return b
}

// funcIndexOf returns the index of an item that is exactly ref.func idx.
func funcIndexOf(expr []byte) ([]byte, bool) {
	if len(expr) < 3 || expr[0] != byte(wasm.OpRefFunc) || expr[len(expr)-1] != byte(wasm.OpEnd) {
		return nil, false
	}
	idx := expr[1 : len(expr)-1]
	// The index must be one LEB128 number filling the rest.
	for i, c := range idx {
		if (c&0x80 == 0) != (i == len(idx)-1) {
			return nil, false
		}
	}
	return idx, true
}

// appendElem encodes an element segment with the flags wabt chooses:
// function indices when the type is funcref and every item is a ref.func,
// expressions otherwise; an explicit table index only when it is not 0.
func appendElem(b []byte, e *elemEntry) []byte {
	useIndices := e.typ == wasm.FuncRef && !e.exprs
	for _, it := range e.items {
		if _, ok := funcIndexOf(it); !ok {
			useIndices = false
			break
		}
	}
	var flags byte
	switch e.mode {
	case wasm.SegmentPassive:
		flags = 1
	case wasm.SegmentDeclarative:
		flags = 3
	default:
		// Flags 0 and 4 imply table 0 and funcref.
		if e.table != 0 || e.typ != wasm.FuncRef {
			flags = 2
		}
	}
	if !useIndices {
		flags |= 4
	}
	b = append(b, flags)
	if flags&3 == 2 {
		b = appendU32(b, e.table)
	}
	if e.mode == wasm.SegmentActive {
		b = append(b, e.offset...)
	}
	if flags&3 != 0 {
		if useIndices {
			b = append(b, 0x00) // elemkind funcref
		} else {
			b = appendValType(b, e.typ)
		}
	}
	b = appendU32(b, uint32(len(e.items)))
	for _, it := range e.items {
		if useIndices {
			idx, _ := funcIndexOf(it)
			b = append(b, idx...)
		} else {
			b = append(b, it...)
		}
	}
	return b
}
