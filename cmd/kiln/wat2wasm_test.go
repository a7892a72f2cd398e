package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWat2wasm(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "m.wat")
	if err := os.WriteFile(in, []byte(`(module (func (export "f") (result i32) (i32.const 42)))`), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := dispatch([]string{"wat2wasm", in}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	bin, err := os.ReadFile(filepath.Join(dir, "m.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(bin, []byte("\x00asm\x01\x00\x00\x00")) {
		t.Errorf("output is not a wasm binary: % x", bin)
	}

	out := filepath.Join(dir, "o.wasm")
	if code := dispatch([]string{"wat2wasm", in, "-o", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("-o: exit %d: %s", code, stderr.String())
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, bin) {
		t.Errorf("-o output differs")
	}
	stdout.Reset()
	if code := dispatch([]string{"wat2wasm", "-o", "-", in}, &stdout, &stderr); code != 0 || !bytes.Equal(stdout.Bytes(), bin) {
		t.Errorf("-o -: exit %d, %d bytes", code, stdout.Len())
	}
}

func TestWat2wasmErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.wat")
	if err := os.WriteFile(bad, []byte("(module\n  (func (i32.bogus)))"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := dispatch([]string{"wat2wasm", bad}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "bad.wat:2:10: unknown operator i32.bogus") {
		t.Errorf("bad input: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	if code := dispatch([]string{"wat2wasm"}, &stdout, &stderr); code != exitUsage {
		t.Errorf("no input: exit %d", code)
	}
	wide := filepath.Join(dir, "wide.wat")
	if err := os.WriteFile(wide, []byte("(memory 0x1_0000_0000)"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := dispatch([]string{"wat2wasm", wide, "-o", "-"}, &stdout, &stderr); code != 1 {
		t.Errorf("64-bit limit with 2.0 rules: exit %d", code)
	}
	if code := dispatch([]string{"wat2wasm", wide, "-o", "-", "-features", "memory64"}, &stdout, &stderr); code != 0 {
		t.Errorf("64-bit limit with -features memory64: exit %d: %s", code, stderr.String())
	}
	if code := dispatch([]string{"wat2wasm", wide, "-features", "bogus"}, &stdout, &stderr); code != exitUsage {
		t.Errorf("unknown feature: exit %d", code)
	}
	// An alignment whose exponent does not fit the memarg flags is
	// refused, not written as malformed memop flags.
	align := filepath.Join(dir, "align.wat")
	if err := os.WriteFile(align, []byte("(module (memory 1) (func (drop (i32.load align=4294967296 (i32.const 0)))))"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if code := dispatch([]string{"wat2wasm", align, "-o", "-"}, &stdout, &stderr); code != 1 || stdout.Len() != 0 ||
		!strings.Contains(stderr.String(), "align.wat:1:42: alignment 4294967296 too large") {
		t.Errorf("align=2^32: exit %d, %d bytes written, stderr %q", code, stdout.Len(), stderr.String())
	}
}
