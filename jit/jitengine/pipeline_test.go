//go:build unix && amd64

package jitengine

import (
	"bytes"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/interp"
	"github.com/kilnrt/kiln/jit/internal/jittest"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// The pipelined compile (Validate: each function compiled as its body
// ends, its IR released) gives every function the same machine code as
// the two-phase one (Visitor and Codes: all functions built, then
// compiled), and leaves the same functions to the interpreter, with the
// same interpreter code, on every module of the 2.0 suite.
func TestPipelineSameCode(t *testing.T) {
	j, err := New(interp.NewEngine())
	if err != nil {
		t.Skip(err)
	}
	modules := 0
	jittest.Modules(t, func(where string, m *wasm.Module) {
		if same(t, j, m, wasm.Features2, where) {
			modules++
		}
	})
	t.Logf("%d modules compiled alike", modules)
}

// A function calling one the JIT leaves to the interpreter: the
// pipelined compile, which assumed every function compiled, compiles
// the module again knowing which.
func TestPipelineCallsFallback(t *testing.T) {
	j, err := New(interp.NewEngine())
	if err != nil {
		t.Skip(err)
	}
	bin, err := wast.Parser{Features: wasm.Features3}.ParseModule("fallback.wat", []byte(`(module
  (tag $t)
  (func $throws (throw $t))
  (func (export "f") (result i32) (call $throws) (i32.const 1))
  (func (export "g") (result i32) (i32.const 2)))`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features3)
	if err != nil {
		t.Fatal(err)
	}
	if !same(t, j, m, wasm.Features3, "fallback.wat") {
		t.Fatal("not compiled")
	}
	c := j.NewCompiler(m)
	if err := c.(engine.Validator).Validate(wasm.Features3); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{false, true, true} {
		if _, native := c.Codes()[i].(*Code); native != want {
			t.Errorf("function %d: compiled %v, want %v", i, native, want)
		}
	}
}

// same compiles m both ways and reports any difference as an error of
// where; it returns whether m was valid.
func same(t *testing.T, j engine.Engine, m *wasm.Module, features wasm.Features, where string) bool {
	t.Helper()
	two := j.NewCompiler(m)
	errTwo := validator.ValidateModule(m, features, two.Visitor)
	piped := j.NewCompiler(m)
	errPiped := piped.(engine.Validator).Validate(features)
	if (errTwo == nil) != (errPiped == nil) {
		t.Errorf("%s: two-phase error %v, pipelined %v", where, errTwo, errPiped)
		return false
	}
	if errTwo != nil {
		return false
	}
	a, b := two.Codes(), piped.Codes()
	for i := range a {
		ca, aNative := a[i].(*Code)
		cb, bNative := b[i].(*Code)
		switch {
		case aNative != bNative:
			t.Errorf("%s: function %d: compiled %v two-phase, %v pipelined", where, i, aNative, bNative)
		case !aNative:
			if a[i].(*interp.Code).String() != b[i].(*interp.Code).String() {
				t.Errorf("%s: function %d: interpreter code differs", where, i)
			}
		case !bytes.Equal(machineCode(ca), machineCode(cb)):
			t.Errorf("%s: function %d: machine code differs", where, i)
		}
	}
	return true
}

// machineCode is the code from c's entry to the end of its mapping.
func machineCode(c *Code) []byte {
	return c.mod.code.Bytes()[c.entry-c.mod.code.Addr():]
}
