package testsuite

import (
	"bytes"
	"testing"
)

func TestParseSexprsBinaryModule(t *testing.T) {
	src := []byte(`;; a line comment
(module $m binary "\00asm" (; a (; nested ;) comment ;) "\01\00\00\00")
(assert_malformed
  (module binary "\u{41}\t\"\\")
  "magic header")
(module (func))`)
	forms, err := ParseSexprs(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(forms) != 3 {
		t.Fatalf("got %d forms, want 3", len(forms))
	}
	bin, ok := BinaryModule(forms[0])
	if want := []byte("\x00asm\x01\x00\x00\x00"); !ok || !bytes.Equal(bin, want) {
		t.Errorf("first module: %q, %v; want %q", bin, ok, want)
	}
	if forms[1].Line != 3 || forms[1].List[1].Line != 4 {
		t.Errorf("lines %d, %d; want 3, 4", forms[1].Line, forms[1].List[1].Line)
	}
	bin, ok = BinaryModule(forms[1].List[1])
	if want := []byte("A\t\"\\"); !ok || !bytes.Equal(bin, want) {
		t.Errorf("asserted module: %q, %v; want %q", bin, ok, want)
	}
	if msg := forms[1].List[2]; !msg.IsStr || msg.Atom != "magic header" {
		t.Errorf("message %+v, want the string \"magic header\"", msg)
	}
	if _, ok := BinaryModule(forms[2]); ok {
		t.Error("a text module was taken for a binary one")
	}
}

func TestParseSexprsErrors(t *testing.T) {
	for _, src := range []string{
		`(module`,
		`)`,
		`(module binary "abc`,
		"(module binary \"a\nb\")",
		`(module binary "\u{zz}")`,
		`(module binary "\q")`,
	} {
		if forms, err := ParseSexprs([]byte(src)); err == nil {
			t.Errorf("%q: parsed as %d forms, want an error", src, len(forms))
		}
	}
}
