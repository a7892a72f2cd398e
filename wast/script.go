package wast

import (
	"strings"

	"github.com/kilnrt/kiln/wasm"
)

// parseCommand reads one top-level script command.
func (p Parser) parseCommand(n *node) (Command, error) {
	if !n.list {
		return nil, errorf(n.pos(), "unexpected token %s, expected a script command '('", n.describe())
	}
	c := listCursor(n, 1)
	pos := n.pos()
	switch n.head() {
	case "module":
		if c.keyword("instance") {
			inst := c.optID()
			mod := c.optID()
			if err := c.expectEnd(); err != nil {
				return nil, err
			}
			return &ModuleInstanceCommand{Pos: pos, Instance: inst, Module: mod}, nil
		}
		return &ModuleCommand{Module: p.parseScriptModule(n)}, nil
	case "thread":
		t := &ThreadCommand{Pos: pos, ID: c.optID()}
		for c.peekList("shared") {
			sc := listCursor(c.next(), 1)
			if !sc.peekList("module") {
				return nil, sc.unexpected("(module $id)")
			}
			mc := listCursor(sc.next(), 1)
			id, ok := mc.atom(tokID)
			if !ok {
				return nil, mc.unexpected("a module identifier")
			}
			if err := mc.expectEnd(); err != nil {
				return nil, err
			}
			if err := sc.expectEnd(); err != nil {
				return nil, err
			}
			t.Shared = append(t.Shared, id.text)
		}
		for !c.done() {
			cmd, err := p.parseCommand(c.next())
			if err != nil {
				return nil, err
			}
			t.Commands = append(t.Commands, cmd)
		}
		return t, nil
	case "wait":
		id, ok := c.atom(tokID)
		if !ok {
			return nil, c.unexpected("a thread identifier")
		}
		return &WaitCommand{Pos: pos, Thread: id.text}, c.expectEnd()
	case "register":
		name, err := c.str("a module name string")
		if err != nil {
			return nil, err
		}
		id := c.optID()
		if err := c.expectEnd(); err != nil {
			return nil, err
		}
		return &RegisterCommand{Pos: pos, Name: name, Module: id}, nil
	case "invoke", "get":
		a, err := parseAction(n)
		if err != nil {
			return nil, err
		}
		return &ActionCommand{Action: a}, nil
	case "assert_return":
		a, err := parseActionArg(c)
		if err != nil {
			return nil, err
		}
		r := &AssertReturn{Pos: pos, Action: a}
		for !c.done() {
			res, err := parseResult(c.next())
			if err != nil {
				return nil, err
			}
			r.Expected = append(r.Expected, res)
		}
		return r, nil
	case "assert_trap":
		t := &AssertTrap{Pos: pos}
		if c.peekList("module") {
			t.Module = p.parseScriptModule(c.next())
		} else {
			a, err := parseActionArg(c)
			if err != nil {
				return nil, err
			}
			t.Action = a
		}
		msg, err := failure(c)
		t.Message = msg
		return t, err
	case "assert_exhaustion":
		a, err := parseActionArg(c)
		if err != nil {
			return nil, err
		}
		msg, err := failure(c)
		return &AssertExhaustion{Pos: pos, Action: a, Message: msg}, err
	case "assert_exception":
		a, err := parseActionArg(c)
		if err != nil {
			return nil, err
		}
		return &AssertException{Pos: pos, Action: a}, c.expectEnd()
	case "assert_invalid", "assert_malformed", "assert_unlinkable", "assert_uninstantiable":
		if !c.peekList("module") {
			return nil, c.unexpected("a module")
		}
		m := p.parseScriptModule(c.next())
		msg, err := failure(c)
		if err != nil {
			return nil, err
		}
		switch n.head() {
		case "assert_invalid":
			return &AssertInvalid{Pos: pos, Module: m, Message: msg}, nil
		case "assert_malformed":
			return &AssertMalformed{Pos: pos, Module: m, Message: msg}, nil
		case "assert_unlinkable":
			return &AssertUnlinkable{Pos: pos, Module: m, Message: msg}, nil
		default:
			return &AssertUninstantiable{Pos: pos, Module: m, Message: msg}, nil
		}
	}
	return nil, errorf(pos, "unknown script command %s: expected module, register, invoke, get or an assertion", n.describe())
}

// failure reads the expected failure message that ends an assertion.
func failure(c *cursor) (string, error) {
	msg, err := c.str("a failure message string")
	if err != nil {
		return "", err
	}
	return msg, c.expectEnd()
}

// parseScriptModule reads (module $id? ...) in any of its forms. Encoding
// errors of text modules are kept in Module.Err.
func (p Parser) parseScriptModule(n *node) *Module {
	c := listCursor(n, 1)
	m := &Module{Pos: n.pos(), parser: p}
	if c.keyword("definition") {
		m.Definition = true
	}
	m.ID = c.optID()
	switch {
	case c.keyword("binary"):
		m.Kind = ModuleBinary
		m.Binary = []byte(c.strings())
		m.Err = c.expectEnd()
	case c.keyword("quote"):
		m.Kind = ModuleQuote
		var parts []string
		for !c.done() {
			s, err := c.str("a string")
			if err != nil {
				m.Err = err
				break
			}
			parts = append(parts, s)
		}
		m.Quote = strings.Join(parts, " ")
	default:
		m.Kind = ModuleText
		m.Binary, m.Err = p.encodeModule(n, c.i)
	}
	return m
}

// parseActionArg reads an action given as the next element of c.
func parseActionArg(c *cursor) (*Action, error) {
	n := c.peek()
	if n == nil || !(n.isList("invoke") || n.isList("get")) {
		return nil, c.unexpected("an action (invoke or get)")
	}
	c.next()
	return parseAction(n)
}

