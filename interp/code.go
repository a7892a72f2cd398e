package interp

import (
	"github.com/kilnrt/kiln/internal/numeric"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Code is the translated body of one wasm function. It is immutable after
// translation (but for its tiering state, tier.go) and shared by every
// instance of the module.
type Code struct {
	instrs []instr
	// offsets maps each instruction to the wasm byte offset it came from.
	offsets  []int32
	brTables [][]uint32
	// shuffles holds i8x16.shuffle lane patterns, prepared at translation.
	shuffles []numeric.ShufflePlan
	// memOps holds the accesses to memories other than a 32-bit memory 0
	// (multi-memory, memory64), executed by opMemX.
	memOps []memOp
	// handlers are the exception handlers (try_table, try).
	handlers []handler
	// loops are the heads of the loops entered with an empty operand
	// stack, by pc: where a frame may continue in promoted code
	// (tier.go, enterLoop).
	loops []loopHead

	numParams  uint32 // parameter slots
	numLocals  uint32 // parameter and declared-local slots
	numResults uint32 // result slots
	frameSize  uint32 // all slots the frame needs
	refLocals  bool   // some declared local is a reference
	// refSlots: some slot of the frame may hold a reference (a parameter,
	// local, result or operand of reference type, or exception
	// handling); only such frames have reference slots (Machine.refs).
	refSlots  bool
	funcIndex uint32

	// heat and tier are the tiering state (tier.go), the one mutable
	// part.
	heat int32
	tier *tier
}

// mem64 reports whether memory i is 64-bit.
func (c *Compiler) mem64(i uint32) bool { return int(i) < len(c.mems) && c.mems[i].Is64 }

// FuncIndex is the function's index in its module's function index space.
func (c *Code) FuncIndex() uint32 { return c.funcIndex }

// Len returns the number of register-machine instructions.
func (c *Code) Len() int { return len(c.instrs) }

// Compiler translates the function bodies of one module while the validator
// checks them. Use Visitor as the validator's visitor factory, then Codes.
type Compiler struct {
	mod   *wasm.Module
	codes []*Code
	// mems and tables are the types of the module's memories and tables,
	// imports first.
	mems   []wasm.MemoryType
	tables []wasm.TableType
	// tr is reused for every function: the validator visits them one at a
	// time.
	tr translator
}

// NewCompiler returns a compiler for module m.
func NewCompiler(m *wasm.Module) *Compiler {
	c := &Compiler{mod: m, codes: make([]*Code, len(m.Codes))}
	for i := range m.Imports {
		switch imp := &m.Imports[i]; imp.Kind {
		case wasm.ExternMemory:
			c.mems = append(c.mems, imp.Mem)
		case wasm.ExternTable:
			c.tables = append(c.tables, imp.Table)
		}
	}
	c.mems = append(c.mems, m.Mems...)
	c.tables = append(c.tables, m.Tables...)
	return c
}

// Visitor returns the translator for the function at funcIndex (in the
// function index space); it is the factory validator.ValidateModule takes.
func (c *Compiler) Visitor(funcIndex uint32) validator.FuncVisitor {
	t := &c.tr
	t.comp, t.def = c, funcIndex-c.mod.NumImportedFuncs
	return t
}

// Codes returns the translated code of every defined function, in
// definition order. It is valid after validation succeeded.
func (c *Compiler) Codes() []*Code { return c.codes }

// loopHead is a loop's first instruction and the loop's offset in the
// module binary, by which the promoted code knows the loop.
type loopHead struct {
	pc     uint32
	offset int32
}
