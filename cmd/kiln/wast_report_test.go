package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeScripts stores WAST scripts in a directory named suite and returns it.
func writeScripts(t *testing.T, suite string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), suite)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var reportScripts = map[string]string{
	"a.wast": `(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 1))
(assert_return (invoke "one") (i32.const 2))
`,
	"b.wast": `(module (func $f (unreachable)) (func (export "f") (call $f)))
(assert_trap (invoke "f") "unreachable")
`,
	"broken.wast": `(module (func (export "x")`,
}

func TestWastJSON(t *testing.T) {
	dir := writeScripts(t, "mysuite", reportScripts)
	var stdout, stderr bytes.Buffer
	if code := runWast([]string{"--json", dir}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1 (one assertion fails); stderr %s", code, stderr.String())
	}
	var rep jsonWastReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout.String())
	}
	if rep.Summary != (jsonWastCounts{Passed: 4, Failed: 2}) {
		t.Errorf("summary %+v", rep.Summary)
	}
	var got []string
	for _, r := range rep.Results {
		got = append(got, filepath.Base(r.File)+":"+strconv.Itoa(r.Line)+" "+r.Kind+" "+r.Status+" "+r.Message)
	}
	want := []string{
		"a.wast:1 module pass ",
		"a.wast:2 assert_return pass ",
		"a.wast:3 assert_return fail expected [i32:2], got [i32:1]",
		"b.wast:1 module pass ",
		"b.wast:2 assert_trap pass ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(rep.Files) != 3 || rep.Files[2].Name != "mysuite/broken.wast" || rep.Files[2].Error == "" || rep.Files[2].Failed != 1 {
		t.Errorf("files %+v", rep.Files)
	}
	// The text report moved to stderr.
	if !strings.Contains(stderr.String(), "4 passed, 2 failed, 0 skipped") {
		t.Errorf("stderr %q lacks the summary", stderr.String())
	}
}

func TestWastJUnit(t *testing.T) {
	dir := writeScripts(t, "mysuite", reportScripts)
	out := filepath.Join(t.TempDir(), "report.xml")
	var stdout, stderr bytes.Buffer
	if code := runWast([]string{"--junit", out, dir}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "4 passed, 2 failed, 0 skipped") {
		t.Errorf("the text report stays on stdout: %q", stdout.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	if doc.Tests != 6 || doc.Failures != 1 || doc.Errors != 1 || len(doc.Suites) != 3 {
		t.Fatalf("totals tests=%d failures=%d errors=%d suites=%d\n%s", doc.Tests, doc.Failures, doc.Errors, len(doc.Suites), data)
	}
	a := doc.Suites[0]
	if a.Name != "mysuite/a.wast" || a.Tests != 3 || a.Failures != 1 {
		t.Errorf("suite a: %+v", a)
	}
	if c := a.Cases[2]; c.Name != "line 3: assert_return" || c.Line != 3 || c.Failure == nil ||
		c.Failure.Message != "expected [i32:2], got [i32:1]" {
		t.Errorf("failing case %+v", c)
	}
	if broken := doc.Suites[2]; broken.Errors != 1 || broken.Cases[0].Error == nil {
		t.Errorf("broken script: %+v", broken)
	}
}
