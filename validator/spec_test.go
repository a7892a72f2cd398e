package validator

import (
	"errors"
	"fmt"
	"github.com/kilnrt/kiln/internal/testsuite"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/wasm"
)

// specSuiteDir returns a directory of the official test suite (see testsuite.Spec).
func specSuiteDir(t testing.TB, sub string) string { t.Helper(); return testsuite.Spec(t, sub) }

// sx is a node of a WAST script read as s-expressions: an atom, a string
// (decoded) or a list.
type sx struct {
	atom  string
	str   []byte
	isStr bool
	list  []*sx
	isLst bool
	line  int
}

// readScript reads a WAST file as a sequence of s-expressions. It
// understands only what is needed to find binary modules: parentheses,
// atoms, strings and comments.
func readScript(src []byte) ([]*sx, error) {
	p := &sxReader{src: src, line: 1}
	var out []*sx
	for {
		p.space()
		if p.pos >= len(p.src) {
			return out, nil
		}
		n, err := p.node()
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
}

type sxReader struct {
	src  []byte
	pos  int
	line int
}

func (p *sxReader) space() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\n':
			p.line++
			p.pos++
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case c == ';' && p.pos+1 < len(p.src) && p.src[p.pos+1] == ';':
			for p.pos < len(p.src) && p.src[p.pos] != '\n' {
				p.pos++
			}
		case c == '(' && p.pos+1 < len(p.src) && p.src[p.pos+1] == ';':
			depth := 0
			for p.pos+1 < len(p.src) {
				two := string(p.src[p.pos : p.pos+2])
				if two == "(;" {
					depth++
					p.pos += 2
				} else if two == ";)" {
					depth--
					p.pos += 2
					if depth == 0 {
						break
					}
				} else {
					if p.src[p.pos] == '\n' {
						p.line++
					}
					p.pos++
				}
			}
		default:
			return
		}
	}
}

func (p *sxReader) node() (*sx, error) {
	n := &sx{line: p.line}
	switch p.src[p.pos] {
	case '(':
		p.pos++
		n.isLst = true
		for {
			p.space()
			if p.pos >= len(p.src) {
				return nil, fmt.Errorf("line %d: unclosed list", n.line)
			}
			if p.src[p.pos] == ')' {
				p.pos++
				return n, nil
			}
			c, err := p.node()
			if err != nil {
				return nil, err
			}
			n.list = append(n.list, c)
		}
	case '"':
		p.pos++
		n.isStr = true
		for {
			if p.pos >= len(p.src) {
				return nil, fmt.Errorf("line %d: unclosed string", n.line)
			}
			c := p.src[p.pos]
			p.pos++
			switch c {
			case '"':
				return n, nil
			case '\\':
				if p.pos >= len(p.src) {
					return nil, fmt.Errorf("line %d: bad escape", n.line)
				}
				e := p.src[p.pos]
				p.pos++
				switch e {
				case 'n':
					n.str = append(n.str, '\n')
				case 't':
					n.str = append(n.str, '\t')
				case 'r':
					n.str = append(n.str, '\r')
				case '\\', '\'', '"':
					n.str = append(n.str, e)
				case 'u':
					end := strings.IndexByte(string(p.src[p.pos:]), '}')
					if end < 0 || p.src[p.pos] != '{' {
						return nil, fmt.Errorf("line %d: bad \\u escape", n.line)
					}
					v, err := strconv.ParseUint(string(p.src[p.pos+1:p.pos+end]), 16, 32)
					if err != nil {
						return nil, fmt.Errorf("line %d: bad \\u escape", n.line)
					}
					n.str = append(n.str, string(rune(v))...)
					p.pos += end + 1
				default:
					if p.pos >= len(p.src) {
						return nil, fmt.Errorf("line %d: bad escape", n.line)
					}
					v, err := strconv.ParseUint(string(p.src[p.pos-1:p.pos+1]), 16, 8)
					if err != nil {
						return nil, fmt.Errorf("line %d: bad escape \\%c", n.line, e)
					}
					n.str = append(n.str, byte(v))
					p.pos++
				}
			default:
				if c == '\n' {
					p.line++
				}
				n.str = append(n.str, c)
			}
		}
	default:
		start := p.pos
		for p.pos < len(p.src) {
			c := p.src[p.pos]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '"' || c == ';' {
				break
			}
			p.pos++
		}
		if p.pos == start {
			return nil, fmt.Errorf("line %d: unexpected %q", p.line, p.src[p.pos])
		}
		n.atom = string(p.src[start:p.pos])
		return n, nil
	}
}

