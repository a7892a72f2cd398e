package validator

import (
	"errors"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// decodeText encodes and decodes a WAT module without validating it.
func decodeText(t *testing.T, src string) *wasm.Module {
	t.Helper()
	bin, err := wast.Parser{Features: allFeatures}.ParseModule("test.wat", []byte(src))
	if err != nil {
		t.Fatalf("text: %v", err)
	}
	m, err := decoder.Decode(bin, allFeatures)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return m
}

// countBegins counts the bodies a visitor was begun on, by function index.
type countBegins map[uint32]int

func (c countBegins) visitor(idx uint32) FuncVisitor { return beginCounter{c, idx} }

type beginCounter struct {
	c   countBegins
	idx uint32
}

func (b beginCounter) Begin(*Func) error               { b.c[b.idx]++; return nil }
func (b beginCounter) Instr(*wasm.Instr, *State) error { return nil }
func (b beginCounter) End(*Func) error                 { return nil }

// TestFuncsBatches: a Funcs checks the bodies of batch after batch with
// the sections checked once, finds an invalid body in a later batch,
// and still checks other batches after it; NewFuncs reports a section's
// error as ValidateFuncs does.
func TestFuncsBatches(t *testing.T) {
	m := decodeText(t, `(module
		(import "env" "f" (func))
		(func (result i32) i32.const 1)
		(func (result i32) i32.const 2 i32.const 3 i32.add)
		(func (result i32) i64.const 1)
		(func))`)
	fs, err := NewFuncs(m, allFeatures)
	if err != nil {
		t.Fatal(err)
	}
	seen := countBegins{}
	for _, batch := range [][]int{{0}, {1, 3}, {0}} {
		if err := fs.Validate(batch, seen.visitor); err != nil {
			t.Fatalf("batch %v: %v", batch, err)
		}
	}
	if want := (countBegins{1: 2, 2: 1, 4: 1}); len(seen) != len(want) || seen[1] != 2 || seen[2] != 1 || seen[4] != 1 {
		t.Errorf("bodies visited %v, want %v", seen, want)
	}
	if err := fs.Validate([]int{2}, nil); !errors.Is(err, wasm.ErrInvalid) {
		t.Errorf("invalid body 2: %v, want wasm.ErrInvalid", err)
	}
	if err := fs.Validate([]int{1}, nil); err != nil {
		t.Errorf("after an invalid batch: %v", err)
	}
	if err := fs.Validate([]int{4}, nil); err == nil {
		t.Error("definition 4 of 4: no error")
	}

	bad := decodeText(t, `(module (func) (export "e" (func 0)) (export "e" (func 0)))`)
	_, err = NewFuncs(bad, allFeatures)
	if err == nil || !errors.Is(err, wasm.ErrInvalid) {
		t.Fatalf("duplicate export: NewFuncs says %v", err)
	}
	if err2 := ValidateFuncs(bad, allFeatures, []int{0}, nil); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("ValidateFuncs says %v, NewFuncs %v", err2, err)
	}
}

// TestDataSegmentErrorNamed: a data segment's invalid offset is reported
// with the segment's index (checkData formats it only on failure).
func TestDataSegmentErrorNamed(t *testing.T) {
	m := decodeText(t, `(module (memory 1) (data (i32.const 0) "a") (data (i64.const 0) "b"))`)
	err := ValidateModule(m, allFeatures, nil)
	var e *Error
	if !errors.As(err, &e) || e.Where != "data segment 1" {
		t.Fatalf("error %v, want one in data segment 1", err)
	}
}
