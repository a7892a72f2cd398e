package decoder

import (
	"fmt"
	"strconv"
	"strings"
)

// This file is a minimal reader for the parts of WAST scripts the decoder's
// spec test needs: s-expressions, string literals and comments. It finds
// (module binary "...") forms; the full text format lives in package wast.

// sexpr is an atom (list == nil, atom holds the token) or a list.
type sexpr struct {
	list   []*sexpr
	isList bool
	atom   string // symbol or keyword text, or the decoded bytes of a string
	isStr  bool
	line   int
}

// parseSexprs parses a whole script into its top-level forms.
func parseSexprs(src []byte) ([]*sexpr, error) {
	p := &sexprParser{src: src, line: 1}
	var top []*sexpr
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			return top, nil
		}
		e, err := p.parse()
		if err != nil {
			return nil, err
		}
		top = append(top, e)
	}
}

type sexprParser struct {
	src  []byte
	pos  int
	line int
}

func (p *sexprParser) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d: %s", p.line, fmt.Sprintf(format, args...))
}

// skipSpace skips white space, line comments and (nested) block comments.
func (p *sexprParser) skipSpace() {
	for p.pos < len(p.src) {
		switch b := p.src[p.pos]; {
		case b == '\n':
			p.line++
			p.pos++
		case b == ' ' || b == '\t' || b == '\r':
			p.pos++
		case b == ';' && p.pos+1 < len(p.src) && p.src[p.pos+1] == ';':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		case b == '(' && p.pos+1 < len(p.src) && p.src[p.pos+1] == ';':
			p.skipBlockComment()
		default:
			return
		}
	}
}

// skipBlockComment skips a (; ... ;) comment, which may nest.
func (p *sexprParser) skipBlockComment() {
	depth := 0
	for p.pos < len(p.src) {
		rest := p.src[p.pos:]
		switch {
		case len(rest) >= 2 && rest[0] == '(' && rest[1] == ';':
			depth++
			p.pos += 2
		case len(rest) >= 2 && rest[0] == ';' && rest[1] == ')':
			depth--
			p.pos += 2
			if depth == 0 {
				return
			}
		default:
			if rest[0] == '\n' {
				p.line++
			}
			p.pos++
		}
	}
}

func (p *sexprParser) parse() (*sexpr, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.errorf("unexpected end of script")
	}
	line := p.line
	switch p.src[p.pos] {
	case '(':
		p.pos++
		e := &sexpr{isList: true, line: line}
		for {
			p.skipSpace()
			if p.pos >= len(p.src) {
				return nil, p.errorf("unclosed list opened on line %d", line)
			}
			if p.src[p.pos] == ')' {
				p.pos++
				return e, nil
			}
			child, err := p.parse()
			if err != nil {
				return nil, err
			}
			e.list = append(e.list, child)
		}
	case ')':
		return nil, p.errorf("unexpected )")
	case '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &sexpr{atom: s, isStr: true, line: line}, nil
	}
	start := p.pos
	for p.pos < len(p.src) {
		b := p.src[p.pos]
		if b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '(' || b == ')' || b == '"' || b == ';' {
			break
		}
		p.pos++
	}
	return &sexpr{atom: string(p.src[start:p.pos]), line: line}, nil
}

// str reads a string literal and returns its bytes.
func (p *sexprParser) str() (string, error) {
	p.pos++ // opening quote
	var b []byte
	for {
		if p.pos >= len(p.src) {
			return "", p.errorf("unterminated string")
		}
		c := p.src[p.pos]
		p.pos++
		switch c {
		case '"':
			return string(b), nil
		case '\n':
			return "", p.errorf("newline in string")
		case '\\':
			if p.pos >= len(p.src) {
				return "", p.errorf("unterminated escape")
			}
			e := p.src[p.pos]
			p.pos++
			switch e {
			case 'n':
				b = append(b, '\n')
			case 't':
				b = append(b, '\t')
			case 'r':
				b = append(b, '\r')
			case '\\', '\'', '"':
				b = append(b, e)
			case 'u':
				end := strings.IndexByte(string(p.src[p.pos:]), '}')
				if p.pos >= len(p.src) || p.src[p.pos] != '{' || end < 0 {
					return "", p.errorf("malformed \\u escape")
				}
				v, err := strconv.ParseUint(string(p.src[p.pos+1:p.pos+end]), 16, 32)
				if err != nil {
					return "", p.errorf("malformed \\u escape: %v", err)
				}
				b = append(b, string(rune(v))...)
				p.pos += end + 1
			default:
				if p.pos >= len(p.src) {
					return "", p.errorf("unterminated escape")
				}
				v, err := strconv.ParseUint(string(p.src[p.pos-1:p.pos+1]), 16, 8)
				if err != nil {
					return "", p.errorf("unknown escape \\%c", e)
				}
				b = append(b, byte(v))
				p.pos++
			}
		default:
			b = append(b, c)
		}
	}
}

// binaryModule returns the bytes of a (module $id? binary "..."*) form.
func binaryModule(e *sexpr) ([]byte, bool) {
	if e == nil || !e.isList || len(e.list) < 2 || e.list[0].atom != "module" || e.list[0].isStr {
		return nil, false
	}
	rest := e.list[1:]
	if !rest[0].isStr && strings.HasPrefix(rest[0].atom, "$") {
		rest = rest[1:]
	}
	if len(rest) == 0 || rest[0].isStr || rest[0].atom != "binary" {
		return nil, false
	}
	var bin []byte
	for _, s := range rest[1:] {
		if !s.isStr {
			return nil, false
		}
		bin = append(bin, s.atom...)
	}
	return bin, true
}
