package wasmgen

import (
	"fmt"

	"github.com/kilnrt/kiln/wasm"
)

// genExports adds one exported wrapper per generated function. A wrapper
// resets the budget, so that each export call gets the same allowance,
// and calls its function: with the same signature, or, with
// NoParamExports, with constant arguments and integer results, followed by
// the state export "sN".
func (m *modgen) genExports() {
	var state uint32
	if m.cfg.NoParamExports {
		state = m.addFunc(m.stateFunc())
	}
	for i := 0; i < m.nGen; i++ {
		ft := m.funcTypes[i]
		var e encoder
		e.op(wasm.OpI32Const)
		e.s32(m.cfg.Budget)
		e.op(wasm.OpGlobalSet)
		e.u32(0)
		if !m.cfg.NoParamExports {
			for p := range ft.params {
				e.op(wasm.OpLocalGet)
				e.u32(uint32(p))
			}
			e.op(wasm.OpCall)
			e.u32(m.funcIndex(i))
			e.op(wasm.OpEnd)
			w := m.addFunc(ft, nil, e.b)
			m.exports = append(m.exports, export{name: fmt.Sprintf("f%d", i), fn: w})
			continue
		}
		for _, p := range ft.params {
			e.b = append(e.b, m.randConstExpr(p)...)
		}
		e.op(wasm.OpCall)
		e.u32(m.funcIndex(i))
		// Results go to locals 0..n-1 (top of stack first), then come back
		// as integers.
		for r := len(ft.results) - 1; r >= 0; r-- {
			e.op(wasm.OpLocalSet)
			e.u32(uint32(r))
		}
		var out []wasm.ValType
		for r, t := range ft.results {
			e.op(wasm.OpLocalGet)
			e.u32(uint32(r))
			out = append(out, m.exactType(&e, t, func() {
				e.op(wasm.OpLocalGet)
				e.u32(uint32(r))
			})...)
		}
		e.op(wasm.OpEnd)
		w := m.addFunc(funcType{results: out}, ft.results, e.b)
		m.exports = append(m.exports,
			export{name: fmt.Sprintf("f%d", i), fn: w},
			export{name: fmt.Sprintf("s%d", i), fn: state})
	}
}

// exactType converts a value of type t on the stack to values whose
// printed form is exact (floats to their bits, references to
// ref.is_null, with SplitV128 a v128 to two i64 halves; push pushes the
// value again) and returns their types.
func (m *modgen) exactType(e *encoder, t wasm.ValType, push func()) []wasm.ValType {
	switch t {
	case wasm.F32:
		e.op(wasm.OpI32ReinterpretF32)
		return []wasm.ValType{wasm.I32}
	case wasm.F64:
		e.op(wasm.OpI64ReinterpretF64)
		return []wasm.ValType{wasm.I64}
	case wasm.FuncRef, wasm.ExternRef:
		e.op(wasm.OpRefIsNull)
		return []wasm.ValType{wasm.I32}
	case wasm.V128:
		if m.cfg.SplitV128 {
			e.op(wasm.OpI64x2ExtractLane)
			e.byte(0)
			push()
			e.op(wasm.OpI64x2ExtractLane)
			e.byte(1)
			return []wasm.ValType{wasm.I64, wasm.I64}
		}
	}
	return []wasm.ValType{t}
}

// genStart adds, sometimes, a start function that initialises globals and
// a little memory with constants (it never traps, so instantiation
// succeeds).
func (m *modgen) genStart() {
	s := m.src
	if !s.chance(1, 3) {
		return
	}
	var e encoder
	for i, g := range m.globals {
		if i == 0 || !g.mutable || !s.chance(1, 2) {
			continue
		}
		e.b = append(e.b, m.randConstExpr(g.t)...)
		e.op(wasm.OpGlobalSet)
		e.u32(uint32(i))
	}
	for n := s.intn(4); n > 0; n-- {
		e.op(wasm.OpI32Const)
		e.s32(int32(s.intn(60)))
		e.op(wasm.OpI64Const)
		e.s64(int64(s.interestingU64()))
		e.op(wasm.OpI64Store32)
		e.u32(0)
		e.u32(0)
	}
	e.op(wasm.OpEnd)
	m.start = int(m.addFunc(funcType{}, nil, e.b))
}

