package ir

// Value is an SSA value: a block parameter or the result of an
// instruction. Instructions without a result (Type None) are Values too,
// so that every instruction has one representation and an identity.
type Value struct {
	ID    int
	Op    Op
	Type  Type
	Args  []*Value
	Aux   int64      // constant bits, global or function index
	Sig   *Signature // OpCall: the callee's type
	Block *Block
	args  [3]*Value // Args' storage while it has at most three
	// Pos is the byte offset in the module binary of the wasm
	// instruction the value comes from (Func.Pos when it was made): a
	// trap's or call's position in backtraces.
	Pos int32
}

// Signature is a function type.
type Signature struct {
	Params, Results []Type
}

// Block is a basic block: parameters, instructions in order, then one
// terminator. Control flow passes values to a block through its
// parameters (no phi instructions).
type Block struct {
	ID     int
	Params []*Value
	Insts  []*Value
	Term   Term
	Func   *Func
}

// TermKind is the kind of a block terminator.
type TermKind uint8

// Terminators. A block under construction has TermNone.
const (
	TermNone    TermKind = iota
	TermJump             // to Succs[0]
	TermBranch           // Cond != 0 ? Succs[0] : Succs[1]
	TermBrTable          // Succs[Cond] if Cond < len(Succs)-1, else the last (default)
	TermReturn           // return Rets
	TermTrap             // stop with Trap
)

var termNames = [...]string{TermNone: "<none>", TermJump: "jump", TermBranch: "br_if", TermBrTable: "br_table", TermReturn: "return", TermTrap: "trap"}

func (k TermKind) String() string {
	if int(k) < len(termNames) {
		return termNames[k]
	}
	return "TermKind(?)"
}

// Edge is a control-flow edge with the values passed to the target's
// parameters.
type Edge struct {
	To   *Block
	Args []*Value
}

// Term ends a block.
type Term struct {
	Kind  TermKind
	Cond  *Value // TermBranch: condition; TermBrTable: index
	Succs []Edge
	Rets  []*Value
	Trap  TrapCode
	Pos   int32 // TermTrap: the trapping instruction's byte offset (Value.Pos)
}

// Func is one function in SSA form. Blocks[0] is the entry; its
// parameters are the function's parameters.
type Func struct {
	Name   string
	Sig    Signature
	Blocks []*Block
	// Pos is the position (Value.Pos) given to the values and traps made
	// from now on; the front end sets it before each instruction.
	Pos    int32
	nextID int
	mem    chunks // where values, blocks and their slices come from (recycle.go)
}

// slabSize is how many values newValue allocates at once: a function's
// values live and die together, and one allocation per value was a
// large part of the JIT's compile time (allocation and collection).
const slabSize = 64

// ptrChunk is the size of the chunks Grow carves slices from.
const ptrChunk = 1024

// Grow returns s with room for at least n more values. A slice that must
// move is carved from an arena of the function (capped, so that an
// append past its end copies instead of overwriting a neighbour): the
// IR's many short slices (instructions, parameters, edge arguments)
// then cost no allocation each.
func (f *Func) Grow(s []*Value, n int) []*Value {
	if cap(s)-len(s) >= n {
		return s
	}
	size := max(4, 2*cap(s), len(s)+n)
	if size > ptrChunk/4 {
		return append(make([]*Value, 0, size), s...)
	}
	return append(f.mem.ptrSlice(size), s...)
}

// NewFunc returns a function with an entry block whose parameters have
// the signature's parameter types.
func NewFunc(name string, sig Signature) *Func {
	f := &Func{Name: name, Sig: sig}
	entry := f.NewBlock()
	for _, t := range sig.Params {
		entry.AddParam(t)
	}
	return f
}

// Entry is the entry block.
func (f *Func) Entry() *Block { return f.Blocks[0] }

// NewBlock appends an empty block.
func (f *Func) NewBlock() *Block {
	b := f.mem.block()
	*b = Block{ID: len(f.Blocks), Func: f}
	f.Blocks = append(f.Blocks, b)
	return b
}

func (f *Func) newValue(b *Block, op Op, t Type, aux int64, args []*Value) *Value {
	v := f.mem.value()
	*v = Value{ID: f.nextID, Op: op, Type: t, Aux: aux, Block: b, Pos: f.Pos}
	if len(args) <= len(v.args) {
		v.Args = append(v.args[:0:len(args)], args...)
	} else {
		v.Args = append(f.Grow(nil, len(args)), args...)
	}
	if len(args) == 0 {
		v.Args = nil
	}
	f.nextID++
	return v
}

// NumValues is one more than the largest value ID: the size for tables
// indexed by ID.
func (f *Func) NumValues() int { return f.nextID }