// parseAction reads (invoke $id? "name" const*) or (get $id? "name").
func parseAction(n *node) (*Action, error) {
	c := listCursor(n, 1)
	a := &Action{Pos: n.pos(), Kind: ActionInvoke}
	if n.head() == "get" {
		a.Kind = ActionGet
	}
	a.Module = c.optID()
	name, err := c.str("an export name string")
	if err != nil {
		return nil, err
	}
	a.Name = name
	for a.Kind == ActionInvoke && !c.done() {
		v, err := parseConst(c.next())
		if err != nil {
			return nil, err
		}
		a.Args = append(a.Args, v)
	}
	return a, c.expectEnd()
}

// parseConst reads an argument value: (t.const ...), (ref.null ht),
// (ref.extern n), (ref.host n).
func parseConst(n *node) (Value, error) {
	r, err := parseValue(n, false)
	return r.Value, err
}

// parseResult reads an expected result.
func parseResult(n *node) (Result, error) { return parseValue(n, true) }

// parseValue reads a value or, when patterns is set, a result pattern.
func parseValue(n *node, patterns bool) (Result, error) {
	r := Result{Pos: n.pos()}
	if !n.list || n.head() == "" {
		return r, errorf(n.pos(), "unexpected token %s, expected a constant like (i32.const 1)", n.describe())
	}
	c := listCursor(n, 1)
	head := n.head()
	switch head {
	case "i32.const", "i64.const", "f32.const", "f64.const":
		t := map[string]wasm.ValType{"i32.const": wasm.I32, "i64.const": wasm.I64, "f32.const": wasm.F32, "f64.const": wasm.F64}[head]
		r.Value.Type = t
		lit, ok := c.atom(tokNumber)
		if !ok {
			if kw, isKw := c.atom(tokKeyword); isKw {
				lit, ok = kw, true
			}
		}
		if !ok {
			return r, c.unexpected("a number")
		}
		if patterns && (t == wasm.F32 || t == wasm.F64) {
			if k := nanPattern(lit.text); k != NaNNone {
				r.Kind, r.NaN = ResultNaN, k
				return r, c.expectEnd()
			}
		}
		bits, err := parseScalar(lit, t)
		if err != nil {
			return r, err
		}
		r.Value.Lo = bits
		return r, c.expectEnd()
	case "v128.const":
		r.Value.Type = wasm.V128
		shape, err := parseShape(c)
		if err != nil {
			return r, err
		}
		r.Shape = shape
		var b [16]byte
		w := shape.LaneBits() / 8
		for i := 0; i < shape.Lanes(); i++ {
			lit := c.next()
			if lit == nil || lit.list {
				return r, errorf(c.pos(), "wrong number of lane literals: %s needs %d", shape, shape.Lanes())
			}
			if patterns && shape.IsFloat() {
				if k := nanPattern(lit.text); k != NaNNone {
					r.Kind = ResultLanes
					r.LaneNaN[i] = k
					continue
				}
			}
			bits, err := parseLane(lit, shape)
			if err != nil {
				return r, err
			}
			for j := 0; j < w; j++ {
				b[i*w+j] = byte(bits >> (8 * j))
			}
		}
		r.Value.Lo, r.Value.Hi = le64(b[:8]), le64(b[8:])
		return r, c.expectEnd()
	case "ref.null":
		if c.done() {
			if !patterns {
				return r, c.unexpected("a heap type")
			}
			r.Kind = ResultRefNull
			return r, nil
		}
		ht, err := parseAbstractHeap(c)
		if err != nil {
			return r, err
		}
		r.Value = Value{Type: wasm.RefType(true, ht), Null: true}
		r.Heap = ht
		return r, c.expectEnd()
	case "ref.extern", "ref.host":
		heap := wasm.HeapExtern
		if head == "ref.host" {
			heap = HeapAny
		}
		r.Heap = heap
		r.Value.Type = wasm.RefType(false, heap)
		if head == "ref.extern" {
			r.Value.Type = wasm.ExternRef
		}
		r.Value.Host = head == "ref.host"
		if c.done() && patterns {
			r.Kind = ResultRef
			return r, nil
		}
		lit, ok := c.atom(tokNumber)
		if !ok {
			return r, c.unexpected("a reference payload number")
		}
		v, ok := parseU32(lit.text)
		if !ok {
			return r, errorf(lit.pos(), "reference payload %s out of range", lit.text)
		}
		r.Value.Ref = v
		return r, c.expectEnd()
	case "either":
		if !patterns {
			break
		}
		r.Kind = ResultEither
		for !c.done() {
			alt, err := parseValue(c.next(), true)
			if err != nil {
				return r, err
			}
			r.Either = append(r.Either, alt)
		}
		if len(r.Either) == 0 {
			return r, c.unexpected("a result")
		}
		return r, nil
	}
	if patterns && strings.HasPrefix(head, "ref.") {
		if ht, ok := abstractHeaps[strings.TrimPrefix(head, "ref.")]; ok {
			r.Kind = ResultRef
			r.Heap = ht
			r.Value.Type = wasm.RefType(false, ht)
			// (ref.func N?) style payloads are not part of the suites; reject.
			return r, c.expectEnd()
		}
	}
	return r, errorf(n.pos(), "unknown constant %s", n.describe())
}

// nanPattern recognises nan:canonical and nan:arithmetic.
func nanPattern(s string) NaNKind {
	switch s {
	case "nan:canonical":
		return NaNCanonical
	case "nan:arithmetic":
		return NaNArithmetic
	}
	return NaNNone
}

func le64(b []byte) uint64 {
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}
