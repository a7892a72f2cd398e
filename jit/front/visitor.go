package front

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// DeadCode tracks the instructions a compiler skips: dead code (after
// an unconditional branch, return or unreachable) up to the else or end
// that may make code reachable again, and the whole of blocks opened in
// it. The zero value is ready.
type DeadCode struct{ depth int } // nesting depth of blocks opened in dead code

// Skip reports whether op, in the state s, is to be skipped.
func (d *DeadCode) Skip(op wasm.Opcode, s *validator.State) bool {
	if d.depth > 0 {
		switch op {
		case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
			d.depth++
		case wasm.OpEnd:
			d.depth--
		}
		return true
	}
	if !s.Unreachable {
		return false
	}
	switch op {
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
		d.depth = 1
		return true
	case wasm.OpElse, wasm.OpEnd:
		return false
	}
	return true
}

// ErrUnsupported is wrapped by the error for a function using an
// instruction or type the front end does not compile yet; the engine runs
// such a function in the interpreter.
var ErrUnsupported = errors.New("jit: not supported by the compiler yet")

// Visitor is a validator.FuncVisitor that builds one function's IR while
// the validator type-checks it. Use a new Visitor per function.
type Visitor struct {
	fn         *ir.Func
	localTypes []ir.Type
	blocks     []*blockInfo // by block ID
	cur        *ir.Block    // block being filled; terminated in dead code
	stack      []*ir.Value  // operand stack
	frames     []frame
	dead       DeadCode
	done       bool
	err        error                // why the function cannot be compiled (wraps ErrUnsupported)
	sc         *scratch             // between Begin and End (scratchPool)
	defs       map[defKey]*ir.Value // the current value of each local written or read in a block
}

// frame is an open control construct.
type frame struct {
	kind validator.FrameKind
	// target of a branch to this label: the loop header for loops, the
	// continuation after end otherwise.
	target *ir.Block
	cont   *ir.Block // continuation after end; its stack parameters are the results
	els    *ir.Block // if: the else branch's entry until else is seen
	height int       // operand stack height below the frame's parameters
	params []*ir.Value
	arity  int // values a branch to this label passes
}

// New returns a visitor for one function.
func New() *Visitor { return &Visitor{} }

// Func is the built function after End, or nil with Err set when the
// function uses something the compiler does not support yet.
func (v *Visitor) Func() *ir.Func {
	if v.err != nil {
		return nil
	}
	return v.fn
}

// Err says why the function was not compiled (it wraps ErrUnsupported),
// or is nil. Unsupported functions do not fail validation: the visitor
// stops building and the engine runs them in the interpreter.
func (v *Visitor) Err() error { return v.err }

// giveUp records an unsupported construct; other errors are returned.
func (v *Visitor) giveUp(err error) error {
	if errors.Is(err, ErrUnsupported) {
		v.err = err
		return nil
	}
	return err
}

func unsupported(what string) error { return fmt.Errorf("%w: %s", ErrUnsupported, what) }

func irTypes(ts []wasm.ValType) ([]ir.Type, error) {
	out := make([]ir.Type, len(ts))
	for i, t := range ts {
		it, ok := irType(t)
		if !ok {
			return nil, unsupported(fmt.Sprintf("value type %v", t))
		}
		out[i] = it
	}
	return out, nil
}

// Begin starts the function: its entry block defines the parameters and
// zeroes the other locals.
func (v *Visitor) Begin(f *validator.Func) error { return v.giveUp(v.begin(f)) }

func (v *Visitor) begin(f *validator.Func) error {
	params, err := irTypes(f.Type.Params)
	if err != nil {
		return err
	}
	results, err := irTypes(f.Type.Results)
	if err != nil {
		return err
	}
	if v.localTypes, err = irTypes(f.Locals); err != nil {
		return err
	}
	v.fn = ir.NewFunc(fmt.Sprintf("f%d", f.Index), ir.Signature{Params: params, Results: results})
	v.sc = scratchPool.Get().(*scratch)
	v.defs, v.blocks, v.stack, v.frames = v.sc.defs, v.sc.blocks, v.sc.stack, v.sc.frames
	entry := v.fn.Entry()
	bi := v.info(entry)
	bi.sealed = true
	for i, p := range entry.Params {
		v.writeLocal(i, entry, p)
	}
	for i := len(params); i < len(v.localTypes); i++ {
		v.writeLocal(i, entry, zero(entry, v.localTypes[i]))
	}
	ret := v.newBlock(results, false)
	ret.Return(ret.Params...)
	v.cur = entry
	v.frames = append(v.frames, frame{kind: validator.FrameFunc, target: ret, cont: ret, arity: len(results)})
	return nil
}

// End completes the edges and checks that the function was closed.
func (v *Visitor) End(*validator.Func) error {
	if v.err != nil {
		v.release()
		return nil
	}
	if !v.done {
		return errors.New("jit/front: function body ended without its final end")
	}
	v.finishEdges()
	v.release()
	return nil
}

func (v *Visitor) push(val *ir.Value) { v.stack = append(v.stack, val) }

