// Package testsuite locates the official test suites for kiln's tests.
//
// The suites are never vendored: tests read them from $KILN_SPECTEST_DIR
// (the WebAssembly core suite, with wasm-2.0/, wasm-3.0/, threads/ and
// legacy-exceptions/) and $KILN_WASI_TESTSUITE_DIR. When a suite is missing
// the test is skipped with a message saying how to obtain it, unless
// KILN_REQUIRE_SPECTEST=1, which CI sets, turns the skip into a failure.
//
// It also reads scripts as plain s-expressions (ParseSexprs, Scripts) and
// extracts (module binary ...) forms (BinaryModule), for the tests of the
// decoder and validator, which must not depend on package wast.
//
// When the tests are cross-compiled and run under a user-mode emulator,
// $KILN_TEST_EMULATOR names it: SelfCommand starts the test binary again
// through it, and tests that measure a process skip (see Emulator).
package testsuite

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Spec returns $KILN_SPECTEST_DIR/sub (e.g. "wasm-2.0"), or skips t.
func Spec(t testing.TB, sub string) string {
	t.Helper()
	return dir(t, "KILN_SPECTEST_DIR", sub,
		"the .wast files of tags wg-2.0 / wg-3.0 of github.com/WebAssembly/spec (test/core)")
}

// WASI returns $KILN_WASI_TESTSUITE_DIR, or skips t.
func WASI(t testing.TB) string {
	t.Helper()
	return dir(t, "KILN_WASI_TESTSUITE_DIR", "",
		"the prebuilt tests of github.com/WebAssembly/wasi-testsuite (branch prod/testsuite-base)")
}

func dir(t testing.TB, env, sub, what string) string {
	t.Helper()
	root := os.Getenv(env)
	d := filepath.Join(root, sub)
	if root != "" {
		if info, err := os.Stat(d); err == nil && info.IsDir() {
			return d
		}
	}
	msg := "test suite not found: set " + env + " to a directory holding "
	if sub != "" {
		msg += sub + "/: "
	}
	msg += what
	if os.Getenv("KILN_REQUIRE_SPECTEST") == "1" {
		t.Fatal(msg + " (required by KILN_REQUIRE_SPECTEST=1)")
	}
	t.Skip(msg)
	return ""
}

// WastFiles returns every .wast file below dir, sorted.
func WastFiles(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".wast") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}
