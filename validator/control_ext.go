package validator

import "github.com/kilnrt/kiln/wasm"

// Typing rules of the control instructions of later proposals: tail calls,
// typed function references and exception handling.

// checkTailResults checks that the callee's results match the function's:
// a tail call returns them to the caller.
func (c *funcChecker) checkTailResults(ft *wasm.FuncType) error {
	if !c.mc.matchesAll(ft.Results, c.results) {
		return c.mismatch("tail call returns %s, the function returns %s", typeList(ft.Results), typeList(c.results))
	}
	return nil
}

// checkCall types call and return_call.
func (c *funcChecker) checkCall(in *wasm.Instr, s *State) error {
	ft := c.mc.funcType(in.Index)
	if ft == nil {
		return c.errorf("unknown function %d", in.Index)
	}
	tail := in.Op == wasm.OpReturnCall
	if tail {
		if err := c.checkTailResults(ft); err != nil {
			return err
		}
	}
	return c.applyCall(ft, tail, s)
}

// applyCall pops the callee's parameters into s.In and sets s.Callee; a
// call then pushes the results, a tail call ends the frame.
func (c *funcChecker) applyCall(ft *wasm.FuncType, tail bool, s *State) error {
	var err error
	if s.In, err = c.popTypes(ft.Params, &c.inBuf); err != nil {
		return err
	}
	s.Callee = ft
	if tail {
		c.setUnreachable()
		return nil
	}
	c.pushAll(ft.Results)
	s.Out = ft.Results
	return nil
}

// checkCallRef types call_ref and return_call_ref.
func (c *funcChecker) checkCallRef(in *wasm.Instr, s *State) error {
	if _, err := c.mc.compositeAt(in.Index, wasm.CompFunc); err != nil {
		return c.errorf("%v", err)
	}
	ft := &c.mc.m.Types[in.Index]
	tail := in.Op == wasm.OpReturnCallRef
	if tail {
		if err := c.checkTailResults(ft); err != nil {
			return err
		}
	}
	ref, err := c.pop(wasm.RefType(true, wasm.HeapType(in.Index)))
	if err != nil {
		return err
	}
	if err := c.applyCall(ft, tail, s); err != nil {
		return err
	}
	s.In = c.appendIn(s.In, ref)
	return nil
}

// popRef pops a reference of any type (Unknown in dead code).
func (c *funcChecker) popRef() (wasm.ValType, error) {
	t, err := c.popAny()
	if err != nil {
		return 0, err
	}
	if t != Unknown && !t.IsRef() {
		return 0, c.mismatch("expected a reference, got %s", t)
	}
	return t, nil
}

// nonNull returns t without null (Unknown stays Unknown).
func nonNull(t wasm.ValType) wasm.ValType {
	if t == Unknown {
		return Unknown
	}
	return wasm.RefType(false, t.Heap())
}

// checkRefAsNonNull types ref.as_non_null.
func (c *funcChecker) checkRefAsNonNull(s *State) error {
	t, err := c.popRef()
	if err != nil {
		return err
	}
	nt := nonNull(t)
	c.push(nt)
	s.In, s.Out = list(&c.inBuf, t), list(&c.outBuf, nt)
	return nil
}

// checkBrOnNull types br_on_null and br_on_non_null.
func (c *funcChecker) checkBrOnNull(in *wasm.Instr, s *State) error {
	f, err := c.labelFrame(in.Index)
	if err != nil {
		return err
	}
	t, err := c.popRef()
	if err != nil {
		return err
	}
	lt := f.labelTypes()
	if in.Op == wasm.OpBrOnNull {
		if err := c.keepBranchValues(lt, t, s); err != nil {
			return err
		}
		c.push(nonNull(t))
		out := append(c.outBuf[:0], lt...)
		c.outBuf = append(out, nonNull(t))
		s.Out = c.outBuf
		return nil
	}
	// br_on_non_null: the label's last type receives the non-null
	// reference.
	if len(lt) == 0 || !lt[len(lt)-1].IsRef() {
		return c.mismatch("br_on_non_null target %d must take a reference last, it takes %s", in.Index, typeList(lt))
	}
	if !c.mc.matches(nonNull(t), lt[len(lt)-1]) {
		return c.mismatch("expected %s, got %s", lt[len(lt)-1], nonNull(t))
	}
	rest := lt[:len(lt)-1]
	if err := c.keepBranchValues(rest, t, s); err != nil {
		return err
	}
	s.Out = rest
	return nil
}

