package validator

import "github.com/kilnrt/kiln/wasm"

// Typing rules of the GC instructions: structs, arrays, casts, i31 and the
// conversions between the any and extern hierarchies.

var (
	eqRef    = wasm.RefType(true, wasm.HeapEq)
	arrayRef = wasm.RefType(true, wasm.HeapArray)
	i31Ref   = wasm.RefType(true, wasm.HeapI31)
)

// checkGC types a GC instruction (or ref.eq): it checks the immediates,
// then pops the operand types and pushes the result types the typing rule
// gives.
func (c *funcChecker) checkGC(in *wasm.Instr, s *State) error {
	mc := c.mc
	want, out := c.wantBuf[:0], c.outBuf[:0]
	fail := func(err error) error { return c.errorf("%v", err) }
	switch in.Op {
	case wasm.OpRefEq:
		want = append(want, eqRef, eqRef)
		out = append(out, wasm.I32)
	case wasm.OpStructNew, wasm.OpStructNewDefault, wasm.OpArrayNew, wasm.OpArrayNewDefault, wasm.OpArrayNewFixed:
		ins, res, err := mc.allocOperands(in)
		if err != nil {
			return fail(err)
		}
		s.Composite = &mc.m.SubTypes[in.Index]
		want = append(want, ins...)
		out = append(out, res)
	case wasm.OpStructGet, wasm.OpStructGetS, wasm.OpStructGetU, wasm.OpStructSet:
		st, err := mc.compositeAt(in.Index, wasm.CompStruct)
		if err != nil {
			return fail(err)
		}
		if uint64(in.Index2) >= uint64(len(st.Fields)) {
			return c.errorf("unknown field %d", in.Index2)
		}
		s.Composite = st
		f := st.Fields[in.Index2]
		ref := wasm.RefType(true, wasm.HeapType(in.Index))
		if err := c.checkPacked(in.Op, f, wasm.OpStructGet, wasm.OpStructSet); err != nil {
			return err
		}
		if in.Op == wasm.OpStructSet {
			if !f.Mutable {
				return c.errorf("field is immutable")
			}
			want = append(want, ref, f.Type.Unpacked())
		} else {
			want = append(want, ref)
			out = append(out, f.Type.Unpacked())
		}
	case wasm.OpArrayNewData, wasm.OpArrayNewElem, wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU,
		wasm.OpArraySet, wasm.OpArrayFill, wasm.OpArrayCopy, wasm.OpArrayInitData, wasm.OpArrayInitElem:
		st, err := mc.compositeAt(in.Index, wasm.CompArray)
		if err != nil {
			return fail(err)
		}
		s.Composite = st
		f := st.Fields[0]
		et := f.Type.Unpacked()
		ref := wasm.RefType(true, wasm.HeapType(in.Index))
		switch in.Op {
		case wasm.OpArraySet, wasm.OpArrayFill, wasm.OpArrayCopy, wasm.OpArrayInitData, wasm.OpArrayInitElem:
			if !f.Mutable {
				return c.errorf("array is immutable")
			}
		}
		switch in.Op {
		case wasm.OpArrayNewData, wasm.OpArrayInitData:
			if f.Type.IsRef() {
				return c.mismatch("array type is not numeric or vector")
			}
			if err := c.checkData(in.Index2); err != nil {
				return err
			}
		case wasm.OpArrayNewElem, wasm.OpArrayInitElem:
			seg, err := c.elemSegment(in.Index2)
			if err != nil {
				return err
			}
			if !mc.matches(seg.Type, f.Type) {
				return c.mismatch("elem segment of %s for an array of %s", seg.Type, f.Type)
			}
		}
		switch in.Op {
		case wasm.OpArrayNewData, wasm.OpArrayNewElem:
			want = append(want, wasm.I32, wasm.I32)
			out = append(out, wasm.RefType(false, wasm.HeapType(in.Index)))
		case wasm.OpArrayGet, wasm.OpArrayGetS, wasm.OpArrayGetU:
			if err := c.checkPacked(in.Op, f, wasm.OpArrayGet, wasm.OpArraySet); err != nil {
				return err
			}
			want = append(want, ref, wasm.I32)
			out = append(out, et)
		case wasm.OpArraySet:
			want = append(want, ref, wasm.I32, et)
		case wasm.OpArrayFill:
			want = append(want, ref, wasm.I32, et, wasm.I32)
		case wasm.OpArrayCopy:
			src, err := mc.compositeAt(in.Index2, wasm.CompArray)
			if err != nil {
				return fail(err)
			}
			s.Composite2 = src
			sf := src.Fields[0]
			ok := sf.Type == f.Type
			if !ok && !sf.Type.IsPacked() && !f.Type.IsPacked() {
				ok = mc.matches(sf.Type, f.Type)
			}
			if !ok {
				return c.mismatch("array types do not match: array.copy from an array of %s to an array of %s", sf.Type, f.Type)
			}
			want = append(want, ref, wasm.I32, wasm.RefType(true, wasm.HeapType(in.Index2)), wasm.I32, wasm.I32)
		case wasm.OpArrayInitData, wasm.OpArrayInitElem:
			want = append(want, ref, wasm.I32, wasm.I32, wasm.I32)
		}
	case wasm.OpArrayLen:
		want = append(want, arrayRef)
		out = append(out, wasm.I32)
	case wasm.OpRefTest, wasm.OpRefTestNull, wasm.OpRefCast, wasm.OpRefCastNull:
		null := in.Op == wasm.OpRefTestNull || in.Op == wasm.OpRefCastNull
		rt, err := mc.heapRefType(in.Heap, null)
		if err != nil {
			return fail(err)
		}
		s.CastType = rt
		want = append(want, wasm.RefType(true, mc.topHeap(in.Heap)))
		if in.Op == wasm.OpRefTest || in.Op == wasm.OpRefTestNull {
			out = append(out, wasm.I32)
		} else {
			out = append(out, rt)
		}
	case wasm.OpBrOnCast, wasm.OpBrOnCastFail:
		c.wantBuf, c.outBuf = want, out
		return c.checkBrOnCast(in, s)
	case wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
		from, to := wasm.HeapExtern, wasm.HeapAny
		if in.Op == wasm.OpExternConvertAny {
			from, to = to, from
		}
		t, err := c.pop(wasm.RefType(true, from))
		if err != nil {
			return err
		}
		res := wasm.RefType(t == Unknown || t.Nullable(), to)
		c.push(res)
		s.In, s.Out = list(&c.inBuf, t), list(&c.outBuf, res)
		return nil
	case wasm.OpRefI31:
		want = append(want, wasm.I32)
		out = append(out, wasm.RefType(false, wasm.HeapI31))
	case wasm.OpI31GetS, wasm.OpI31GetU:
		want = append(want, i31Ref)
		out = append(out, wasm.I32)
	default:
		return c.errorf("unknown operator %s", in.Op)
	}
	c.wantBuf, c.outBuf = want, out
	var err error
	if s.In, err = c.popTypes(want, &c.inBuf); err != nil {
		return err
	}
	c.pushAll(out)
	s.Out = out
	return nil
}

