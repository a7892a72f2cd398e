package validator

import "github.com/kilnrt/kiln/wasm"

// FuncVisitor receives a function body instruction by instruction while the
// validator checks it, so that an engine translates in the same pass and
// never needs a type checker of its own.
//
// The validator calls Begin once, then Instr for every instruction of the
// body (including block, loop, if, else and the final end) after the
// instruction has been type-checked, then End. An error returned by the
// visitor aborts validation and is returned wrapped with the function index.
type FuncVisitor interface {
	Begin(f *Func) error
	Instr(in *wasm.Instr, s *State) error
	End(f *Func) error
}

// Func describes the function being visited.
type Func struct {
	Index uint32 // in the function index space
	Type  *wasm.FuncType
	// Locals lists the type of every local, parameters first.
	Locals []wasm.ValType
	// MaxHeight is the largest operand stack height reached in the body;
	// it is set when End is called.
	MaxHeight int
}

// State describes the operand and control stacks around one instruction.
// It is owned by the validator and only valid during the Instr call.
type State struct {
	// Height is the operand stack height, counted from the function's
	// frame (locals excluded), before the instruction popped anything.
	Height int
	// Unreachable is set when the instruction is in dead code: after an
	// unconditional branch, return or unreachable in the current block.
	// Engines may emit nothing for it (but must still track block nesting).
	Unreachable bool
	// In lists the types of the values the instruction popped, deepest
	// first; Out the types it pushed, deepest first. In dead code, values
	// popped from the polymorphic stack have type Unknown.
	In  []wasm.ValType
	Out []wasm.ValType
	// BlockType is the resolved type of block, loop and if instructions.
	BlockType *wasm.FuncType
	// Callee is the type of the function called by call and call_indirect.
	Callee *wasm.FuncType
	// Depth is the number of open control frames before the instruction;
	// the function body itself is frame 1.
	Depth int

	labels func(depth uint32) Label
}

// Unknown is the type of a value popped from the polymorphic stack of dead
// code.
const Unknown wasm.ValType = 0

// Label returns the control frame that a branch to relative depth refers to
// (0 is the innermost frame), before the instruction was applied.
func (s *State) Label(depth uint32) Label { return s.labels(depth) }

// Label is a control frame as seen by a branch.
type Label struct {
	Kind FrameKind
	// Height is the operand stack height at the frame's start, below its
	// parameters.
	Height int
	// Types are the label's types: the parameters of a loop, the results
	// of every other frame.
	Types []wasm.ValType
}

// FrameKind is the kind of a control frame.
type FrameKind byte

// Control frame kinds.
const (
	FrameFunc FrameKind = iota
	FrameBlock
	FrameLoop
	FrameIf
	FrameElse
)
