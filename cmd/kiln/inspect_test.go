package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
)

// smallModule imports a function and a memory, defines one function of
// type [i32] -> [i32] and exports it, and carries a name section.
var smallModule = []byte("\x00asm\x01\x00\x00\x00" +
	"\x01\x06\x01\x60\x01\x7f\x01\x7f" + // type section
	"\x02\x14\x02\x03env\x01f\x00\x00\x03env\x03mem\x02\x00\x01" + // imports
	"\x03\x02\x01\x00" + // function section
	"\x07\x07\x01\x03inc\x00\x01" + // export "inc" = func 1
	"\x0a\x09\x01\x07\x00\x20\x00\x41\x01\x6a\x0b" + // body: local.get 0, i32.const 1, i32.add
	"\x00\x0a\x04name\x00\x03\x02md") // name section: module "md"

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCommand(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = dispatch(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestInspect(t *testing.T) {
	path := writeTemp(t, "m.wasm", smallModule)
	code, out, errOut := runCommand("inspect", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"sections (6):", "type", "import", "code", `custom "name"`,
		"env.f: func (type 0) (func (param i32) (result i32))",
		"env.mem: memory min 1",
		"inc: func 1",
		`module name: "md"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestValidate(t *testing.T) {
	path := writeTemp(t, "m.wasm", smallModule)
	if code, out, errOut := runCommand("validate", path); code != 0 || !strings.Contains(out, "valid") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// Ill-typed: the body returns nothing though the type promises an i32.
	invalid := bytes.Replace(smallModule, []byte("\x07\x00\x20\x00\x41\x01\x6a\x0b"), []byte("\x07\x00\x01\x01\x01\x01\x01\x0b"), 1)
	bad := writeTemp(t, "bad.wasm", invalid)
	if code, _, errOut := runCommand("validate", bad); code != 1 || !strings.HasPrefix(errOut, "kiln: "+bad+": ") {
		t.Errorf("invalid module: exit %d, stderr %q", code, errOut)
	}
}

func TestMalformedModuleErrors(t *testing.T) {
	path := writeTemp(t, "trunc.wasm", smallModule[:20])
	for _, cmd := range []string{"validate", "inspect"} {
		code, _, errOut := runCommand(cmd, path)
		if code != 1 || !strings.HasPrefix(errOut, "kiln: "+path+": ") || !strings.Contains(errOut, "length out of bounds") {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, errOut)
		}
		if code, _, _ := runCommand(cmd); code != exitUsage {
			t.Errorf("%s without a file: exit %d, want %d", cmd, code, exitUsage)
		}
	}
	if code, _, errOut := runCommand("validate", "-enable", "nonsense", path); code != exitUsage || !strings.Contains(errOut, "nonsense") {
		t.Errorf("unknown feature: exit %d, stderr %q", code, errOut)
	}
}

// TestInspectEngine: --engine compiles the module and counts the
// functions by the engine that compiled them; an unavailable engine is a
// usage error.
func TestInspectEngine(t *testing.T) {
	path := writeTemp(t, "m.wasm", smallModule)
	code, out, errOut := runCommand("inspect", "--engine", "interpreter", path)
	if code != 0 || !strings.Contains(out, "engine interpreter: 1 functions compiled: interpreter 1\n") || strings.Contains(out, "fallback") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCommand("inspect", "--engine", "jit", path)
	if kiln.EngineJIT.Available() != nil {
		if code != exitUsage || !strings.Contains(errOut, "not available") {
			t.Errorf("--engine jit: exit %d, stderr %q", code, errOut)
		}
	} else if code != 0 || !strings.Contains(out, "engine jit: 1 functions compiled: jit 1\n") || strings.Contains(out, "fallback") {
		t.Errorf("--engine jit: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
