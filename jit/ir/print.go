package ir

import (
	"fmt"
	"strings"
)

// String prints the function in a stable text form, for tests and
// debugging:
//
//	func add1(i32) -> (i32)
//	b0(v0:i32):
//	  v1:i32 = const 1
//	  v2:i32 = add v0, v1
//	  return v2
func (f *Func) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "func %s(%s) -> (%s)\n", f.Name, types(f.Sig.Params), types(f.Sig.Results))
	for _, b := range f.Blocks {
		b.print(&sb)
	}
	return sb.String()
}

func types(ts []Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, ", ")
}

func (b *Block) print(sb *strings.Builder) {
	params := make([]string, len(b.Params))
	for i, p := range b.Params {
		params[i] = fmt.Sprintf("v%d:%v", p.ID, p.Type)
	}
	fmt.Fprintf(sb, "b%d(%s):\n", b.ID, strings.Join(params, ", "))
	for _, v := range b.Insts {
		sb.WriteString("  ")
		sb.WriteString(v.LongString())
		sb.WriteByte('\n')
	}
	sb.WriteString("  ")
	sb.WriteString(b.Term.String())
	sb.WriteByte('\n')
}

func (v *Value) String() string { return fmt.Sprintf("v%d", v.ID) }

// LongString is the value's defining line: "v3:i32 = add v1, v2".
func (v *Value) LongString() string {
	var sb strings.Builder
	if v.Type != None {
		fmt.Fprintf(&sb, "v%d:%v = ", v.ID, v.Type)
	}
	sb.WriteString(v.Op.String())
	switch v.Op {
	case OpConst:
		sb.WriteByte(' ')
		sb.WriteString(constString(v.Type, uint64(v.Aux)))
	case OpGlobalGet, OpGlobalSet, OpCall:
		fmt.Fprintf(&sb, " %d", v.Aux)
	case OpCallIndirect:
		fmt.Fprintf(&sb, " type=%d table=%d", uint32(v.Aux), v.Aux>>32)
	case OpCallResult:
		fmt.Fprintf(&sb, " %d", v.Aux)
	case OpMemoryInit, OpTableCopy, OpTableInit:
		fmt.Fprintf(&sb, " %d %d", uint32(v.Aux), v.Aux>>32)
	case OpDataDrop, OpTableGet, OpTableSet, OpTableSize, OpTableGrow, OpTableFill, OpElemDrop, OpRefFunc:
		fmt.Fprintf(&sb, " %d", v.Aux)
	case OpLoad, OpStore:
		off, size, signed := v.Access()
		fmt.Fprintf(&sb, " %d", size*8)
		if signed {
			sb.WriteString("_s")
		}
		fmt.Fprintf(&sb, " offset=%d", off)
		if unchecked, extra := v.BoundsCheck(); unchecked {
			sb.WriteString(" unchecked")
		} else if extra > 0 {
			fmt.Fprintf(&sb, " check+%d", extra)
		}
	case OpSIMD, OpSIMDLoad, OpSIMDStore:
		sb.WriteString(simdString(v))
	}
	for i, a := range v.Args {
		if i == 0 {
			sb.WriteByte(' ')
		} else {
			sb.WriteString(", ")
		}
		sb.WriteString(a.String())
	}
	return sb.String()
}

func constString(t Type, bits uint64) string {
	switch t {
	case I32:
		return fmt.Sprint(int32(bits))
	case I64:
		return fmt.Sprint(int64(bits))
	}
	return fmt.Sprintf("%#x", bits)
}

func (e Edge) String() string {
	return fmt.Sprintf("b%d(%s)", e.To.ID, valueList(e.Args))
}

func valueList(vs []*Value) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = v.String()
	}
	return strings.Join(s, ", ")
}

func (t Term) String() string {
	switch t.Kind {
	case TermJump:
		return "jump " + t.Succs[0].String()
	case TermBranch:
		return fmt.Sprintf("br_if %v, %v, %v", t.Cond, t.Succs[0], t.Succs[1])
	case TermBrTable:
		s := make([]string, len(t.Succs))
		for i, e := range t.Succs {
			s[i] = e.String()
		}
		return fmt.Sprintf("br_table %v, [%s]", t.Cond, strings.Join(s, ", "))
	case TermReturn:
		if len(t.Rets) == 0 {
			return "return"
		}
		return "return " + valueList(t.Rets)
	case TermTrap:
		return "trap " + t.Trap.String()
	}
	return "<unterminated>"
}
