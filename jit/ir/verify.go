package ir

import (
	"errors"
	"fmt"
)

// Verify checks the function's invariants and returns every violation
// found (joined), or nil:
//   - every block is terminated, belongs to f and has its index as ID;
//   - value IDs are unique, each value's Block is the block holding it;
//   - operations have the right number and types of arguments;
//   - edges pass as many values as the target has parameters, of the
//     parameter types; the entry block is no branch target; returns match
//     the signature's results;
//   - in reachable blocks, every use is dominated by its definition
//     (earlier in the same block, or in a dominating block).
func Verify(f *Func) error {
	v := verifier{f: f, seen: map[int]*Value{}}
	v.run()
	return errors.Join(v.errs...)
}

type verifier struct {
	f    *Func
	errs []error
	seen map[int]*Value
	cfg  *CFG
	pos  map[*Value]int // index in the block: params -1, instructions 0..
}

func (v *verifier) errorf(b *Block, format string, args ...any) {
	if len(v.errs) < 50 {
		v.errs = append(v.errs, fmt.Errorf("%s: b%d: %s", v.f.Name, b.ID, fmt.Sprintf(format, args...)))
	}
}

func (v *verifier) run() {
	f := v.f
	if len(f.Blocks) == 0 {
		v.errs = append(v.errs, fmt.Errorf("%s: no blocks", f.Name))
		return
	}
	entry := f.Entry()
	if len(entry.Params) != len(f.Sig.Params) {
		v.errorf(entry, "entry has %d parameters, signature %d", len(entry.Params), len(f.Sig.Params))
	} else {
		for i, p := range entry.Params {
			if p.Type != f.Sig.Params[i] {
				v.errorf(entry, "entry parameter %d is %v, signature says %v", i, p.Type, f.Sig.Params[i])
			}
		}
	}
	v.pos = map[*Value]int{}
	for i, b := range f.Blocks {
		if b.ID != i || b.Func != f {
			v.errorf(b, "block at index %d has ID %d or belongs to another function", i, b.ID)
		}
		for _, p := range b.Params {
			v.define(b, p, -1)
			if p.Op != OpParam {
				v.errorf(b, "parameter v%d has op %v", p.ID, p.Op)
			}
		}
		for j, in := range b.Insts {
			v.define(b, in, j)
			v.checkInst(b, in)
		}
		v.checkTerm(b)
	}
	if len(v.errs) > 0 {
		return // dominance on a malformed graph would only add noise
	}
	v.cfg = ComputeCFG(f)
	for _, b := range v.cfg.RPO {
		for j, in := range b.Insts {
			for _, a := range in.Args {
				v.checkDom(b, j, a, in)
			}
		}
		end := len(b.Insts)
		if b.Term.Cond != nil {
			v.checkDom(b, end, b.Term.Cond, nil)
		}
		for _, e := range b.Term.Succs {
			for _, a := range e.Args {
				v.checkDom(b, end, a, nil)
			}
		}
		for _, a := range b.Term.Rets {
			v.checkDom(b, end, a, nil)
		}
	}
}

func (v *verifier) define(b *Block, val *Value, pos int) {
	if prev, dup := v.seen[val.ID]; dup {
		v.errorf(b, "value ID v%d defined twice (%v and %v)", val.ID, prev.Op, val.Op)
	}
	v.seen[val.ID] = val
	v.pos[val] = pos
	if val.Block != b {
		v.errorf(b, "v%d records another block", val.ID)
	}
}

// checkDom checks that def dominates a use at position pos of block b.
func (v *verifier) checkDom(b *Block, pos int, def *Value, user *Value) {
	what := "terminator"
	if user != nil {
		what = fmt.Sprintf("v%d", user.ID)
	}
	dpos, known := v.pos[def]
	switch {
	case !known || def.Block == nil:
		v.errorf(b, "%s uses v%d, which is in no block of the function", what, def.ID)
	case def.Block == b:
		if dpos >= pos {
			v.errorf(b, "%s uses v%d before its definition", what, def.ID)
		}
	case !v.cfg.Reachable(def.Block) || !v.cfg.Dominates(def.Block, b):
		v.errorf(b, "%s uses v%d from b%d, which does not dominate it", what, def.ID, def.Block.ID)
	}
}

