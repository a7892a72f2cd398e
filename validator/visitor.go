package validator

import "github.com/kilnrt/kiln/wasm"

// FuncVisitor receives a function body instruction by instruction while the
// validator checks it, so that an engine translates in the same pass and
// never needs a type checker of its own.
//
// The validator calls Begin once, then Instr for every instruction of the
// body (including block, loop, if, else and the final end) after the
// instruction has been type-checked, then End. After a visitor returns an
// error it is called no more (nor are visitors of later functions created),
// but validation goes on to the end of the module without visitors: if the
// module turns out invalid, the validation error is returned, otherwise the
// first visitor error, wrapped with the function index. An engine that
// cannot translate an instruction therefore never hides an invalid module.
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
// Later proposals (their instructions only appear when enabled):
//
//   - return_call, return_call_indirect, return_call_ref: In as for the
//     call, Callee = the callee's type, Out empty (the rest of the frame
//     is dead code). call_ref: In = parameters followed by the function
//     reference, Out = results, Callee = the type of the type immediate.
//   - ref.as_non_null: In = [t], Out = [t made non-nullable].
//     br_on_null: In = label types followed by the reference, Out = the
//     label types followed by the non-nullable reference (left when not
//     taken). br_on_non_null: In = label types without the last, then the
//     reference; Out = those label types (the reference is dropped when
//     the branch is not taken). ref.eq: In = [eqref eqref], Out = [i32].
//   - throw: In = the tag's parameters, Tag = the tag's function type.
//     throw_ref: In = [exnref]. try_table: like block (In/Out = the
//     parameters, BlockType); in.Catches lists the clauses, and
//     Label(c.Label) is the target of each clause as seen from outside
//     the try_table; TagTypes[i] is the type of clause i's tag (nil for
//     catch_all and catch_all_ref).
//   - legacy exceptions: try is like block (frame kind FrameTry); catch:
//     In = the try body's results, Out = the tag's parameters, Tag = the
//     tag's type, Label(0) = the try frame (Kind FrameTry, or FrameCatch
//     for a second catch), after which the frame's kind is FrameCatch;
//     catch_all likewise with Out empty and Tag nil. delegate: In = the
//     body's results, Out = results pushed to the enclosing frame,
//     Label(0) = the try frame, BlockType; the target is in.Index counted
//     from the frame enclosing the try (Label(in.Index+1)). rethrow:
//     Label(in.Index) is the catch frame whose exception is rethrown.
//   - struct and array instructions: In and Out as in the typing rules
//     (packed fields read and written as i32), Composite = the type
//     immediate's definition (for array.copy the destination type;
//     Composite2 the source type).
//   - ref.test, ref.cast: In = [the operand], Out = [i32] or the cast
//     type; CastType = the target type (nullable for the null forms).
//     br_on_cast, br_on_cast_fail: In = label types without the last,
//     then the operand; Out = the same types followed by the type left
//     on the stack when the branch is not taken; CastType = in.CastTo.
//   - any.convert_extern, extern.convert_any, ref.i31, i31.get_s/u: In
//     and Out as in the typing rules.
//   - atomic memory instructions (threads): In = wasm.OpInfo.In with the
//     address type of the memory, Out = wasm.OpInfo.Out, like loads and
//     stores.
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
	// BlockType is the resolved type of the block a structured
	// instruction opens (block, loop, if, try_table, try) or continues or
	// closes (else, end, catch, catch_all, delegate).
	BlockType *wasm.FuncType
	// Callee is the type of the function called by call, call_indirect,
	// call_ref and their tail-call forms.
	Callee *wasm.FuncType
	// Depth is the number of open control frames before the instruction;
	// the function body itself is frame 1.
	Depth int

	// Tag is the function type of the tag of throw and the legacy catch.
	Tag *wasm.FuncType
	// TagTypes are the types of the tags of try_table's catch clauses, in
	// clause order (nil for catch_all and catch_all_ref).
	TagTypes []*wasm.FuncType
	// Composite is the definition of the type immediate of struct and
	// array instructions; Composite2 the source type of array.copy.
	Composite, Composite2 *wasm.SubType
	// CastType is the target type of ref.test, ref.cast, br_on_cast and
	// br_on_cast_fail.
	CastType wasm.ValType

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
	FrameTryTable // try_table (exception handling)
	FrameTry      // legacy try, before its first catch
	FrameCatch    // legacy try after catch or catch_all
)
