package validator

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// labelProbe is a visitor that reads every part of State, so the fuzzer
// also exercises what engines see.
type labelProbe struct{}

func (labelProbe) Begin(*Func) error { return nil }
func (labelProbe) End(*Func) error   { return nil }
func (labelProbe) Instr(in *wasm.Instr, s *State) error {
	for d := uint32(0); d < uint32(s.Depth); d++ {
		_ = s.Label(d)
	}
	_ = s.Label(uint32(s.Depth)) // out of range: the zero Label
	return nil
}

// FuzzValidate decodes and validates arbitrary bytes: it must never panic.
func FuzzValidate(f *testing.F) {
	// (module (func (result i32) (i32.const 1)))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x01\x05\x01\x60\x00\x01\x7f\x03\x02\x01\x00\x0a\x06\x01\x04\x00\x41\x01\x0b"))
	// a body with blocks, a branch table and dead code
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x10\x01\x0e\x00" +
		"\x02\x40\x02\x40\x41\x00\x0e\x01\x00\x01\x0b\x0b\x00\x6a\x0b"))
	// Modules of the later proposals, from text.
	for _, src := range []string{
		`(module (tag $e (param i32)) (func (result i32) (block $h (result i32) (try_table (catch $e $h) (throw $e (i32.const 1))) (i32.const 0))))`,
		`(module (tag $e) (func (try $t (do (throw $e)) (catch $e (rethrow $t)) (catch_all)) (block (try (do) (delegate 0)))))`,
		`(module (rec (type $s (sub (struct (field $a (mut i8)) (field (ref null $t))))) (type $t (sub final $s (struct (field (mut i8)) (field (ref null $t)) (field i64)))))
			(func (param anyref) (result i32) (block (result (ref $s)) (br_on_cast 0 anyref (ref $s) (local.get 0)) (ref.cast (ref null $s)) (ref.as_non_null)) (struct.get_u $s $a)))`,
		`(module (memory 1 1 shared) (type $f (func (result i32))) (table 1 (ref null $f)) (func (type $f) (return_call_ref $f (ref.null $f))) (func (result i32) (i32.atomic.rmw8.add_u offset=2 (i32.const 0) (i32.const 1))))`,
	} {
		if bin, err := (wast.Parser{Features: wasm.Features3}).ParseModule("seed.wat", []byte(src)); err == nil {
			f.Add(bin)
		}
	}
	if root := os.Getenv("KILN_SPECTEST_DIR"); root != "" {
		// A few binary modules of the suite as seeds.
		paths, _ := filepath.Glob(filepath.Join(root, "wasm-2.0", "binary*.wast"))
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			forms, err := testsuite.ParseSexprs(src)
			if err != nil {
				continue
			}
			for _, form := range forms {
				if bin, ok := testsuite.BinaryModule(form); ok {
					f.Add(bin)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, bin []byte) {
		for _, features := range []wasm.Features{wasm.Features2, ^wasm.Features(0)} {
			m, err := decoder.Decode(bin, features)
			if err != nil {
				continue
			}
			_ = ValidateModule(m, features, func(uint32) FuncVisitor { return labelProbe{} })
		}
	})
}

// FuzzValidateBody type-checks arbitrary function bodies in the context of
// baseModule, which reaches the type checker far more often than whole
// random modules do. It must never panic.
func FuzzValidateBody(f *testing.F) {
	f.Add(code(i32c(1), blk(wasm.OpBlock, btI32), op(wasm.OpBrIf, 0), op(wasm.OpEnd), op(wasm.OpDrop)))
	f.Add(code(op(wasm.OpUnreachable), op(wasm.OpSelect), op(wasm.OpBrTable, 1, 0, 0), op(wasm.OpEnd)))
	f.Add(code(i32c(0), v128c(), mem(wasm.OpV128Load32Lane, 2, 0), raw(3), op(wasm.OpDrop)))
	f.Add(code(i32c(0), i32c(0), i32c(0), op(wasm.OpTableInit, 1, 1), op(wasm.OpRefFunc, 0), op(wasm.OpLocalSet, 1)))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, features := range []wasm.Features{wasm.Features2, ^wasm.Features(0)} {
			m := baseModule(vt(i32), vt(i32), vt(i64, wasm.RefType(false, 2), fref), body)
			_ = ValidateModule(m, features, func(uint32) FuncVisitor { return labelProbe{} })
		}
	})
}