func (v *verifier) checkInst(b *Block, in *Value) {
	argc := func(n int) bool {
		if len(in.Args) != n {
			v.errorf(b, "v%d = %v has %d arguments, want %d", in.ID, in.Op, len(in.Args), n)
			return false
		}
		for _, a := range in.Args {
			if a == nil {
				v.errorf(b, "v%d = %v has a nil argument", in.ID, in.Op)
				return false
			}
		}
		return true
	}
	want := func(cond bool, format string, args ...any) {
		if !cond {
			v.errorf(b, "v%d = %v: %s", in.ID, in.Op, fmt.Sprintf(format, args...))
		}
	}
	if in.Op == OpInvalid || in.Op >= numOps {
		v.errorf(b, "v%d has invalid op %d", in.ID, in.Op)
		return
	}
	info := &opInfos[in.Op]
	switch info.class {
	case classBinary:
		if argc(2) {
			want(in.Type.IsInt() && in.Args[0].Type == in.Type && in.Args[1].Type == in.Type,
				"(%v, %v) -> %v, want one integer type", in.Args[0].Type, in.Args[1].Type, in.Type)
		}
		return
	case classUnary:
		if argc(1) {
			want(in.Type.IsInt() && in.Args[0].Type == in.Type, "%v -> %v", in.Args[0].Type, in.Type)
		}
		return
	case classTest:
		if argc(1) {
			want(in.Type == I32 && in.Args[0].Type.IsInt(), "%v -> %v", in.Args[0].Type, in.Type)
		}
		return
	case classCompare:
		if argc(2) {
			want(in.Type == I32 && in.Args[0].Type.IsInt() && in.Args[1].Type == in.Args[0].Type,
				"(%v, %v) -> %v", in.Args[0].Type, in.Args[1].Type, in.Type)
		}
		return
	case classFBinary:
		if argc(2) {
			want(in.Type.IsFloat() && in.Args[0].Type == in.Type && in.Args[1].Type == in.Type,
				"(%v, %v) -> %v, want one float type", in.Args[0].Type, in.Args[1].Type, in.Type)
		}
		return
	case classFUnary:
		if argc(1) {
			want(in.Type.IsFloat() && in.Args[0].Type == in.Type, "%v -> %v", in.Args[0].Type, in.Type)
		}
		return
	case classFCompare:
		if argc(2) {
			want(in.Type == I32 && in.Args[0].Type.IsFloat() && in.Args[1].Type == in.Args[0].Type,
				"(%v, %v) -> %v", in.Args[0].Type, in.Args[1].Type, in.Type)
		}
		return
	case classCast:
		if argc(1) {
			want(castOK(in.Op, in.Args[0].Type, in.Type), "%v -> %v", in.Args[0].Type, in.Type)
		}
		return
	case classConvert:
		if argc(1) {
			from, to := info.from, info.to
			if from == None {
				from, to = in.Type, in.Type
				want(in.Type.IsInt(), "on %v", in.Type)
			}
			want(in.Args[0].Type == from && in.Type == to, "%v -> %v, want %v -> %v", in.Args[0].Type, in.Type, from, to)
		}
		return
	}
	switch in.Op {
	case OpV128Make, OpSIMD, OpSIMDLoad, OpSIMDStore:
		v.checkSIMD(b, in)
	case OpParam:
		v.errorf(b, "parameter v%d among the instructions", in.ID)
	case OpConst:
		if argc(0) {
			want(in.Type != None && in.Type != V128, "constant of type %v", in.Type)
			if in.Type == I32 || in.Type == F32 {
				want(uint64(in.Aux)>>32 == 0, "32-bit constant with bits %#x", uint64(in.Aux))
			}
		}
	case OpSelect:
		if argc(3) {
			want(in.Args[0].Type == in.Type && in.Args[1].Type == in.Type && in.Args[2].Type == I32 && in.Type != None,
				"(%v, %v, %v) -> %v", in.Args[0].Type, in.Args[1].Type, in.Args[2].Type, in.Type)
		}
	case OpLoad:
		if argc(1) {
			_, size, signed := in.Access()
			want(in.Args[0].Type == I32 && (in.Type.IsInt() || in.Type.IsFloat()), "load %v from %v", in.Type, in.Args[0].Type)
			want(size == 1 || size == 2 || size == 4 || size == 8, "load of %d bytes", size)
			want(size*8 <= in.Type.Bits() && (in.Type.IsInt() || size*8 == in.Type.Bits() && !signed), "%v load of %d bytes", in.Type, size)
		}
	case OpStore:
		if argc(2) {
			_, size, _ := in.Access()
			t := in.Args[1].Type
			want(in.Type == None && in.Args[0].Type == I32 && (t.IsInt() || t.IsFloat()), "store %v at %v", t, in.Args[0].Type)
			want(size == 1 || size == 2 || size == 4 || size == 8, "store of %d bytes", size)
			want(size*8 <= t.Bits() && (t.IsInt() || size*8 == t.Bits()), "%v store of %d bytes", t, size)
		}
	case OpMemorySize:
		if argc(0) {
			want(in.Type == I32, "of type %v", in.Type)
		}
	case OpMemoryGrow:
		if argc(1) {
			want(in.Type == I32 && in.Args[0].Type == I32, "(%v) -> %v", in.Args[0].Type, in.Type)
		}
	case OpGlobalGet:
		if argc(0) {
			want(in.Type != None, "of type none")
		}
	case OpGlobalSet:
		if argc(1) {
			want(in.Type == None && in.Args[0].Type != None, "sets %v, result %v", in.Args[0].Type, in.Type)
		}
	case OpCall, OpCallIndirect:
		if in.Sig == nil {
			v.errorf(b, "%v v%d without a signature", in.Op, in.ID)
			return
		}
		np := len(in.Sig.Params)
		extra := 0
		if in.Op == OpCallIndirect {
			extra = 1 // the element index
		}
		if argc(np + extra) {
			for i, a := range in.Args[:np] {
				want(a.Type == in.Sig.Params[i], "argument %d is %v, want %v", i, a.Type, in.Sig.Params[i])
			}
			if extra == 1 {
				want(in.Args[np].Type == I32, "element index of type %v", in.Args[np].Type)
			}
		}
		switch len(in.Sig.Results) {
		case 0:
			want(in.Type == None, "result %v for a callee without results", in.Type)
		case 1:
			want(in.Type == in.Sig.Results[0], "result %v, callee returns %v", in.Type, in.Sig.Results[0])
		default:
			want(in.Type == None, "result %v for a callee with several results (see OpCallResult)", in.Type)
		}
	case OpCallResult:
		v.checkCallResult(b, in, argc, want)
	default:
		if in.Op.IsRuntime() {
			v.checkRuntime(b, in, argc, want)
		}
	}
}

