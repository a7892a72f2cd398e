package opt

import "github.com/kilnrt/kiln/jit/ir"

// Fold evaluates operations whose arguments are constants (with the IR's
// reference semantics, ir.EvalOp; an operation that would trap is left to
// trap at run time), applies algebraic identities (x+0, x*1, x&-1, x*0,
// select of one value), moves the constant of a commutative operation to
// the right, and turns branches on constants into jumps. It reports
// whether it changed anything. Replaced instructions are deleted; blocks
// that became unreachable are left for RemoveUnreachableBlocks.
func Fold(f *ir.Func) bool {
	var repl replacements
	changed := false
	for _, b := range ir.ReversePostorder(f) {
		for _, v := range b.Insts {
			for i, a := range v.Args {
				v.Args[i] = repl.resolve(a)
			}
			if foldValue(f, v, &repl) {
				changed = true
			}
		}
		if b.Term.Cond != nil {
			b.Term.Cond = repl.resolve(b.Term.Cond)
		}
		if foldBranch(b) {
			changed = true
		}
	}
	if repl != nil {
		f.ReplaceUses(repl.resolve)
		for _, b := range f.Blocks {
			kept := b.Insts[:0]
			for _, v := range b.Insts {
				if !repl.has(v) {
					kept = append(kept, v)
				}
			}
			b.Insts = kept
		}
	}
	return changed
}

func isConst(v *ir.Value) bool { return v.Op == ir.OpConst }

// ones is the all-ones bit pattern of an integer type.
func ones(t ir.Type) uint64 {
	if t == ir.I32 {
		return 0xFFFF_FFFF
	}
	return ^uint64(0)
}

func foldValue(f *ir.Func, v *ir.Value, repl *replacements) bool {
	switch v.Op {
	case ir.OpConst, ir.OpParam, ir.OpGlobalGet, ir.OpGlobalSet, ir.OpCall, ir.OpLoad, ir.OpStore, ir.OpMemorySize, ir.OpMemoryGrow, ir.OpCallIndirect:
		return false
	}
	allConst := true
	for _, a := range v.Args {
		allConst = allConst && isConst(a)
	}
	if allConst && len(v.Args) > 0 {
		var buf [3]uint64
		bits := buf[:0]
		for _, a := range v.Args {
			bits = append(bits, uint64(a.Aux))
		}
		if r, ok := ir.EvalOp(v.Op, v.Args[0].Type, v.Type, bits...); ok {
			v.Op, v.Args, v.Aux = ir.OpConst, nil, int64(r)
			return true
		}
		return false
	}
	if v.Op == ir.OpSelect {
		switch {
		case isConst(v.Args[2]):
			if uint32(v.Args[2].Aux) != 0 {
				repl.set(f, v, v.Args[0])
			} else {
				repl.set(f, v, v.Args[1])
			}
			return true
		case v.Args[0] == v.Args[1]:
			repl.set(f, v, v.Args[0])
			return true
		}
		return false
	}
	if !v.Op.IsBinary() && !v.Op.IsCompare() {
		return false
	}
	x, y := v.Args[0], v.Args[1]
	changed := false
	if v.Op.Commutative() && isConst(x) && !isConst(y) {
		v.Args[0], v.Args[1] = y, x
		x, y = y, x
		changed = true
	}
	if !isConst(y) || !v.Op.IsBinary() {
		return changed
	}
	c := uint64(y.Aux)
	switch {
	case c == 0 && (v.Op == ir.OpAdd || v.Op == ir.OpSub || v.Op == ir.OpOr || v.Op == ir.OpXor ||
		v.Op == ir.OpShl || v.Op == ir.OpShrS || v.Op == ir.OpShrU || v.Op == ir.OpRotl || v.Op == ir.OpRotr),
		c == 1 && (v.Op == ir.OpMul || v.Op == ir.OpDivS || v.Op == ir.OpDivU),
		c == ones(v.Type) && v.Op == ir.OpAnd:
		repl.set(f, v, x)
		return true
	case c == 0 && (v.Op == ir.OpMul || v.Op == ir.OpAnd):
		v.Op, v.Args, v.Aux = ir.OpConst, nil, 0
		return true
	}
	return changed
}

// foldBranch turns a branch whose outcome is known into a jump.
func foldBranch(b *ir.Block) bool {
	t := &b.Term
	var e ir.Edge
	switch {
	case t.Kind == ir.TermBranch && isConst(t.Cond):
		e = t.Succs[1]
		if uint32(t.Cond.Aux) != 0 {
			e = t.Succs[0]
		}
	case t.Kind == ir.TermBranch && sameEdge(t.Succs[0], t.Succs[1]):
		e = t.Succs[0]
	case t.Kind == ir.TermBrTable && isConst(t.Cond):
		i := uint64(uint32(t.Cond.Aux))
		if i >= uint64(len(t.Succs)-1) {
			i = uint64(len(t.Succs) - 1)
		}
		e = t.Succs[i]
	default:
		return false
	}
	b.Jump(e.To, e.Args...)
	return true
}

func sameEdge(a, b ir.Edge) bool {
	if a.To != b.To || len(a.Args) != len(b.Args) {
		return false
	}
	for i := range a.Args {
		if !sameValue(a.Args[i], b.Args[i]) {
			return false
		}
	}
	return true
}
