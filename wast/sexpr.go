package wast

// node is a parenthesised list or a single token of the source: the tree
// every text construct is read from.
type node struct {
	tok  token   // the token of an atom; for a list, its '(' token
	list bool    // a list: (kids...)
	kids []*node // the list's elements
	end  Pos     // position of a list's ')'
}

// head returns the keyword a list starts with, or "".
func (n *node) head() string {
	if n.list && len(n.kids) > 0 && n.kids[0].tok.kind == tokKeyword {
		return n.kids[0].tok.text
	}
	return ""
}

// isList reports whether n is a list starting with keyword kw.
func (n *node) isList(kw string) bool { return n.list && n.head() == kw }

func (n *node) pos() Pos { return n.tok.pos }

// describe names a node for error messages.
func (n *node) describe() string {
	if n.list {
		if h := n.head(); h != "" {
			return "'(" + h + "'"
		}
		return "'('"
	}
	switch n.tok.kind {
	case tokString:
		return "string"
	case tokEOF:
		return "end of input"
	}
	return "'" + n.tok.text + "'"
}

// maxNesting bounds the depth of nested lists, so that the recursive
// readers of folded instructions cannot exhaust the stack.
const maxNesting = 10000

// parseTree reads all of src into a list of top-level nodes. Annotations
// are dropped.
func parseTree(file, src string) ([]*node, error) {
	l := newLexer(file, src)
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
			n := &node{tok: opens[len(opens)-1], list: true, kids: cur, end: t.pos}
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
			cur = append(cur, &node{tok: t})
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
