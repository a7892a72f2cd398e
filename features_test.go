package kiln

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

func TestDefaultFeaturesAreWasm3(t *testing.T) {
	if got := NewRuntime(RuntimeConfig{}).Config().Features; got != wasm.Features3 {
		t.Fatalf("default features = %v, want WebAssembly 3.0 (%v)", got, wasm.Features3)
	}
	// A 3.0 module (tail call, memory64, exceptions, GC) compiles with the zero configuration.
	bin := parseAll(t, `(module
		(type $s (struct (field i32)))
		(memory i64 1)
		(tag $e)
		(func $g (result i32) (i32.const 7))
		(func (export "f") (result i32) (return_call $g))
		(func (export "s") (result i32) (struct.get $s 0 (struct.new $s (i32.const 1))))
		(func (export "t") (try_table (catch_all 0) (throw $e))))`)
	if _, err := NewRuntime(RuntimeConfig{}).CompileModule(context.Background(), bin); err != nil {
		t.Fatalf("zero RuntimeConfig rejects a WebAssembly 3.0 module: %v", err)
	}
}

func TestFeatureErrorNamesTheMissingProposal(t *testing.T) {
	for _, tc := range []struct {
		name     string
		features wasm.Features
		src      string
		missing  wasm.Features
		kind     error
	}{
		{"shared memory without threads", 0, `(module (memory 1 1 shared))`, wasm.FeatureThreads, wasm.ErrMalformed},
		{"atomic without threads", 0, `(module (memory 1 1 shared) (func (result i32) (i32.atomic.load (i32.const 0))))`, wasm.FeatureThreads, wasm.ErrMalformed},
		{"tail call under 2.0", wasm.Features2, `(module (func $g) (func (return_call $g)))`, wasm.FeatureTailCall, wasm.ErrMalformed},
		{"extended constant under 2.0", wasm.Features2, `(module (global i32 (i32.add (i32.const 1) (i32.const 2))))`, wasm.FeatureExtendedConst, wasm.ErrInvalid},
		{"two memories under 2.0", wasm.Features2, `(module (memory 1) (memory 1))`, wasm.FeatureMultiMemory, wasm.ErrInvalid},
		{"GC names GC, not what it builds on", wasm.Features2, `(module (type (struct)))`, wasm.FeatureGC, wasm.ErrMalformed},
		{"typed function references alone", wasm.Features2, `(module (type $t (func)) (func (param (ref null $t))))`, wasm.FeatureFunctionReferences, wasm.ErrMalformed},
		{"two proposals", wasm.Features2, `(module (memory i64 1) (func $g) (func (return_call $g)))`, wasm.FeatureTailCall | wasm.FeatureMemory64, wasm.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := parseAll(t, tc.src)
			_, err := NewRuntime(RuntimeConfig{Features: tc.features}).CompileModule(context.Background(), bin)
			var fe *FeatureError
			if !errors.As(err, &fe) {
				t.Fatalf("want a *FeatureError, got %v", err)
			}
			if fe.Missing != tc.missing {
				t.Errorf("Missing = %v, want %v", fe.Missing, tc.missing)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %v does not wrap %v", err, tc.kind)
			}
			for _, f := range tc.missing.List() {
				if msg := err.Error(); !strings.Contains(msg, f.String()) || !strings.Contains(msg, "wasm."+goName(f)) {
					t.Errorf("message %q does not name %v and how to enable it", msg, f)
				}
			}
			cfg := RuntimeConfig{Features: tc.features | fe.Missing}
			if cfg.Features == fe.Missing {
				cfg.Features |= DefaultFeatures
			}
			if _, err := NewRuntime(cfg).CompileModule(context.Background(), bin); err != nil {
				t.Errorf("with the missing features enabled: %v", err)
			}
		})
	}
}

func TestFeatureErrorOnlyWhenAFeatureHelps(t *testing.T) {
	// Invalid under every proposal: a plain error, no hint.
	bin := parseAll(t, `(module (func (result i32) (i64.const 0)))`)
	_, err := NewRuntime(RuntimeConfig{Features: wasm.Features2}).CompileModule(context.Background(), bin)
	var fe *FeatureError
	if err == nil || errors.As(err, &fe) {
		t.Fatalf("want a validation error without *FeatureError, got %v", err)
	}
	if !errors.Is(err, wasm.ErrInvalid) || !strings.Contains(err.Error(), "type mismatch") {
		t.Fatalf("unexpected error %v", err)
	}
}

// goName is a feature's Go identifier without the package.
func goName(f wasm.Features) string { return strings.TrimPrefix(f.GoString(), "wasm.") }

// parseAll encodes WAT source with every proposal's text rules.
func parseAll(t *testing.T, src string) []byte {
	t.Helper()
	bin, err := wast.Parser{Features: wasm.FeaturesAll}.ParseModule("test.wat", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return bin
}