func (v *verifier) checkTerm(b *Block) {
	t := &b.Term
	edges := 0
	switch t.Kind {
	case TermNone:
		v.errorf(b, "not terminated")
		return
	case TermJump:
		edges = 1
	case TermBranch:
		edges = 2
	case TermBrTable:
		if len(t.Succs) == 0 {
			v.errorf(b, "br_table without a default")
		}
		edges = len(t.Succs)
	case TermReturn:
		if len(t.Rets) != len(v.f.Sig.Results) {
			v.errorf(b, "returns %d values, signature has %d", len(t.Rets), len(v.f.Sig.Results))
		} else {
			for i, r := range t.Rets {
				if r == nil || r.Type != v.f.Sig.Results[i] {
					v.errorf(b, "return value %d is not of type %v", i, v.f.Sig.Results[i])
				}
			}
		}
	case TermTrap:
		if t.Trap == 0 {
			v.errorf(b, "trap without a code")
		}
	default:
		v.errorf(b, "bad terminator kind %d", t.Kind)
	}
	if len(t.Succs) != edges {
		v.errorf(b, "%v with %d successors, want %d", t.Kind, len(t.Succs), edges)
	}
	if (t.Kind == TermBranch || t.Kind == TermBrTable) != (t.Cond != nil) {
		v.errorf(b, "%v: condition presence is wrong", t.Kind)
	} else if t.Cond != nil && t.Cond.Type != I32 {
		v.errorf(b, "%v on a %v", t.Kind, t.Cond.Type)
	}
	for _, e := range t.Succs {
		if e.To == nil || e.To.Func != v.f || e.To.ID >= len(v.f.Blocks) || v.f.Blocks[e.To.ID] != e.To {
			v.errorf(b, "edge to a block outside the function")
			continue
		}
		if e.To == v.f.Entry() {
			v.errorf(b, "edge to the entry block")
		}
		if len(e.Args) != len(e.To.Params) {
			v.errorf(b, "passes %d values to b%d, which has %d parameters", len(e.Args), e.To.ID, len(e.To.Params))
			continue
		}
		for i, a := range e.Args {
			if a == nil || a.Type != e.To.Params[i].Type {
				v.errorf(b, "argument %d to b%d is not of type %v", i, e.To.ID, e.To.Params[i].Type)
			}
		}
	}
}