func (m *modgen) addFunc(ft funcType, locals []wasm.ValType, body []byte) uint32 {
	m.funcTypes = append(m.funcTypes, ft)
	m.funcs = append(m.funcs, function{typeIdx: m.typeOf(ft), locals: locals, body: body})
	return uint32(len(m.funcs) - 1)
}

// stateFunc returns a function that returns an FNV-style hash of all of
// memory, memory.size and every mutable global (other than the budget) as
// exact values.
func (m *modgen) stateFunc() (funcType, []wasm.ValType, []byte) {
	var e encoder
	const addr, hash = 0, 1
	e.op(wasm.OpI64Const)
	e.s64(-3750763034362895579) // 0xcbf29ce484222325
	e.op(wasm.OpLocalSet)
	e.u32(hash)
	e.op(wasm.OpBlock)
	e.byte(0x40)
	e.op(wasm.OpLoop)
	e.byte(0x40)
	// if addr >= memory.size*65536: break
	e.op(wasm.OpLocalGet)
	e.u32(addr)
	e.op(wasm.OpMemorySize)
	e.byte(0)
	e.op(wasm.OpI32Const)
	e.s32(16)
	e.op(wasm.OpI32Shl)
	e.op(wasm.OpI32GeU)
	e.op(wasm.OpBrIf)
	e.u32(1)
	// hash = (hash ^ load64(addr)) * prime
	e.op(wasm.OpLocalGet)
	e.u32(hash)
	e.op(wasm.OpLocalGet)
	e.u32(addr)
	e.op(wasm.OpI64Load)
	e.u32(3)
	e.u32(0)
	e.op(wasm.OpI64Xor)
	e.op(wasm.OpI64Const)
	e.s64(0x100000001b3)
	e.op(wasm.OpI64Mul)
	e.op(wasm.OpLocalSet)
	e.u32(hash)
	e.op(wasm.OpLocalGet)
	e.u32(addr)
	e.op(wasm.OpI32Const)
	e.s32(8)
	e.op(wasm.OpI32Add)
	e.op(wasm.OpLocalSet)
	e.u32(addr)
	e.op(wasm.OpBr)
	e.u32(0)
	e.op(wasm.OpEnd)
	e.op(wasm.OpEnd)
	e.op(wasm.OpLocalGet)
	e.u32(hash)
	e.op(wasm.OpMemorySize)
	e.byte(0)
	out := []wasm.ValType{wasm.I64, wasm.I32}
	for i, g := range m.globals {
		if i == 0 || !g.mutable {
			continue
		}
		e.op(wasm.OpGlobalGet)
		e.u32(uint32(i))
		out = append(out, m.exactType(&e, g.t, func() {
			e.op(wasm.OpGlobalGet)
			e.u32(uint32(i))
		})...)
	}
	e.op(wasm.OpEnd)
	return funcType{results: out}, []wasm.ValType{wasm.I32, wasm.I64}, e.b
}

// encodeExports writes the export section's contents: the functions'
// exports, then with ExportState the memory, the nTables tables and the
// globals.
func (m *modgen) encodeExports(e *encoder, nTables int) {
	n := len(m.exports)
	if m.cfg.ExportState {
		n += 1 + nTables + len(m.globals)
	}
	e.u32(uint32(n))
	for _, x := range m.exports {
		e.name(x.name)
		e.byte(byte(wasm.ExternFunc))
		e.u32(m.funcIndex(int(x.fn)))
	}
	if !m.cfg.ExportState {
		return
	}
	e.name("memory")
	e.byte(byte(wasm.ExternMemory))
	e.u32(0)
	for i := 0; i < nTables; i++ {
		e.name(fmt.Sprintf("table%d", i))
		e.byte(byte(wasm.ExternTable))
		e.u32(uint32(i))
	}
	for i := range m.globals {
		e.name(fmt.Sprintf("g%d", i))
		e.byte(byte(wasm.ExternGlobal))
		e.u32(uint32(i))
	}
}