// checkPacked checks that the plain get reads an unpacked field and the
// signed and unsigned gets a packed one.
func (c *funcChecker) checkPacked(op wasm.Opcode, f wasm.FieldType, get, set wasm.Opcode) error {
	packed := f.Type.IsPacked()
	switch {
	case op == set:
		return nil
	case op == get && packed:
		return c.mismatch("field is packed: use the _s or _u form")
	case op != get && !packed:
		return c.mismatch("field is not packed")
	}
	return nil
}

// checkBrOnCast types br_on_cast and br_on_cast_fail.
func (c *funcChecker) checkBrOnCast(in *wasm.Instr, s *State) error {
	mc := c.mc
	f, err := c.labelFrame(in.Index)
	if err != nil {
		return err
	}
	if err := mc.checkRefType(in.CastFrom); err != nil {
		return c.errorf("%v", err)
	}
	if err := mc.checkRefType(in.CastTo); err != nil {
		return c.errorf("%v", err)
	}
	if !mc.matches(in.CastTo, in.CastFrom) {
		return c.mismatch("cast type %s does not match the operand type %s", in.CastTo, in.CastFrom)
	}
	// diff is the operand type with the cast type removed.
	diff := in.CastFrom
	if in.CastTo.Nullable() {
		diff = nonNull(in.CastFrom)
	}
	branch, stay := in.CastTo, diff
	if in.Op == wasm.OpBrOnCastFail {
		branch, stay = diff, in.CastTo
	}
	lt := f.labelTypes()
	if len(lt) == 0 {
		return c.mismatch("%s target %d takes no values", in.Op, in.Index)
	}
	if !mc.matches(branch, lt[len(lt)-1]) {
		return c.mismatch("%s delivers %s to a label of %s", in.Op, branch, typeList(lt))
	}
	t, err := c.pop(in.CastFrom)
	if err != nil {
		return err
	}
	rest := lt[:len(lt)-1]
	if err := c.keepBranchValues(rest, t, s); err != nil {
		return err
	}
	c.push(stay)
	out := append(c.outBuf[:0], rest...)
	c.outBuf = append(out, stay)
	s.Out, s.CastType = c.outBuf, in.CastTo
	return nil
}
