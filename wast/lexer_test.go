package wast

import (
	"strings"
	"testing"
)

func lexAll(t *testing.T, src string) ([]token, error) {
	t.Helper()
	l := newLexer("f.wat", src)
	var toks []token
	for {
		tok, err := l.next()
		if err != nil {
			return toks, err
		}
		if tok.kind == tokEOF {
			return toks, nil
		}
		toks = append(toks, tok)
	}
}

func TestLexer(t *testing.T) {
	src := "(module $m ;; comment\n  (; block (; nested ;) ;) \"a\\n\\u{1F600}\\41\" 0x1p3 i32.add offset=4 $\"x y\")"
	toks, err := lexAll(t, src)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind tokenKind
		text string
		line int
		col  int
	}{
		{tokLParen, "(", 1, 1},
		{tokKeyword, "module", 1, 2},
		{tokID, "$m", 1, 9},
		{tokString, "a\n\U0001F600A", 2, 28},
		{tokNumber, "0x1p3", 2, 46},
		{tokKeyword, "i32.add", 2, 52},
		{tokKeyword, "offset=4", 2, 60},
		{tokID, "$x y", 2, 69},
		{tokRParen, ")", 2, 75},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens %v, want %d", len(toks), toks, len(want))
	}
	for i, w := range want {
		g := toks[i]
		if g.kind != w.kind || g.text != w.text || g.pos.Line != w.line || g.pos.Col != w.col {
			t.Errorf("token %d = %v %q at %d:%d, want %v %q at %d:%d", i, g.kind, g.text, g.pos.Line, g.pos.Col, w.kind, w.text, w.line, w.col)
		}
	}
}

func TestLexerReserved(t *testing.T) {
	// Runs of characters that are not one token are reserved.
	for _, src := range []string{`"a"x`, `$l"a"`, `"a""b"`, `a;b`, `$`} {
		toks, err := lexAll(t, src)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if len(toks) != 1 || toks[0].kind != tokReserved {
			t.Errorf("%q lexes as %v, want one reserved token", src, toks)
		}
	}
}

func TestLexerErrors(t *testing.T) {
	tests := []struct{ src, msg string }{
		{`"abc`, "unclosed string"},
		{"\"a\nb\"", "line break in string"},
		{`"\q"`, "illegal escape"},
		{`"\u{110000}"`, "malformed unicode escape"},
		{`"\u{d800}"`, "malformed unicode escape"},
		{"\"\x01\"", "illegal control character"},
		{"(; unclosed", "unclosed block comment"},
		{"a\x00", "illegal character"},
		{"a\x80", "malformed UTF-8"},
		{"\"\xff\"", "malformed UTF-8"},
		{"é", "illegal character"},
	}
	for _, tt := range tests {
		_, err := lexAll(t, tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%q: error %v, want one containing %q", tt.src, err, tt.msg)
		}
	}
}

func TestParseTreeAnnotations(t *testing.T) {
	nodes, err := parseTree("f", `(module (@a x "y" (z (@b))) (@"str" 1) (func))`)
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 1 || len(nodes[0].kids()) != 2 || nodes[0].kids()[1].head() != "func" {
		t.Errorf("annotations not dropped: %d nodes", len(nodes[0].kids()))
	}
	if _, err := parseTree("f", "(module (func)"); err == nil || !strings.Contains(err.Error(), "f:1:1") {
		t.Errorf("unclosed list: %v", err)
	}
	if _, err := parseTree("f", "(module))"); err == nil || !strings.Contains(err.Error(), "f:1:9: unexpected token ')'") {
		t.Errorf("extra ')': %v", err)
	}
}

func TestParseTreeNestingLimit(t *testing.T) {
	deep := strings.Repeat("(", maxNesting+1) + strings.Repeat(")", maxNesting+1)
	if _, err := parseTree("f", deep); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("nesting limit: %v", err)
	}
	ok := "(module (func " + strings.Repeat("(block ", 1000) + strings.Repeat(")", 1000) + "))"
	if _, err := ParseModule("f", []byte(ok)); err != nil {
		t.Errorf("1000 nested blocks: %v", err)
	}
}

func TestLineCommentEnds(t *testing.T) {
	for _, nl := range []string{"\n", "\r", "\r\n"} {
		toks, err := lexAll(t, ";; comment"+nl+"nop")
		if err != nil || len(toks) != 1 || toks[0].text != "nop" {
			t.Errorf("line comment ended by %q: %v %v", nl, toks, err)
		}
	}
}