// binaryModule returns the bytes of a (module $id? binary "..."*) form.
func binaryModule(n *sx) ([]byte, bool) {
	if n == nil || !n.isLst || len(n.list) < 2 || n.list[0].atom != "module" {
		return nil, false
	}
	rest := n.list[1:]
	if strings.HasPrefix(rest[0].atom, "$") {
		rest = rest[1:]
	}
	if len(rest) == 0 || rest[0].atom != "binary" {
		return nil, false
	}
	var bin []byte
	for _, s := range rest[1:] {
		if !s.isStr {
			return nil, false
		}
		bin = append(bin, s.str...)
	}
	return bin, true
}

// validModuleCommands hold a module that must validate (it may fail to
// link or instantiate, which is not checked here).
var validModuleCommands = map[string]bool{
	"assert_unlinkable":     true,
	"assert_uninstantiable": true,
	"assert_trap":           true,
	"assert_exhaustion":     true,
}

// TestSpecBinaryModules validates every binary module of the 2.0 suite that
// is not expected to be malformed: modules under assert_invalid must be
// rejected with ErrInvalid (and the expected message), all others accepted.
func TestSpecBinaryModules(t *testing.T) {
	dir := specSuiteDir(t, "wasm-2.0")
	var files []string
	err := filepath.WalkDir(dir, func(path string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && strings.HasSuffix(path, ".wast") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var valid, accepted, invalid, rejected, messages int
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		forms, err := readScript(src)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		name, _ := filepath.Rel(dir, path)
		for _, f := range forms {
			if !f.isLst || len(f.list) == 0 {
				continue
			}
			head := f.list[0].atom
			var mod *sx
			switch {
			case head == "module":
				mod = f
			case (head == "assert_invalid" || validModuleCommands[head]) && len(f.list) >= 2:
				mod = f.list[1]
			default:
				continue
			}
			bin, ok := binaryModule(mod)
			if !ok {
				continue
			}
			m, err := decoder.Decode(bin, wasm.Features2)
			if err != nil {
				t.Errorf("%s:%d: decoding failed: %v", name, f.line, err)
				continue
			}
			err = ValidateModule(m, wasm.Features2, nil)
			if head != "assert_invalid" {
				valid++
				if err != nil {
					t.Errorf("%s:%d: valid module rejected: %v", name, f.line, err)
					continue
				}
				accepted++
				continue
			}
			invalid++
			want := ""
			if len(f.list) >= 3 && f.list[2].isStr {
				want = string(f.list[2].str)
			}
			if err == nil {
				t.Errorf("%s:%d: invalid module accepted (want %q)", name, f.line, want)
				continue
			}
			if !errors.Is(err, wasm.ErrInvalid) {
				t.Errorf("%s:%d: error %v does not wrap ErrInvalid", name, f.line, err)
				continue
			}
			rejected++
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s:%d: error %q does not contain %q", name, f.line, err, want)
				continue
			}
			messages++
		}
	}
	t.Logf("valid binary modules accepted %d/%d; invalid rejected %d/%d, with the expected message %d/%d",
		accepted, valid, rejected, invalid, messages, invalid)
	if valid == 0 || invalid == 0 {
		t.Errorf("found no binary modules in %s", dir)
	}
}
