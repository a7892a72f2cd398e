package wast

import (
	"encoding/binary"
	"fmt"

	"github.com/kilnrt/kiln/wasm"
)

// Pos is a position in a source file. Line and Col count from 1; Col counts
// bytes.
type Pos struct {
	File string
	Line int
	Col  int
}

// before reports whether p comes before q in the same text.
func (p Pos) before(q Pos) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Col < q.Col
}

// String formats the position as file:line:column.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Script is a parsed WAST script: its commands in source order.
type Script struct {
	File     string
	Commands []Command
}

// Command is one top-level script command. Its concrete type is one of
// *ModuleCommand, *ModuleInstanceCommand, *RegisterCommand, *ActionCommand,
// *AssertReturn, *AssertTrap, *AssertExhaustion, *AssertException,
// *AssertInvalid, *AssertMalformed, *AssertUnlinkable,
// *AssertUninstantiable, and the threads proposal's *ThreadCommand and
// *WaitCommand.
type Command interface {
	// Position is where the command's opening parenthesis is.
	Position() Pos
	command()
}

// ModuleKind says how a script module was written.
type ModuleKind byte

// Module kinds.
const (
	// ModuleText is (module ...) with fields in the text format; its
	// binary was encoded while parsing the script.
	ModuleText ModuleKind = iota
	// ModuleBinary is (module binary "..."): the strings are the binary.
	ModuleBinary
	// ModuleQuote is (module quote "..."): the strings are text-format
	// source, parsed only when Encode is called.
	ModuleQuote
)

// String returns "text", "binary" or "quote".
func (k ModuleKind) String() string {
	switch k {
	case ModuleText:
		return "text"
	case ModuleBinary:
		return "binary"
	case ModuleQuote:
		return "quote"
	}
	return fmt.Sprintf("ModuleKind(%d)", byte(k))
}

// Module is a module written in a script.
type Module struct {
	Pos Pos
	// ID is the module's identifier as written, including the leading
	// '$' ("$M1"), or "" when it has none.
	ID   string
	Kind ModuleKind
	// Definition is set for (module definition ...): the module is
	// compiled but not instantiated (3.0 scripts); instances are made by
	// ModuleInstanceCommand.
	Definition bool
	// Binary is the binary module for text and binary modules; nil for
	// quote modules and for text modules that failed to encode (see Err).
	Binary []byte
	// Quote is the source text of a quote module: its strings joined with
	// spaces. It holds module fields, or a whole (module ...) form.
	Quote string
	// Err is set when a text module failed to parse or encode. It does not
	// fail ParseScript (a malformed module inside assert_malformed is
	// expected, and one bad module must not hide the rest of a script);
	// Encode returns it.
	Err error

	parser Parser // for quote modules
}

// Encode returns the module's binary: for quote modules it parses and
// encodes the quoted text (an error means the text is malformed); for the
// others it returns Binary, or Err.
func (m *Module) Encode() ([]byte, error) {
	switch m.Kind {
	case ModuleQuote:
		return m.parser.parseQuoted(m.Pos, m.Quote)
	default:
		if m.Err != nil {
			return nil, m.Err
		}
		return m.Binary, nil
	}
}

// ModuleCommand defines (and, unless Module.Definition is set,
// instantiates) a module. Later actions without a module name refer to the
// most recent module.
type ModuleCommand struct {
	Module *Module
}

// ModuleInstanceCommand is (module instance $inst $def): instantiate a
// module definition again (3.0 scripts).
type ModuleInstanceCommand struct {
	Pos Pos
	// Instance is the new instance's identifier ("" when absent), Module
	// the definition's identifier ("" for the most recent module).
	Instance string
	Module   string
}

// RegisterCommand is (register "name" $M?): make the exports of a module
// instance importable under module name Name.
type RegisterCommand struct {
	Pos  Pos
	Name string
	// Module is the instance's identifier, "" for the most recent one.
	Module string
}

// ActionKind distinguishes invoke and get.
type ActionKind byte

// Action kinds.
const (
	ActionInvoke ActionKind = iota // (invoke $M? "name" arg*)
	ActionGet                      // (get $M? "name")
)

