package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func kilnCompile(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runCompile(args, &stdout, &stderr)
	return code, stderr.String()
}

// TestCompileArtifact: kiln compile writes an artifact that kiln run
// loads, on every engine of the build (the JIT's carries machine code);
// under another cache's key, or with a byte changed, kiln run says so
// and compiles the module it carries again.
func TestCompileArtifact(t *testing.T) {
	for _, eng := range engines {
		t.Run(eng.name, func(t *testing.T) { testCompileArtifact(t, eng.name) })
	}
}

func testCompileArtifact(t *testing.T, eng string) {
	m := writeWat(t, exportsWat)
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	art := filepath.Join(dir, "m.kc")
	if code, errOut := kilnCompile(t, "--engine", eng, "--cache", cache, m, "-o", art); code != 0 {
		t.Fatalf("kiln compile: exit %d: %s", code, errOut)
	}
	code, out, errOut := kilnRun(t, "--engine", eng, "--cache", cache, "--invoke", "add", art, "2", "3")
	if code != 0 || out != "5\n" || errOut != "" {
		t.Fatalf("run artifact: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = kilnRun(t, "--engine", eng, "--cache", filepath.Join(dir, "other"), "--invoke", "add", art, "2", "3")
	if code != 0 || out != "5\n" || !strings.Contains(errOut, "compiled its module again") {
		t.Errorf("artifact under another key: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	data, err := os.ReadFile(art)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-40] ^= 1 // in the compiled code
	if err := os.WriteFile(art, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = kilnRun(t, "--engine", eng, "--cache", cache, "--invoke", "add", art, "2", "3")
	if code != 0 || out != "5\n" || !strings.Contains(errOut, "compiled its module again") {
		t.Errorf("corrupted artifact: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestRunCache(t *testing.T) {
	m := writeWat(t, exportsWat)
	cache := t.TempDir()
	for i := 0; i < 2; i++ {
		code, out, errOut := kilnRun(t, "--cache", cache, "--invoke", "add", m, "1", "1")
		if code != 0 || out != "2\n" {
			t.Fatalf("run %d: exit %d, stdout %q, stderr %q", i, code, out, errOut)
		}
	}
	entries, _ := filepath.Glob(filepath.Join(cache, "*.kc"))
	if len(entries) != 1 {
		t.Errorf("%d cache entries after two runs, want 1", len(entries))
	}
}

func TestCompileUsage(t *testing.T) {
	m := writeWat(t, exportsWat)
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, 0, "artifact"},
		{"no output", []string{m}, exitUsage, "-o FILE"},
		{"bad engine", []string{"--engine", "warp", m, "-o", "x"}, exitUsage, `unknown engine "warp"`},
		{"invalid module", []string{"--cache", t.TempDir(), writeWat(t, "(module (func (result i32)))"), "-o", filepath.Join(t.TempDir(), "x")}, exitError, "type mismatch"},
	} {
		code, errOut := kilnCompile(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", c.name, code, errOut, c.code, c.want)
		}
	}
}
