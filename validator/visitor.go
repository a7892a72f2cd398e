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

// Func describes the function being visited. Each function gets its own
// Func and Locals slice, so visitors may keep them.
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
// It is owned by the validator and only valid during the Instr call; the
// same State is reused for every instruction. Its slices (In, Out, Label
// types, BlockType, Callee) must not be modified; they may alias the
// module's types, the function's Locals or buffers reused by the next
// instruction, so copy what must outlive the call.
//
// What the validator provides, by instruction group (Height, Depth and
// Unreachable always; In and Out are empty unless listed):
//
//   - block, loop: In = the block's parameters, Out = the same parameters
//     (pushed again inside the new frame), BlockType = the resolved type.
//     Label(0) is still the enclosing frame; the new frame starts at
//     height Height-len(params).
//   - if: In = parameters followed by the i32 condition, Out = parameters,
//     BlockType = the resolved type.
//   - else: In = the then-branch results popped, Out = the parameters
//     pushed again for the else branch, BlockType = the if's type,
//     Label(0) = the if frame (Kind FrameIf, its Height).
//   - end: In = the frame's results popped, Out = the results pushed to
//     the enclosing frame (for the function's final end, the values
//     returned), BlockType = the frame's type (the function's type for the
//     final end), Label(0) = the frame being closed: its Kind tells a loop,
//     a block, an if without else (FrameIf) or with else (FrameElse).
//   - br: In = the label's types; Label(Index) is the target.
//   - br_if: In = the label's types followed by the i32 condition, Out =
//     the label's types (they stay on the stack when not taken).
//   - br_table: In = the default label's types followed by the i32 index;
//     Label(l) for each of in.Labels and for in.Index.
//   - return: In = the function's results.
//   - call: In = the callee's parameters, Out = its results, Callee = its
//     type. call_indirect: In = parameters followed by the i32 table
//     index, Out = results, Callee = the type of the type index.
//   - drop: In = the dropped type. select (both forms): In = [t t i32],
//     Out = [t] (t is Unknown for an untyped select in dead code whose
//     operands are both Unknown).
//   - local.get: Out = the local's type; local.set: In = it; local.tee:
//     both. global.get / global.set likewise with the global's type.
//   - table.get/set/size/grow/fill/copy/init, elem.drop, ref.null,
//     ref.is_null, ref.func: In and Out as in the specification's typing
//     rules, with the table's element type for t.
//   - every other instruction (numeric, memory, bulk memory, SIMD,
//     constants): In = wasm.OpInfo.In, Out = wasm.OpInfo.Out.
//   - unreachable, nop, data.drop, elem.drop: nothing popped or pushed.
//
// In dead code (Unreachable set) In lists what was really popped, so
// operands taken from the polymorphic stack are Unknown; engines that emit
// nothing for dead code may ignore In and Out there.
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
// (0 is the innermost frame), before the instruction was applied. A depth
// of Depth or more yields the zero Label.
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