// Action calls an exported function or reads an exported global.
type Action struct {
	Pos  Pos
	Kind ActionKind
	// Module is the instance's identifier ("$M"), "" for the most recent.
	Module string
	// Name is the export name.
	Name string
	// Args are the arguments of an invoke.
	Args []Value
}

// ActionCommand is an action performed for its effect; its results are
// ignored but a trap is a failure.
type ActionCommand struct {
	Action *Action
}

// AssertReturn runs Action and compares its results with Expected.
type AssertReturn struct {
	Pos      Pos
	Action   *Action
	Expected []Result
}

// AssertTrap expects Action to trap, or (when Module is set) the
// instantiation of Module to trap, with a message starting with Message.
type AssertTrap struct {
	Pos     Pos
	Action  *Action // nil when Module is set
	Module  *Module
	Message string
}

// AssertExhaustion expects Action to exhaust a resource (call stack).
type AssertExhaustion struct {
	Pos     Pos
	Action  *Action
	Message string
}

// AssertException expects Action to throw a WebAssembly exception (3.0).
type AssertException struct {
	Pos    Pos
	Action *Action
}

// AssertInvalid expects Module to decode but fail validation.
type AssertInvalid struct {
	Pos     Pos
	Module  *Module
	Message string
}

// AssertMalformed expects Module to be malformed: a quote module's text is
// rejected by Module.Encode, a binary module by the decoder.
type AssertMalformed struct {
	Pos     Pos
	Module  *Module
	Message string
}

// AssertUnlinkable expects Module to be valid but fail to link (imports).
type AssertUnlinkable struct {
	Pos     Pos
	Module  *Module
	Message string
}

// AssertUninstantiable expects Module to link but trap while instantiating
// (start function, or segment initialisation in older scripts).
type AssertUninstantiable struct {
	Pos     Pos
	Module  *Module
	Message string
}

// ThreadCommand is (thread $T (shared (module $M))* command*) from the
// threads proposal's scripts: run Commands in a new thread that sees only
// the Shared module instances of the enclosing script.
type ThreadCommand struct {
	Pos      Pos
	ID       string
	Shared   []string
	Commands []Command
}

// WaitCommand is (wait $T): wait until thread $T has finished.
type WaitCommand struct {
	Pos    Pos
	Thread string
}

func (c *ModuleCommand) Position() Pos         { return c.Module.Pos }
func (c *ModuleInstanceCommand) Position() Pos { return c.Pos }
func (c *RegisterCommand) Position() Pos       { return c.Pos }
func (c *ActionCommand) Position() Pos         { return c.Action.Pos }
func (c *AssertReturn) Position() Pos          { return c.Pos }
func (c *AssertTrap) Position() Pos            { return c.Pos }
func (c *AssertExhaustion) Position() Pos      { return c.Pos }
func (c *AssertException) Position() Pos       { return c.Pos }
func (c *AssertInvalid) Position() Pos         { return c.Pos }
func (c *AssertMalformed) Position() Pos       { return c.Pos }
func (c *AssertUnlinkable) Position() Pos      { return c.Pos }
func (c *AssertUninstantiable) Position() Pos  { return c.Pos }

func (c *ThreadCommand) Position() Pos  { return c.Pos }
func (c *WaitCommand) Position() Pos    { return c.Pos }
func (*ThreadCommand) command()         {}
func (*WaitCommand) command()           {}
func (*ModuleCommand) command()         {}
func (*ModuleInstanceCommand) command() {}
func (*RegisterCommand) command()       {}
func (*ActionCommand) command()         {}
func (*AssertReturn) command()          {}
func (*AssertTrap) command()            {}
func (*AssertExhaustion) command()      {}
func (*AssertException) command()       {}
func (*AssertInvalid) command()         {}
func (*AssertMalformed) command()       {}
func (*AssertUnlinkable) command()      {}
func (*AssertUninstantiable) command()  {}

// Value is a concrete argument or result value.
//
// Numbers keep their bits: i32 and f32 in the low 32 bits of Lo (upper bits
// zero), i64 and f64 in Lo, v128 in Lo (bytes 0-7, little-endian) and Hi
// (bytes 8-15). References: Null is set for ref.null (Type is then the
// nullable reference type of the written heap type: wasm.FuncRef,
// wasm.ExternRef, or a general reference type); otherwise Ref is the host
// payload N of (ref.extern N) (Type wasm.ExternRef) or (ref.host N) (Type
// is the reference type of HeapAny, see Host).
type Value struct {
	Type   wasm.ValType
	Lo, Hi uint64
	Null   bool
	Ref    uint32
	// Host is set for (ref.host N), the 3.0 scripts' host reference that
	// is not an extern reference.
	Host bool
}

