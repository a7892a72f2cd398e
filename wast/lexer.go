package wast

import (
	"strings"
	"unicode/utf8"
)

// tokenKind classifies a token.
type tokenKind byte

const (
	tokEOF      tokenKind = iota
	tokLParen             // (
	tokRParen             // )
	tokKeyword            // starts with a lowercase letter: module, i32.add, offset=4
	tokID                 // $name or $"name"
	tokNumber             // starts with a digit or a sign: 1, -0x1p3, +inf, nan:0x1
	tokString             // "..."
	tokReserved           // any other run of characters: an error wherever it is used
	tokAnnot              // (@name: the start of an annotation
)

func (k tokenKind) String() string {
	return [...]string{"end of input", "'('", "')'", "keyword", "identifier", "number", "string", "reserved token", "annotation"}[k]
}

// token is one lexical token. For strings, text is the decoded content; for
// identifiers it is the name including '$'; otherwise it is the source text.
type token struct {
	kind tokenKind
	text string
	pos  Pos
}

// lexer splits WebAssembly text into tokens.
type lexer struct {
	file string
	src  string
	off  int
	line int
	col  int // column of src[off], from 1
}

func newLexer(file, src string) *lexer {
	return &lexer{file: file, src: src, line: 1, col: 1}
}

func (l *lexer) pos() Pos { return Pos{File: l.file, Line: l.line, Col: l.col} }

// advance moves past n bytes, keeping line and column up to date.
func (l *lexer) advance(n int) {
	for i := 0; i < n; i++ {
		if l.src[l.off] == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
		l.off++
	}
}

