package validator

import (
	"fmt"

	"github.com/kilnrt/kiln/wasm"
)

// frame is a control frame of the validation algorithm.
type frame struct {
	kind FrameKind
	// typ is the block type: params are the start types, results the end
	// types. For the function frame it is the function's type.
	typ *wasm.FuncType
	// height is the operand stack height below the frame's parameters.
	height int
	// unreachable is set after an unconditional branch: the rest of the
	// frame's operand stack is polymorphic.
	unreachable bool
	// initHeight is the length of the local initialisation log when the
	// frame was entered (non-defaultable locals, function references).
	initHeight int
}

// labelTypes returns the types a branch to the frame carries.
func (f *frame) labelTypes() []wasm.ValType {
	if f.kind == FrameLoop {
		return f.typ.Params
	}
	return f.typ.Results
}

// mismatch builds the suite's "type mismatch" error for the current
// instruction.
func (c *funcChecker) mismatch(format string, args ...any) error {
	return c.errorf("type mismatch: "+format, args...)
}

// push pushes one operand type.
func (c *funcChecker) push(t wasm.ValType) {
	c.vals = append(c.vals, t)
	if len(c.vals) > c.maxHeight {
		c.maxHeight = len(c.vals)
	}
}

// pushAll pushes types in order (deepest first).
func (c *funcChecker) pushAll(ts []wasm.ValType) {
	c.vals = append(c.vals, ts...)
	if len(c.vals) > c.maxHeight {
		c.maxHeight = len(c.vals)
	}
}

// popAny pops one operand of any type; Unknown from a polymorphic stack.
func (c *funcChecker) popAny() (wasm.ValType, error) {
	f := &c.ctrls[len(c.ctrls)-1]
	n := len(c.vals)
	if n == f.height {
		if f.unreachable {
			return Unknown, nil
		}
		return 0, c.mismatch("expected a value but the stack is empty")
	}
	t := c.vals[n-1]
	c.vals = c.vals[:n-1]
	return t, nil
}

// pop pops one operand that must have type want (or be Unknown).
func (c *funcChecker) pop(want wasm.ValType) (wasm.ValType, error) {
	f := &c.ctrls[len(c.ctrls)-1]
	n := len(c.vals)
	if n > f.height {
		t := c.vals[n-1]
		if t != want && !c.mc.matches(t, want) {
			return 0, c.mismatch("instruction requires [%s] but stack has [%s]", want, t)
		}
		c.vals = c.vals[:n-1]
		return t, nil
	}
	if f.unreachable {
		return Unknown, nil
	}
	return 0, c.mismatch("instruction requires [%s] but stack has []", want)
}

// popTypes pops operands of types ts (deepest first) and returns the types
// actually popped, deepest first. In reachable code that is ts itself; in
// dead code it is written to buf (grown as needed) and may hold Unknown.
func (c *funcChecker) popTypes(ts []wasm.ValType, buf *[]wasm.ValType) ([]wasm.ValType, error) {
	f := &c.ctrls[len(c.ctrls)-1]
	n := len(c.vals)
	if k := len(ts); n-f.height >= k {
		// Fast path: every operand is present; compare in place.
		top := c.vals[n-k:]
		exact := true
		for i, t := range ts {
			if top[i] != t {
				exact = false
				if !c.mc.matches(top[i], t) {
					return nil, c.mismatch("instruction requires %s but stack has %s", typeList(ts), typeList(top))
				}
			}
		}
		c.vals = c.vals[:n-k]
		if exact {
			return ts, nil
		}
		out := (*buf)[:0]
		out = append(out, top...)
		*buf = out
		return out, nil
	}
	if !f.unreachable {
		return nil, c.mismatch("instruction requires %s but stack has %s", typeList(ts), typeList(c.vals[f.height:]))
	}
	// Dead code: the missing deepest operands are Unknown.
	have := n - f.height
	missing := len(ts) - have
	top := c.vals[f.height:]
	for i, t := range top {
		w := ts[missing+i]
		if t != w && !c.mc.matches(t, w) {
			return nil, c.mismatch("instruction requires %s but stack has %s", typeList(ts), typeList(top))
		}
	}
	out := (*buf)[:0]
	for i := 0; i < missing; i++ {
		out = append(out, Unknown)
	}
	out = append(out, top...)
	*buf = out
	c.vals = c.vals[:f.height]
	return out, nil
}

// typeList renders types as [i32 i64], for error messages.
func typeList(ts []wasm.ValType) string {
	const show = 8
	s := "["
	if len(ts) > show {
		s = fmt.Sprintf("[(%d more) ", len(ts)-show)
		ts = ts[len(ts)-show:]
	}
	for i, t := range ts {
		if i > 0 {
			s += " "
		}
		if t == Unknown {
			s += "_"
		} else {
			s += t.String()
		}
	}
	return s + "]"
}

// setUnreachable makes the rest of the current frame dead code.
func (c *funcChecker) setUnreachable() {
	f := &c.ctrls[len(c.ctrls)-1]
	c.vals = c.vals[:f.height]
	f.unreachable = true
}

// checkFrameEnd pops the current frame's results and requires the stack to
// be back at the frame's height. It returns the types popped.
func (c *funcChecker) checkFrameEnd(f *frame) ([]wasm.ValType, error) {
	in, err := c.popTypes(f.typ.Results, &c.inBuf)
	if err != nil {
		return nil, err
	}
	if len(c.vals) != f.height {
		return nil, c.mismatch("block requires %s but stack has %s (%d extra value(s))",
			typeList(f.typ.Results), typeList(append(append([]wasm.ValType(nil), c.vals[f.height:]...), in...)), len(c.vals)-f.height)
	}
	return in, nil
}
