package wasmgen

import (
	"fmt"
	"strings"

	"github.com/kilnrt/kiln/wasm"
)

// Config steers generation.
type Config struct {
	// MaxFuncs bounds the number of generated (non-wrapper) functions
	// (default 6).
	MaxFuncs int
	// MaxInstrs bounds the size of each function body in instructions,
	// roughly (default 120).
	MaxInstrs int
	// MaxDepth bounds expression and block nesting (default 6).
	MaxDepth int
	// NoSIMD leaves out v128 and SIMD instructions.
	NoSIMD bool
	// NoRefTypes leaves out funcref/externref values and table
	// instructions other than call_indirect.
	NoRefTypes bool
	// Budget is the number of function entries and loop iterations one
	// call of an export may perform; after that every function returns
	// zero values at once (default 1000).
	Budget int32
	// NoParamExports makes every export take no parameters (arguments are
	// generated constants) and return only integers and v128 (floats are
	// reinterpreted, references tested with ref.is_null), so that
	// text-printing reference interpreters report results exactly. After
	// each function export it exports "sN", which returns a hash of memory,
	// the memory size and the values of the mutable globals.
	NoParamExports bool
	// SplitV128 makes NoParamExports wrappers return each v128 as two
	// i64 halves (low first), for engines whose host API cannot pass
	// v128 (JavaScript).
	SplitV128 bool
	// HostImports makes the module import the functions of HostFuncs
	// from module "host" and call them.
	HostImports bool
	// CanonicalNaNs replaces every arithmetic NaN that an instruction
	// with nondeterministic NaN results produced with the canonical NaN,
	// right after the instruction (see the package documentation).
	CanonicalNaNs bool
	// MaxResults, when positive, bounds the number of results of the
	// generated functions (3, and 10 for long signatures, otherwise).
	MaxResults int
	// NoBulkMemory leaves out memory.fill, memory.copy, memory.init and
	// data.drop (their statements become nop), for engines that compile
	// the rest of a function but not those.
	NoBulkMemory bool
	// ExportState also exports the memory ("memory"), the tables
	// ("table0", "table1") and every global ("gN", the budget is "g0"),
	// so that an embedder can compare the whole state of two instances
	// after each call.
	ExportState bool
}

func (c *Config) defaults() {
	if c.MaxFuncs <= 0 {
		c.MaxFuncs = 6
	}
	if c.MaxInstrs <= 0 {
		c.MaxInstrs = 120
	}
	if c.MaxDepth <= 0 {
		c.MaxDepth = 6
	}
	if c.Budget <= 0 {
		c.Budget = 1000
	}
}

// DifferentialConfig is the configuration for comparing engines that print
// their results: parameterless exports and canonical NaNs.
func DifferentialConfig() Config {
	return Config{NoParamExports: true, CanonicalNaNs: true}
}

type funcType struct{ params, results []wasm.ValType }

func (ft funcType) key() string {
	var sb strings.Builder
	for _, t := range ft.params {
		fmt.Fprintf(&sb, "%x,", uint32(t))
	}
	sb.WriteByte('>')
	for _, t := range ft.results {
		fmt.Fprintf(&sb, "%x,", uint32(t))
	}
	return sb.String()
}

type global struct {
	t       wasm.ValType
	mutable bool
	init    []byte // constant expression without the final end
}

type function struct {
	typeIdx uint32
	locals  []wasm.ValType // declared locals (not parameters)
	body    []byte         // instructions including the final end
}

// Table layout: table 0 is a funcref table used by call_indirect; with
// reference types, table 1 is an externref table.
// Element segments: 0 active (table 0), 1 passive funcref, 2 passive
// externref (with reference types), 3 declarative (all functions).
// Data segments: 0 active, 1 passive.
const (
	elemPassiveFunc   = 1
	elemPassiveExtern = 2
	dataPassive       = 1
	numData           = 2
	externTableSize   = 3
)

type modgen struct {
	src     *source
	cfg     Config
	types   []funcType
	typeIdx map[string]uint32
	funcs   []function
	// funcTypes[i] is the signature of function i (generated functions
	// first, then wrappers).
	funcTypes []funcType
	nGen      int // number of generated functions
	globals   []global
	tableSize uint32
	tableMax  uint32
	memMin    uint32
	memMax    uint32
	activeEl  []uint32 // function indices of the active element segment
	elemOff   uint32
	passiveEl []uint32
	activeDat []byte
	datOff    uint32
	passDat   []byte
	exports   []export
	imports   []HostFunc
	start     int // index of the start function, or -1
	valTypes  []wasm.ValType
}

type export struct {
	name string
	fn   uint32
}

// Generate returns a valid WebAssembly 2.0 module built from the choices in
// data.
func Generate(data []byte, cfg Config) []byte {
	cfg.defaults()
	m := &modgen{src: &source{data: data}, cfg: cfg, typeIdx: map[string]uint32{}, start: -1}
	m.valTypes = []wasm.ValType{wasm.I32, wasm.I64, wasm.F32, wasm.F64}
	if !cfg.NoSIMD {
		m.valTypes = append(m.valTypes, wasm.V128)
	}
	if !cfg.NoRefTypes {
		m.valTypes = append(m.valTypes, wasm.FuncRef, wasm.ExternRef)
	}
	m.generate()
	return m.encode()
}

