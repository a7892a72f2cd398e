//go:build linux && (amd64 || arm64)

package jitengine_test

import (
	"strings"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/interp"
	"github.com/kilnrt/kiln/jit/jitengine"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// jitCodes compiles src with a new JIT engine and returns the engine
// and the codes it compiled (not its fallback's).
func jitCodes(t *testing.T, src string) (engine.Engine, []any) {
	t.Helper()
	e, err := jitengine.New(interp.NewEngine())
	if err != nil {
		t.Skip(err)
	}
	bin, err := wast.ParseModule("m.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features2)
	if err != nil {
		t.Fatal(err)
	}
	c := e.NewCompiler(m)
	if err := c.(engine.Validator).Validate(wasm.Features2); err != nil {
		t.Fatal(err)
	}
	var own []any
	for _, code := range c.Codes() {
		if e.Owns(code) {
			own = append(own, code)
		}
	}
	if len(own) == 0 {
		t.Fatal("the JIT compiled nothing")
	}
	return e, own
}

// TestDecodeCodesChecksItsInput: the serialized codes decode back to
// as many codes, and every truncation, a count or offset beyond the
// bytes, and code made under another key (options, features) are
// errors, never a panic or a bad read.
func TestDecodeCodesChecksItsInput(t *testing.T) {
	e, codes := jitCodes(t, mixedNoImports)
	b, err := e.AppendCodes(nil, codes)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.DecodeCodes(nil, b, false)
	if err != nil || len(got) != len(codes) {
		t.Fatalf("decode: %d codes, %v; want %d", len(got), err, len(codes))
	}
	for n := range len(b) {
		if _, err := e.DecodeCodes(nil, b[:n], false); err == nil {
			t.Fatalf("decode of the first %d of %d bytes succeeded", n, len(b))
		}
	}
	if _, err := e.DecodeCodes(nil, append(b[:len(b):len(b)], 0), false); err == nil {
		t.Error("decode with a byte left over succeeded")
	}
	// Every 4-byte word set to all ones: a count, length or offset
	// far beyond the input must fail cleanly (a word inside the
	// machine code or the sites may decode: it is trusted).
	for at := 0; at+4 <= len(b); at++ {
		c := append([]byte(nil), b...)
		copy(c[at:], []byte{0xff, 0xff, 0xff, 0xff})
		_, _ = e.DecodeCodes(nil, c, false)
	}
	other, _ := jitengine.New(interp.NewEngine())
	other.(interface{ CountDepth() }).CountDepth()
	if _, err := other.DecodeCodes(nil, b, false); err == nil || !strings.Contains(err.Error(), "depth=true") {
		t.Errorf("code compiled without depth counting, decoded by an engine counting depth: %v", err)
	}
}

// mixedNoImports has code of every kind of site: calls, traps, a
// call_indirect, memory.grow.
const mixedNoImports = `(module
  (memory 1 4)
  (table 2 funcref)
  (elem (i32.const 0) $fib $div)
  (type $bin (func (param i32 i32) (result i32)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $div (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "indirect") (param i32 i32 i32) (result i32)
    (call_indirect (type $bin) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`