func (v *Visitor) pop() *ir.Value {
	val := v.stack[len(v.stack)-1]
	v.stack = v.stack[:len(v.stack)-1]
	return val
}

func (v *Visitor) top(n int) []*ir.Value { return v.stack[len(v.stack)-n:] }

// terminate records the terminator just set on the current block.
func (v *Visitor) terminate() { v.linked(v.cur) }

// labelEdge is an edge for a branch to relative depth, passing the top
// values of the stack.
func (v *Visitor) labelEdge(depth uint32) ir.Edge {
	f := &v.frames[len(v.frames)-1-int(depth)]
	return edge(f.target, v.top(f.arity))
}

// Instr translates one validated instruction.
func (v *Visitor) Instr(in *wasm.Instr, s *validator.State) error {
	if v.err != nil {
		return nil
	}
	return v.giveUp(v.instr(in, s))
}

func (v *Visitor) instr(in *wasm.Instr, s *validator.State) error {
	op := in.Op
	if v.fn != nil {
		v.fn.Pos = int32(in.Offset)
	}
	if v.dead.Skip(op, s) {
		return nil
	}
	if no, ok := numericOf(op); ok {
		return v.numeric(no)
	}
	if op.Prefix() == byte(wasm.PrefixSIMD) {
		return v.simd(in)
	}
	switch op {
	case wasm.OpNop:
	case wasm.OpUnreachable:
		v.cur.Trap(ir.TrapUnreachable)
		v.terminate()
	case wasm.OpBlock, wasm.OpLoop, wasm.OpIf:
		return v.open(op, s)
	case wasm.OpElse:
		f := &v.frames[len(v.frames)-1]
		if !s.Unreachable {
			v.cur.Jump(f.cont, v.top(f.arity)...)
			v.terminate()
		}
		v.cur, f.els = f.els, nil
		v.stack = append(v.stack[:f.height], f.params...)
	case wasm.OpEnd:
		v.end(s)
	case wasm.OpBr:
		e := v.labelEdge(in.Index)
		v.cur.Jump(e.To, e.Args...)
		v.terminate()
	case wasm.OpBrIf:
		cond := v.pop()
		next := v.newBlock(nil, true)
		v.cur.Branch(cond, v.labelEdge(in.Index), edge(next, nil))
		v.terminate()
		v.cur = next
	case wasm.OpBrTable:
		index := v.pop()
		edges := make([]ir.Edge, 0, len(in.Labels)+1)
		for _, l := range in.Labels {
			edges = append(edges, v.labelEdge(l))
		}
		edges = append(edges, v.labelEdge(in.Index))
		v.cur.BrTable(index, edges)
		v.terminate()
	case wasm.OpReturn:
		e := v.labelEdge(uint32(len(v.frames) - 1))
		v.cur.Jump(e.To, e.Args...)
		v.terminate()
	case wasm.OpDrop:
		v.pop()
	case wasm.OpSelect, wasm.OpSelectT:
		cond, b := v.pop(), v.pop()
		a := v.pop()
		v.push(v.cur.Append(ir.OpSelect, a.Type, 0, a, b, cond))
	case wasm.OpLocalGet:
		v.push(v.readLocal(int(in.Index), v.cur))
	case wasm.OpLocalSet:
		v.writeLocal(int(in.Index), v.cur, v.pop())
	case wasm.OpLocalTee:
		v.writeLocal(int(in.Index), v.cur, v.stack[len(v.stack)-1])
	case wasm.OpGlobalGet:
		t, ok := irType(s.Out[0])
		if !ok {
			return unsupported(fmt.Sprintf("global of type %v", s.Out[0]))
		}
		v.push(v.cur.Append(ir.OpGlobalGet, t, int64(in.Index)))
	case wasm.OpGlobalSet:
		val := v.pop()
		v.cur.Append(ir.OpGlobalSet, ir.None, int64(in.Index), val)
	case wasm.OpI32Const:
		v.push(v.cur.Const(ir.I32, in.Const))
	case wasm.OpI64Const:
		v.push(v.cur.Const(ir.I64, in.Const))
	case wasm.OpF32Const:
		v.push(v.cur.Const(ir.F32, in.Const))
	case wasm.OpF64Const:
		v.push(v.cur.Const(ir.F64, in.Const))
	case wasm.OpCall, wasm.OpCallIndirect:
		return v.call(in, s, op == wasm.OpCallIndirect)
	case wasm.OpMemorySize:
		if in.Index != 0 || s.Out[0] != wasm.I32 {
			return unsupported("memory.size of a memory other than a 32-bit memory 0")
		}
		v.push(v.cur.Append(ir.OpMemorySize, ir.I32, 0))
	case wasm.OpMemoryGrow:
		if in.Index != 0 || s.Out[0] != wasm.I32 {
			return unsupported("memory.grow of a memory other than a 32-bit memory 0")
		}
		v.push(v.cur.Append(ir.OpMemoryGrow, ir.I32, 0, v.pop()))
	default:
		if op >= wasm.OpI32Load && op <= wasm.OpI64Store32 {
			return v.memory(in)
		}
		if rop, ok := runtimeOps[op]; ok {
			return v.runtime(in, s, rop)
		}
		return unsupported(op.Info().Name)
	}
	return nil
}

