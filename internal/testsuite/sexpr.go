package testsuite

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// This file is a minimal reader for the parts of WAST scripts that tests of
// the binary front end need: s-expressions, string literals and comments.
// It finds (module binary "...") forms without depending on package wast,
// whose text format is what those tests check against.

// Sexpr is a node of a WAST script: a list (IsList) or an atom, whose Atom
// holds the token's text, or for a string literal (IsStr) its decoded bytes.
type Sexpr struct {
	List   []*Sexpr
	IsList bool
	Atom   string
	IsStr  bool
	Line   int
}

// ParseSexprs parses a whole script into its top-level forms.
func ParseSexprs(src []byte) ([]*Sexpr, error) {
	p := &sexprParser{src: src, line: 1}
	var top []*Sexpr
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

func (p *sexprParser) parse() (*Sexpr, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.errorf("unexpected end of script")
	}
	line := p.line
	switch p.src[p.pos] {
	case '(':
		p.pos++
		e := &Sexpr{IsList: true, Line: line}
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
			e.List = append(e.List, child)
		}
	case ')':
		return nil, p.errorf("unexpected )")
	case '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &Sexpr{Atom: s, IsStr: true, Line: line}, nil
	}
	start := p.pos
	for p.pos < len(p.src) {
		b := p.src[p.pos]
		if b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '(' || b == ')' || b == '"' || b == ';' {
			break
		}
		p.pos++
	}
	return &Sexpr{Atom: string(p.src[start:p.pos]), Line: line}, nil
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

// BinaryModule returns the bytes of a (module $id? binary "..."*) form.
func BinaryModule(e *Sexpr) ([]byte, bool) {
	if e == nil || !e.IsList || len(e.List) < 2 || e.List[0].Atom != "module" || e.List[0].IsStr {
		return nil, false
	}
	rest := e.List[1:]
	if !rest[0].IsStr && strings.HasPrefix(rest[0].Atom, "$") {
		rest = rest[1:]
	}
	if len(rest) == 0 || rest[0].IsStr || rest[0].Atom != "binary" {
		return nil, false
	}
	var bin []byte
	for _, s := range rest[1:] {
		if !s.IsStr {
			return nil, false
		}
		bin = append(bin, s.Atom...)
	}
	return bin, true
}

// Script is one parsed .wast file of a suite.
type Script struct {
	Name  string // path relative to the suite directory
	Forms []*Sexpr
}

// Scripts parses every .wast file below dir (see WastFiles). A file that
// does not parse is reported with t.Errorf and left out.
func Scripts(t testing.TB, dir string) []Script {
	t.Helper()
	var scripts []Script
	for _, path := range WastFiles(t, dir) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		forms, err := ParseSexprs(src)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		name, _ := filepath.Rel(dir, path)
		scripts = append(scripts, Script{Name: name, Forms: forms})
	}
	return scripts
}