// tagType returns the function type of tag idx.
func (c *funcChecker) tagType(idx uint32) (*wasm.FuncType, error) {
	if uint64(idx) >= uint64(len(c.mc.tags)) {
		return nil, c.errorf("unknown tag %d", idx)
	}
	return &c.mc.m.Types[c.mc.tags[idx]], nil
}

// checkThrow types throw and throw_ref.
func (c *funcChecker) checkThrow(in *wasm.Instr, s *State) error {
	if in.Op == wasm.OpThrowRef {
		t, err := c.pop(wasm.ExnRef)
		if err != nil {
			return err
		}
		s.In = list(&c.inBuf, t)
		c.setUnreachable()
		return nil
	}
	ft, err := c.tagType(in.Index)
	if err != nil {
		return err
	}
	if s.In, err = c.popTypes(ft.Params, &c.inBuf); err != nil {
		return err
	}
	s.Tag = ft
	c.setUnreachable()
	return nil
}

// checkTryTable types try_table: each catch clause must deliver what its
// label expects; then it is a block.
func (c *funcChecker) checkTryTable(in *wasm.Instr, s *State) error {
	bt, err := c.blockType(in.Block)
	if err != nil {
		return err
	}
	exn := wasm.RefType(false, wasm.HeapExn)
	tagTypes := c.tagBuf[:0]
	for _, cl := range in.Catches {
		f, err := c.labelFrame(cl.Label)
		if err != nil {
			return err
		}
		var vals []wasm.ValType
		var ft *wasm.FuncType
		if cl.Kind == wasm.CatchTag || cl.Kind == wasm.CatchTagRef {
			if ft, err = c.tagType(cl.Tag); err != nil {
				return err
			}
			vals = append(c.wantBuf[:0], ft.Params...)
		} else {
			vals = c.wantBuf[:0]
		}
		if cl.Kind == wasm.CatchTagRef || cl.Kind == wasm.CatchAllRef {
			vals = append(vals, exn)
		}
		c.wantBuf = vals
		if lt := f.labelTypes(); !c.mc.matchesAll(vals, lt) {
			return c.mismatch("catch clause delivers %s to a label of %s", typeList(vals), typeList(lt))
		}
		tagTypes = append(tagTypes, ft)
	}
	c.tagBuf = tagTypes
	if s.In, err = c.popTypes(bt.Params, &c.inBuf); err != nil {
		return err
	}
	s.Out, s.BlockType, s.TagTypes = bt.Params, bt, tagTypes
	c.pendingKind, c.pendingType, c.pending = FrameTryTable, bt, postPushFrame
	return nil
}

// checkLegacyCatch types catch and catch_all of the legacy try: like else,
// they end the previous part of the try and start a handler with the tag's
// values on the stack.
func (c *funcChecker) checkLegacyCatch(in *wasm.Instr, s *State) error {
	f := &c.ctrls[len(c.ctrls)-1]
	if f.kind != FrameTry && f.kind != FrameCatch {
		return &malformedError{c.errorf("misplaced %s", in.Op)}
	}
	var ft *wasm.FuncType
	if in.Op == wasm.OpCatch {
		var err error
		if ft, err = c.tagType(in.Index); err != nil {
			return err
		}
	}
	popped, err := c.checkFrameEnd(f)
	if err != nil {
		return err
	}
	s.In, s.BlockType, s.Tag = popped, f.typ, ft
	if ft != nil {
		s.Out = ft.Params
	}
	c.pendingCatch = ft
	c.pending = postCatch
	return nil
}

// checkDelegate types delegate, which ends a legacy try.
func (c *funcChecker) checkDelegate(in *wasm.Instr, s *State) error {
	f := &c.ctrls[len(c.ctrls)-1]
	if f.kind != FrameTry {
		return &malformedError{c.errorf("misplaced delegate")}
	}
	if uint64(in.Index) >= uint64(len(c.ctrls)-1) {
		return c.errorf("unknown label %d", in.Index)
	}
	popped, err := c.checkFrameEnd(f)
	if err != nil {
		return err
	}
	s.In, s.Out, s.BlockType = popped, f.typ.Results, f.typ
	c.pending = postEnd
	return nil
}

// checkRethrow types rethrow: its label must be a catch handler.
func (c *funcChecker) checkRethrow(in *wasm.Instr) error {
	f, err := c.labelFrame(in.Index)
	if err != nil {
		return err
	}
	if f.kind != FrameCatch {
		return c.errorf("invalid rethrow label %d", in.Index)
	}
	c.setUnreachable()
	return nil
}