// memory builds a load or store of memory 0 (the opcodes from i32.load
// to i64.store32: loads, then stores, each named with its width and
// "_s" for sign extension).
func (v *Visitor) memory(in *wasm.Instr) error {
	info := in.Op.Info()
	if in.Mem.Memory != 0 || in.Mem.Offset > math.MaxUint32 {
		return unsupported(info.Name + " of a memory other than memory 0 or with a 64-bit offset")
	}
	signed := strings.HasSuffix(info.Name, "_s")
	if in.Op <= wasm.OpI64Load32U {
		t, _ := irType(info.Out[0])
		addr := v.pop()
		if addr.Type != ir.I32 {
			return unsupported(info.Name + " with a 64-bit address")
		}
		v.push(v.cur.Append(ir.OpLoad, t, ir.MemAux(uint32(in.Mem.Offset), int(info.Size), signed), addr))
		return nil
	}
	val := v.pop()
	addr := v.pop()
	if addr.Type != ir.I32 {
		return unsupported(info.Name + " with a 64-bit address")
	}
	v.cur.Append(ir.OpStore, ir.None, ir.MemAux(uint32(in.Mem.Offset), int(info.Size), false), addr, val)
	return nil
}

func (v *Visitor) numeric(no numericOp) error {
	n := no.op.Arity()
	val := v.cur.Append(no.op, no.to, 0, v.top(n)...) // Append copies the arguments
	v.stack = v.stack[:len(v.stack)-n]
	v.push(val)
	return nil
}

// call builds call and, with indirect, call_indirect through a 32-bit
// table (the element index is the last argument).
func (v *Visitor) call(in *wasm.Instr, s *validator.State, indirect bool) error {
	params, err := irTypes(s.Callee.Params)
	if err != nil {
		return err
	}
	results, err := irTypes(s.Callee.Results)
	if err != nil {
		return err
	}
	var elem *ir.Value
	if indirect {
		if elem = v.pop(); elem.Type != ir.I32 {
			return unsupported("call_indirect through a 64-bit table")
		}
	}
	args := append([]*ir.Value(nil), v.top(len(params))...)
	v.stack = v.stack[:len(v.stack)-len(params)]
	sig := &ir.Signature{Params: params, Results: results}
	var call *ir.Value
	if indirect {
		t := ir.None
		if len(results) == 1 {
			t = results[0]
		}
		call = v.cur.Append(ir.OpCallIndirect, t, int64(in.Index)|int64(in.Index2)<<32, append(args, elem)...)
		call.Sig = sig
	} else {
		call = v.cur.Call(in.Index, sig, args...)
	}
	switch len(results) {
	case 1:
		v.push(call)
	case 0:
	default:
		for i, t := range results {
			v.push(v.cur.Append(ir.OpCallResult, t, int64(i), call))
		}
	}
	return nil
}

// open starts a block, loop or if.
func (v *Visitor) open(op wasm.Opcode, s *validator.State) error {
	params, err := irTypes(s.BlockType.Params)
	if err != nil {
		return err
	}
	results, err := irTypes(s.BlockType.Results)
	if err != nil {
		return err
	}
	var cond *ir.Value
	if op == wasm.OpIf {
		cond = v.pop()
	}
	f := frame{kind: validator.FrameBlock, height: len(v.stack) - len(params), arity: len(results)}
	f.cont = v.newBlock(results, false)
	f.target = f.cont
	switch op {
	case wasm.OpLoop:
		f.kind = validator.FrameLoop
		header := v.newBlock(params, false)
		v.cur.Jump(header, v.top(len(params))...)
		v.terminate()
		v.cur = header
		v.stack = append(v.stack[:f.height], header.Params...)
		f.target, f.arity = header, len(params)
	case wasm.OpIf:
		f.kind = validator.FrameIf
		then := v.newBlock(nil, true)
		f.els = v.newBlock(nil, true)
		v.cur.Branch(cond, edge(then, nil), edge(f.els, nil))
		v.terminate()
		v.cur = then
		// Both branches start from the values below the if, which the
		// branching block defines: no parameters needed.
		f.params = append([]*ir.Value(nil), v.top(len(params))...)
	}
	v.frames = append(v.frames, f)
	return nil
}

// end closes the innermost frame: the current block (if reachable) and an
// if's missing else branch jump to the continuation, which takes over.
func (v *Visitor) end(s *validator.State) {
	f := v.frames[len(v.frames)-1]
	v.frames = v.frames[:len(v.frames)-1]
	if !s.Unreachable {
		v.cur.Jump(f.cont, v.top(len(f.cont.Params))...)
		v.terminate()
	}
	if f.els != nil { // if without else: parameters pass through
		v.cur = f.els
		v.cur.Jump(f.cont, f.params...)
		v.terminate()
	}
	if f.kind == validator.FrameLoop {
		v.seal(f.target)
	}
	v.seal(f.cont)
	v.cur = f.cont
	v.stack = append(v.stack[:f.height], f.cont.Params...)
	if f.kind == validator.FrameFunc {
		v.done = true
	}
}