// maxResults returns the bound on a generated function's results: def
// unless Config.MaxResults is lower.
func (m *modgen) maxResults(def int) int {
	if m.cfg.MaxResults > 0 {
		return min(def, m.cfg.MaxResults)
	}
	return def
}

func (m *modgen) typeOf(ft funcType) uint32 {
	k := ft.key()
	if i, ok := m.typeIdx[k]; ok {
		return i
	}
	i := uint32(len(m.types))
	m.types = append(m.types, ft)
	m.typeIdx[k] = i
	return i
}

// randType returns a value type, mostly a number type.
func (m *modgen) randType() wasm.ValType {
	if m.src.chance(3, 4) {
		return m.valTypes[m.src.intn(4)]
	}
	return m.valTypes[m.src.intn(len(m.valTypes))]
}

func (m *modgen) randTypes(max int) []wasm.ValType {
	n := m.src.intn(max + 1)
	ts := make([]wasm.ValType, n)
	for i := range ts {
		ts[i] = m.randType()
	}
	return ts
}

func (m *modgen) generate() {
	s := m.src
	if m.cfg.HostImports {
		m.imports = HostFuncs
		for _, h := range m.imports {
			m.typeOf(funcType{params: h.Params, results: h.Results})
		}
	}
	m.nGen = 1 + s.intn(m.cfg.MaxFuncs)
	// Budget global first (index 0), then random globals.
	m.globals = append(m.globals, global{t: wasm.I32, mutable: true, init: constExpr(wasm.I32, uint64(m.cfg.Budget))})
	for n := s.intn(5); n > 0; n-- {
		t := m.randType()
		m.globals = append(m.globals, global{t: t, mutable: s.chance(2, 3), init: m.randConstExpr(t)})
	}
	m.memMin = uint32(1 + s.intn(2))
	m.memMax = m.memMin + uint32(s.intn(3))
	m.tableSize = uint32(1 + s.intn(8))
	m.tableMax = m.tableSize + uint32(s.intn(4))

	// Signatures first, so that calls may go anywhere (recursion is bounded
	// by the budget).
	for i := 0; i < m.nGen; i++ {
		ft := funcType{params: m.randTypes(3), results: m.randTypes(m.maxResults(3))}
		if s.chance(1, 12) {
			ft = funcType{params: m.randTypes(16), results: m.randTypes(m.maxResults(10))}
		}
		m.funcTypes = append(m.funcTypes, ft)
		m.funcs = append(m.funcs, function{typeIdx: m.typeOf(ft)})
	}
	// The active segment fills most of table 0 (call_indirect mostly goes
	// through its slots; the others are null).
	m.elemOff = uint32(s.intn(2))
	if m.elemOff >= m.tableSize {
		m.elemOff = 0
	}
	for n := int(m.tableSize-m.elemOff) - s.intn(2); n > 0; n-- {
		m.activeEl = append(m.activeEl, uint32(s.intn(m.nGen)))
	}
	for n := s.intn(4); n > 0; n-- {
		m.passiveEl = append(m.passiveEl, uint32(s.intn(m.nGen)))
	}
	m.activeDat = make([]byte, s.intn(24))
	for i := range m.activeDat {
		m.activeDat[i] = s.byte()
	}
	m.datOff = uint32(s.intn(int(m.memMin*65536) - len(m.activeDat) + 1))
	if s.chance(1, 3) {
		m.datOff = m.memMin*65536 - uint32(len(m.activeDat))
	}
	m.passDat = make([]byte, 8+s.intn(24))
	for i := range m.passDat {
		m.passDat[i] = s.byte()
	}
	for i := 0; i < m.nGen; i++ {
		m.funcs[i].locals, m.funcs[i].body = m.genFunc(i)
	}
	m.genExports()
	m.genStart()
}

// constExpr encodes a constant instruction (without end).
func constExpr(t wasm.ValType, bits uint64) []byte {
	var e encoder
	switch t {
	case wasm.I32:
		e.op(wasm.OpI32Const)
		e.s32(int32(bits))
	case wasm.I64:
		e.op(wasm.OpI64Const)
		e.s64(int64(bits))
	case wasm.F32:
		e.op(wasm.OpF32Const)
		e.f32bits(uint32(bits))
	case wasm.F64:
		e.op(wasm.OpF64Const)
		e.f64bits(bits)
	case wasm.FuncRef, wasm.ExternRef:
		e.op(wasm.OpRefNull)
		e.valType(t)
	default:
		panic(fmt.Sprintf("wasmgen: no constant of type %v", t))
	}
	return e.b
}

func (m *modgen) randConstExpr(t wasm.ValType) []byte {
	s := m.src
	switch t {
	case wasm.F32:
		return constExpr(t, uint64(s.interestingF32()))
	case wasm.F64:
		return constExpr(t, s.interestingF64())
	case wasm.V128:
		var e encoder
		e.op(wasm.OpV128Const)
		e.f64bits(s.interestingU64())
		e.f64bits(s.interestingU64())
		return e.b
	case wasm.FuncRef:
		if s.chance(1, 2) && m.nGen > 0 {
			var e encoder
			e.op(wasm.OpRefFunc)
			e.u32(m.funcIndex(s.intn(m.nGen)))
			return e.b
		}
	}
	return constExpr(t, s.interestingU64())
}
