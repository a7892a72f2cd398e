package wast

// node is a parenthesised list or a single token of the source: the tree
// every text construct is read from. It is kept small (48 bytes; a list
// adds its element slice), since a body of a million instructions is a
// million nodes: positions are 32-bit and share the file name.
type node struct {
	text      string    // an atom's token text (decoded for strings)
	line, col int32     // where the atom or the list's '(' is
	kind      tokenKind // an atom's kind; tokLParen for a list
	list      bool      // a list: (kids...)
	file      *string   // the source's name, shared by all its nodes
	body      *listBody // a list's elements; nil for an atom
}

// listBody holds what only lists have.
type listBody struct {
	kids            []*node
	endLine, endCol int32 // position of the ')'
}

// newAtom makes the node of token t of file.
func newAtom(t token, file *string) *node {
	return &node{text: t.text, line: int32(t.pos.Line), col: int32(t.pos.Col), kind: t.kind, file: file}
}

// newList makes a list opened at open and closed at end.
func newList(open Pos, kids []*node, end Pos, file *string) *node {
	return &node{line: int32(open.Line), col: int32(open.Col), kind: tokLParen, list: true, file: file,
		body: &listBody{kids: kids, endLine: int32(end.Line), endCol: int32(end.Col)}}
}

// kids returns a list's elements (nil for an atom).
func (n *node) kids() []*node {
	if n.body == nil {
		return nil
	}
	return n.body.kids
}

// end is the position of a list's ')' (of an atom, its own).
func (n *node) end() Pos {
	if n.body == nil {
		return n.pos()
	}
	return Pos{File: *n.file, Line: int(n.body.endLine), Col: int(n.body.endCol)}
}

// head returns the keyword a list starts with, or "".
func (n *node) head() string {
	if kids := n.kids(); len(kids) > 0 && kids[0].kind == tokKeyword {
		return kids[0].text
	}
	return ""
}

// isList reports whether n is a list starting with keyword kw.
func (n *node) isList(kw string) bool { return n.list && n.head() == kw }

func (n *node) pos() Pos { return Pos{File: *n.file, Line: int(n.line), Col: int(n.col)} }

// describe names a node for error messages.
func (n *node) describe() string {
	if n.list {
		if h := n.head(); h != "" {
			return "'(" + h + "'"
		}
		return "'('"
	}
	switch n.kind {
	case tokString:
		return "string"
	case tokEOF:
		return "end of input"
	}
	return "'" + n.text + "'"
}

// maxNesting bounds the depth of nested lists, so that the recursive
// readers of folded instructions cannot exhaust the stack.
const maxNesting = 10000

// parseTree reads all of src into a list of top-level nodes. Annotations
// are dropped.
func parseTree(file, src string) ([]*node, error) {
	l := newLexer(file, src)
	name := &file
	var stack [][]*node
	var opens []token
	var cur []*node
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tokEOF:
			if len(opens) > 0 {
				return nil, errorf(opens[len(opens)-1].pos, "unclosed '(': expected ')' before end of input")
			}
			return cur, nil
		case tokLParen:
			if len(opens) >= maxNesting {
				return nil, errorf(t.pos, "parentheses nested deeper than %d", maxNesting)
			}
			stack = append(stack, cur)
			opens = append(opens, t)
			cur = nil
		case tokRParen:
			if len(opens) == 0 {
				return cur, errorf(t.pos, "unexpected token ')': no list to close")
			}
			n := newList(opens[len(opens)-1].pos, cur, t.pos, name)
			cur = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			opens = opens[:len(opens)-1]
			cur = append(cur, n)
		case tokAnnot:
			if t.text == "" {
				return nil, errorf(t.pos, "empty annotation id: expected a name after (@")
			}
			if err := skipAnnotation(l, t); err != nil {
				return nil, err
			}
		default:
			cur = append(cur, newAtom(t, name))
		}
	}
}

// skipAnnotation skips the rest of an annotation whose "(@id" was read.
func skipAnnotation(l *lexer, open token) error {
	depth := 1
	for depth > 0 {
		t, err := l.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokEOF:
			return errorf(open.pos, "unclosed annotation (@%s", open.text)
		case tokLParen, tokAnnot:
			depth++
		case tokRParen:
			depth--
		}
	}
	return nil
}