// AddParam appends a parameter of type t.
func (b *Block) AddParam(t Type) *Value {
	v := b.Func.newValue(b, OpParam, t, 0, nil)
	b.Params = append(b.Func.Grow(b.Params, 1), v)
	return v
}

// Append adds an instruction at the end of the block.
func (b *Block) Append(op Op, t Type, aux int64, args ...*Value) *Value {
	v := b.Func.newValue(b, op, t, aux, args)
	b.Insts = append(b.Func.Grow(b.Insts, 1), v)
	return v
}

// Prepend adds an instruction at the start of the block.
func (b *Block) Prepend(op Op, t Type, aux int64, args ...*Value) *Value {
	v := b.Func.newValue(b, op, t, aux, args)
	b.Insts = append(append(b.Func.Grow(nil, len(b.Insts)+1), v), b.Insts...)
	return v
}

// Const appends a constant. i32 bits are truncated to 32.
func (b *Block) Const(t Type, bits uint64) *Value {
	if t == I32 || t == F32 {
		bits = uint64(uint32(bits))
	}
	return b.Append(OpConst, t, int64(bits))
}

// Binary appends an integer binary operation of x's type.
func (b *Block) Binary(op Op, x, y *Value) *Value { return b.Append(op, x.Type, 0, x, y) }

// Unary appends an integer unary operation of x's type.
func (b *Block) Unary(op Op, x *Value) *Value { return b.Append(op, x.Type, 0, x) }

// Compare appends a comparison; the result is i32.
func (b *Block) Compare(op Op, x, y *Value) *Value { return b.Append(op, I32, 0, x, y) }

// Call appends a call of function index fn.
func (b *Block) Call(fn uint32, sig *Signature, args ...*Value) *Value {
	t := None
	if len(sig.Results) == 1 {
		t = sig.Results[0]
	}
	v := b.Append(OpCall, t, int64(fn), args...)
	v.Sig = sig
	return v
}

// Jump ends the block with a jump to to.
func (b *Block) Jump(to *Block, args ...*Value) {
	b.Term = Term{Kind: TermJump, Succs: []Edge{{To: to, Args: b.clone(args)}}}
}

// Branch ends the block with a two-way branch on cond.
func (b *Block) Branch(cond *Value, then Edge, els Edge) {
	then.Args, els.Args = b.clone(then.Args), b.clone(els.Args)
	b.Term = Term{Kind: TermBranch, Cond: cond, Succs: []Edge{then, els}}
}

// BrTable ends the block with a table branch on index; the last edge is
// the default.
func (b *Block) BrTable(index *Value, edges []Edge) {
	succs := make([]Edge, len(edges))
	for i, e := range edges {
		succs[i] = Edge{To: e.To, Args: b.clone(e.Args)}
	}
	b.Term = Term{Kind: TermBrTable, Cond: index, Succs: succs}
}

// Return ends the block by returning vals.
func (b *Block) Return(vals ...*Value) { b.Term = Term{Kind: TermReturn, Rets: b.clone(vals)} }

// Trap ends the block with a trap.
func (b *Block) Trap(code TrapCode) { b.Term = Term{Kind: TermTrap, Trap: code, Pos: b.Func.Pos} }

// Terminated reports whether the block has its terminator.
func (b *Block) Terminated() bool { return b.Term.Kind != TermNone }

func (b *Block) clone(vs []*Value) []*Value {
	if len(vs) == 0 {
		return nil
	}
	return append(b.Func.Grow(nil, len(vs)), vs...)
}

// Succs lists the block of every successor edge, in order
// (a block may appear more than once).
func (b *Block) Succs() []*Block {
	out := make([]*Block, len(b.Term.Succs))
	for i, e := range b.Term.Succs {
		out[i] = e.To
	}
	return out
}

// Uses calls f for every use of a value by an instruction or a
// terminator of the block.
func (b *Block) Uses(f func(v *Value)) {
	for _, in := range b.Insts {
		for _, a := range in.Args {
			f(a)
		}
	}
	if b.Term.Cond != nil {
		f(b.Term.Cond)
	}
	for _, e := range b.Term.Succs {
		for _, a := range e.Args {
			f(a)
		}
	}
	for _, a := range b.Term.Rets {
		f(a)
	}
}

// ReplaceUses rewrites every use of a value for which repl returns a
// different value, in instructions and terminators of all blocks.
func (f *Func) ReplaceUses(repl func(v *Value) *Value) {
	sub := func(vs []*Value) {
		for i, v := range vs {
			vs[i] = repl(v)
		}
	}
	for _, b := range f.Blocks {
		for _, in := range b.Insts {
			sub(in.Args)
		}
		if b.Term.Cond != nil {
			b.Term.Cond = repl(b.Term.Cond)
		}
		for _, e := range b.Term.Succs {
			sub(e.Args)
		}
		sub(b.Term.Rets)
	}
}