// V128 returns the 16 bytes of a v128 value.
func (v Value) V128() [16]byte {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], v.Lo)
	binary.LittleEndian.PutUint64(b[8:], v.Hi)
	return b
}

// I32 returns the value's low 32 bits.
func (v Value) I32() uint32 { return uint32(v.Lo) }

// NaNKind is the NaN pattern an expected float result may require.
type NaNKind byte

// NaN patterns.
const (
	NaNNone       NaNKind = iota // an exact value
	NaNCanonical                 // nan:canonical: a canonical NaN of either sign
	NaNArithmetic                // nan:arithmetic: any NaN with the top payload bit set
)

// Shape is the lane interpretation of a v128 constant or pattern.
type Shape byte

// V128 shapes.
const (
	ShapeI8x16 Shape = iota
	ShapeI16x8
	ShapeI32x4
	ShapeI64x2
	ShapeF32x4
	ShapeF64x2
)

// Lanes returns the number of lanes of the shape.
func (s Shape) Lanes() int { return [...]int{16, 8, 4, 2, 4, 2}[s] }

// LaneBits returns the width in bits of one lane.
func (s Shape) LaneBits() int { return 128 / s.Lanes() }

// IsFloat reports whether the lanes are floats.
func (s Shape) IsFloat() bool { return s == ShapeF32x4 || s == ShapeF64x2 }

// String returns the text name ("i8x16", ...).
func (s Shape) String() string {
	return [...]string{"i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"}[s]
}

// ResultKind says how an expected result is matched.
type ResultKind byte

// Result kinds.
const (
	// ResultValue: the actual value must equal Value: same bits for
	// numbers and v128, both null (same Type) for ref.null, same payload
	// for ref.extern N / ref.host N.
	ResultValue ResultKind = iota
	// ResultNaN: an f32 or f64 (Value.Type) NaN matching NaN.
	ResultNaN
	// ResultLanes: a v128 whose lanes of shape Shape each match either
	// the lane's bits in Value (when LaneNaN[i] is NaNNone) or the NaN
	// pattern LaneNaN[i]. Only float shapes produce this kind; an all-exact
	// v128 pattern is a ResultValue.
	ResultLanes
	// ResultRefNull: any null reference ((ref.null) without heap type in
	// 3.0 scripts). With a heap type the result is a ResultValue.
	ResultRefNull
	// ResultRef: any non-null reference whose heap type is Heap:
	// (ref.func), (ref.extern) without payload, (ref.struct), (ref.array),
	// (ref.i31), (ref.eq), (ref.any).
	ResultRef
	// ResultEither: the actual value must match one of Either.
	ResultEither
)

// Result is an expected result of assert_return.
type Result struct {
	Pos  Pos
	Kind ResultKind
	// Value is the exact value (ResultValue); for ResultNaN its Type is
	// the float type, for ResultLanes it holds the exact lanes, for
	// ResultRef its Type is the non-null reference type of Heap.
	Value Value
	NaN   NaNKind // ResultNaN
	// Shape is the lane shape a v128 result was written with (also for
	// an exact ResultValue, to print it the same way).
	Shape   Shape
	LaneNaN [16]NaNKind   // ResultLanes: the pattern of each lane
	Heap    wasm.HeapType // ResultRef, and ref.null results
	Either  []Result      // ResultEither
}

// Abstract heap types of the 3.0 text format, as package wasm defines them
// (kept here for the users of Value and Result).
const (
	HeapAny      = wasm.HeapAny
	HeapEq       = wasm.HeapEq
	HeapI31      = wasm.HeapI31
	HeapStruct   = wasm.HeapStruct
	HeapArray    = wasm.HeapArray
	HeapNone     = wasm.HeapNone
	HeapNoExtern = wasm.HeapNoExtern
	HeapNoFunc   = wasm.HeapNoFunc
	HeapExn      = wasm.HeapExn
	HeapNoExn    = wasm.HeapNoExn
)
