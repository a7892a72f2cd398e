package wast

// cursor walks the elements of one list.
type cursor struct {
	kids []*node
	i    int
	end  Pos // the list's closing parenthesis, for "expected ..." at the end
}

func listCursor(n *node, from int) *cursor {
	c := &cursor{kids: n.kids(), end: n.end()}
	c.i = min(from, len(c.kids))
	return c
}

func (c *cursor) done() bool { return c.i >= len(c.kids) }

// peek returns the next element or nil.
func (c *cursor) peek() *node {
	if c.done() {
		return nil
	}
	return c.kids[c.i]
}

// peekAt returns the element k positions ahead, or nil.
func (c *cursor) peekAt(k int) *node {
	if c.i+k >= len(c.kids) {
		return nil
	}
	return c.kids[c.i+k]
}

func (c *cursor) next() *node {
	n := c.peek()
	if n != nil {
		c.i++
	}
	return n
}

// pos is the position of the next element, or of the closing parenthesis.
func (c *cursor) pos() Pos {
	if n := c.peek(); n != nil {
		return n.pos()
	}
	return c.end
}

// reservedError reports a reserved token: a run of characters that is not
// one token (like 0$x or "a"b), or a lone '$'.
func reservedError(n *node) error {
	if n.text == "$" {
		return errorf(n.pos(), "empty identifier: '$' must be followed by a name")
	}
	return errorf(n.pos(), "unknown operator %q", n.text)
}

// unexpected reports the next element as unexpected, saying what was
// expected instead.
func (c *cursor) unexpected(expected string) error {
	if n := c.peek(); n != nil {
		if n.kind == tokReserved {
			return reservedError(n)
		}
		return errorf(n.pos(), "unexpected token %s, expected %s", n.describe(), expected)
	}
	return errorf(c.end, "unexpected token ')', expected %s", expected)
}

// expectEnd fails unless the list is exhausted.
func (c *cursor) expectEnd() error {
	if c.done() {
		return nil
	}
	n := c.peek()
	if n.kind == tokReserved {
		return reservedError(n)
	}
	return errorf(n.pos(), "unexpected token %s, expected ')'", n.describe())
}

// atom returns the next element if it is an atom of the given kind.
func (c *cursor) atom(kind tokenKind) (*node, bool) {
	n := c.peek()
	if n != nil && !n.list && n.kind == kind {
		c.i++
		return n, true
	}
	return nil, false
}

// optID reads an optional $identifier, returning "" when absent.
func (c *cursor) optID() string {
	if n, ok := c.atom(tokID); ok {
		return n.text
	}
	return ""
}

// keyword reads the keyword kw if it is next.
func (c *cursor) keyword(kw string) bool {
	n := c.peek()
	if n != nil && !n.list && n.kind == tokKeyword && n.text == kw {
		c.i++
		return true
	}
	return false
}

// keywordOf reads the next element when it is a keyword that table maps,
// and returns what it maps to.
func keywordOf[T any](c *cursor, table map[string]T) (v T, ok bool) {
	if n := c.peek(); n != nil && !n.list && n.kind == tokKeyword {
		if v, ok = table[n.text]; ok {
			c.next()
		}
	}
	return v, ok
}

// peekList reports whether the next element is a list starting with kw.
func (c *cursor) peekList(kw string) bool {
	n := c.peek()
	return n != nil && n.isList(kw)
}

// str reads a string.
func (c *cursor) str(what string) (string, error) {
	if n, ok := c.atom(tokString); ok {
		return n.text, nil
	}
	return "", c.unexpected(what)
}

// strings reads zero or more strings and concatenates them.
func (c *cursor) strings() string {
	var s string
	for {
		n, ok := c.atom(tokString)
		if !ok {
			return s
		}
		s += n.text
	}
}