// skipSpace skips white space and comments.
func (l *lexer) skipSpace() error {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.advance(1)
		case c == ';' && strings.HasPrefix(l.src[l.off:], ";;"):
			// A line comment ends at a line feed or a carriage return.
			for l.off < len(l.src) && l.src[l.off] != '\n' && l.src[l.off] != '\r' {
				l.advance(1)
			}
		case c == '(' && strings.HasPrefix(l.src[l.off:], "(;"):
			if err := l.blockComment(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

// blockComment skips a (possibly nested) block comment.
func (l *lexer) blockComment() error {
	start := l.pos()
	depth := 0
	for l.off < len(l.src) {
		switch {
		case strings.HasPrefix(l.src[l.off:], "(;"):
			depth++
			l.advance(2)
		case strings.HasPrefix(l.src[l.off:], ";)"):
			depth--
			l.advance(2)
			if depth == 0 {
				return nil
			}
		default:
			l.advance(1)
		}
	}
	return errorf(start, "unclosed block comment")
}

// isIDChar reports whether c may appear in a keyword, identifier or number.
func isIDChar(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return true
	}
	return strings.IndexByte("!#$%&'*+-./:<=>?@\\^_`|~", c) >= 0
}

// next returns the next token.
func (l *lexer) next() (token, error) {
	if err := l.skipSpace(); err != nil {
		return token{}, err
	}
	pos := l.pos()
	if l.off >= len(l.src) {
		return token{kind: tokEOF, pos: pos}, nil
	}
	switch l.src[l.off] {
	case '(':
		if l.off+1 < len(l.src) && l.src[l.off+1] == '@' {
			// An annotation: "(@" followed by its name.
			l.advance(2)
			start := l.off
			for l.off < len(l.src) && isIDChar(l.src[l.off]) {
				l.advance(1)
			}
			if l.off == start && l.off < len(l.src) && l.src[l.off] == '"' {
				// (@"name"): the annotation id written as a string.
				if err := l.skipString(); err != nil {
					return token{}, errorf(pos, "empty annotation id: %v", err.(*Error).Msg)
				}
				name, err := decodeString(pos, l.src[start+1:l.off-1])
				if err != nil {
					return token{}, errorf(pos, "empty annotation id: %v", err.(*Error).Msg)
				}
				if name == "" {
					return token{}, errorf(pos, "empty annotation id")
				}
				if !utf8.ValidString(name) {
					return token{}, errorf(pos, "malformed UTF-8 encoding in annotation id")
				}
				return token{kind: tokAnnot, text: name, pos: pos}, nil
			}
			if l.off == start {
				// "(@" without a name: an error outside annotations,
				// a nested list inside one.
				return token{kind: tokAnnot, pos: pos}, nil
			}
			return token{kind: tokAnnot, text: l.src[start:l.off], pos: pos}, nil
		}
		l.advance(1)
		return token{kind: tokLParen, text: "(", pos: pos}, nil
	case ')':
		l.advance(1)
		return token{kind: tokRParen, text: ")", pos: pos}, nil
	}
	// A run of characters up to white space, a parenthesis or a comment;
	// strings inside the run are taken whole. A run that is not exactly one
	// token is reserved.
	start := l.off
	nstr := 0
	for l.off < len(l.src) {
		c := l.src[l.off]
		if c == '"' {
			if err := l.skipString(); err != nil {
				if l.src[start] == '$' {
					return token{}, errorf(pos, "empty identifier: %s", err.(*Error).Msg)
				}
				return token{}, err
			}
			nstr++
			continue
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' ||
			(c == ';' && l.off+1 < len(l.src) && l.src[l.off+1] == ';') {
			break
		}
		if c < 0x20 || c == 0x7f {
			return token{}, errorf(l.pos(), "illegal character %#02x", c)
		}
		if !isIDChar(c) {
			// Not a token character: still part of the reserved run.
			r, n := utf8.DecodeRuneInString(l.src[l.off:])
			if r == utf8.RuneError && n <= 1 {
				return token{}, errorf(l.pos(), "malformed UTF-8 encoding")
			}
			if r >= 0x80 {
				return token{}, errorf(l.pos(), "illegal character %q outside a string", r)
			}
			for i := 0; i < n; i++ {
				l.advance(1)
			}
			nstr = -100 // force reserved
			continue
		}
		l.advance(1)
	}
	text := l.src[start:l.off]
	switch {
	case nstr == 1 && text[0] == '"' && text[len(text)-1] == '"' && l.stringEnd(start) == l.off:
		s, err := decodeString(pos, text[1:len(text)-1])
		if err != nil {
			return token{}, err
		}
		return token{kind: tokString, text: s, pos: pos}, nil
	case nstr == 1 && isQuotedID(text) && l.stringEnd(start+1) == l.off:
		// $"name": an identifier written as a string.
		s, err := decodeString(pos, text[2:len(text)-1])
		if err != nil {
			if strings.Contains(err.Error(), "UTF-8") {
				return token{}, err
			}
			return token{}, errorf(pos, "empty identifier: %s", err.(*Error).Msg)
		}
		if !utf8.ValidString(s) {
			return token{}, errorf(pos, "malformed UTF-8 encoding in identifier")
		}
		if s == "" {
			return token{}, errorf(pos, "empty identifier")
		}
		return token{kind: tokID, text: "$" + s, pos: pos}, nil
	case nstr != 0:
		return token{kind: tokReserved, text: text, pos: pos}, nil
	}
	c := text[0]
	switch {
	case c == '$':
		if len(text) == 1 {
			return token{kind: tokReserved, text: text, pos: pos}, nil
		}
		return token{kind: tokID, text: text, pos: pos}, nil
	case c >= 'a' && c <= 'z':
		return token{kind: tokKeyword, text: text, pos: pos}, nil
	case c >= '0' && c <= '9', c == '+', c == '-':
		return token{kind: tokNumber, text: text, pos: pos}, nil
	}
	return token{kind: tokReserved, text: text, pos: pos}, nil
}

// isQuotedID reports whether text has the form $"...".
func isQuotedID(text string) bool {
	return len(text) >= 3 && text[0] == '$' && text[1] == '"' && text[len(text)-1] == '"'
}

// stringEnd returns the offset just after the string starting at off.
func (l *lexer) stringEnd(off int) int {
	i := off + 1
	for i < len(l.src) {
		switch l.src[i] {
		case '\\':
			i += 2
			continue
		case '"':
			return i + 1
		}
		i++
	}
	return -1
}

// skipString moves past the string literal at the current offset.
func (l *lexer) skipString() error {
	start := l.pos()
	l.advance(1)
	for l.off < len(l.src) {
		switch l.src[l.off] {
		case '"':
			l.advance(1)
			return nil
		case '\\':
			if l.off+1 >= len(l.src) {
				l.advance(1)
				continue
			}
			l.advance(2)
		case '\n':
			return errorf(start, "unclosed string: line break in string")
		default:
			l.advance(1)
		}
	}
	return errorf(start, "unclosed string")
}

// decodeString decodes the body of a string literal (without quotes).
func decodeString(pos Pos, s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errorf(pos, "malformed UTF-8 encoding in string literal")
	}
	if strings.IndexByte(s, '\\') < 0 {
		if err := checkStringChars(pos, s); err != nil {
			return "", err
		}
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			if c < 0x20 || c == 0x7f {
				return "", errorf(pos, "illegal control character in string")
			}
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", errorf(pos, "illegal escape at end of string")
		}
		switch e := s[i]; e {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '"', '\'', '\\':
			b.WriteByte(e)
		case 'u':
			// \u{hex}: a Unicode scalar value, written as UTF-8.
			end := strings.IndexByte(s[i:], '}')
			if i+1 >= len(s) || s[i+1] != '{' || end < 0 {
				return "", errorf(pos, "malformed unicode escape: expected \\u{hex}")
			}
			digits := s[i+2 : i+end]
			v, ok := parseHexDigits(digits)
			if !ok || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000) {
				return "", errorf(pos, "malformed unicode escape \\u{%s}", digits)
			}
			b.WriteRune(rune(v))
			i += end
		default:
			if i+1 < len(s) && isHex(e) && isHex(s[i+1]) {
				b.WriteByte(hexVal(e)<<4 | hexVal(s[i+1]))
				i++
				continue
			}
			return "", errorf(pos, "illegal escape \\%c in string", e)
		}
	}
	return b.String(), nil
}

func checkStringChars(pos Pos, s string) error {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return errorf(pos, "illegal control character in string")
		}
	}
	return nil
}

// parseHexDigits parses hex digits with optional '_' separators between them.
func parseHexDigits(s string) (uint64, bool) {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			if s[i-1] == '_' {
				return 0, false
			}
			continue
		}
		if !isHex(c) {
			return 0, false
		}
		if v > (1<<64-1)>>4 {
			return 0, false
		}
		v = v<<4 | uint64(hexVal(c))
	}
	return v, true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
