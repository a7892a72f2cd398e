package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// A module that needs a disabled proposal is rejected with the proposal's
// name and the -enable flag that accepts it, by run and by validate.
func TestDisabledFeatureNamesTheFlag(t *testing.T) {
	bin, err := wast.Parser{Features: wasm.FeaturesAll}.ParseModule("tail.wat", []byte(
		`(module (func $g) (func (export "_start") (return_call $g)))`))
	if err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(t.TempDir(), "tail.wasm")
	if err := os.WriteFile(m, bin, 0o644); err != nil {
		t.Fatal(err)
	}
	const want = "the module uses tail-call, which is not enabled (add --enable tail-call)"
	code, _, errOut := kilnRun(t, "--enable", "2.0", m)
	if code != exitError || !strings.Contains(errOut, want) {
		t.Errorf("run --enable 2.0: code %d, stderr %q; want %q", code, errOut, want)
	}
	var stdout, stderr bytes.Buffer
	if code := runValidate([]string{"-enable", "2.0", m}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), want) {
		t.Errorf("validate -enable 2.0: code %d, stderr %q; want %q", code, stderr.String(), want)
	}
	stdout.Reset()
	if code := runValidate([]string{m}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "valid") {
		t.Errorf("validate with the default (3.0): code %d, stdout %q", code, stdout.String())
	}
}
