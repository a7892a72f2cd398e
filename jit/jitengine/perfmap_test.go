//go:build linux && (amd64 || arm64)

package jitengine

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/interp"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

var perfLine = regexp.MustCompile(`^([0-9a-f]+) ([0-9a-f]+) wasm\[([^\]]*)\]:func\[([0-9]+)\]( [^\n]*)?$`)

// TestPerfMap: an engine told to (WritePerfMap) writes one line per
// compiled function to /tmp/perf-PID.map, in perf's format, at the
// function's entry, with its index and name; one not told to writes no
// file.
func TestPerfMap(t *testing.T) {
	path := perfMapPath()
	_ = os.Remove(path)
	t.Cleanup(func() { _ = os.Remove(path) })
	bin, err := wast.ParseModule("perf.wat", []byte(`(module
		(import "m" "f" (func $imp))
		(func $add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
		(func (param i32) (result i32) (call $add (local.get 0) (i32.const 1))))`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features2)
	if err != nil {
		t.Fatal(err)
	}
	// As a name section would (wast writes none).
	m.Names = &wasm.Names{Module: "perfmod", Funcs: map[uint32]string{1: "add"}}
	compile := func(perfMap bool) []any {
		j, err := New(interp.NewEngine())
		if err != nil {
			t.Skip(err)
		}
		if perfMap {
			j.(*Engine).WritePerfMap()
		}
		comp := j.NewCompiler(m)
		if err := validator.ValidateModule(m, wasm.Features2, comp.Visitor); err != nil {
			t.Fatal(err)
		}
		return comp.Codes()
	}
	if codes := compile(false); len(codes) != 2 {
		t.Fatalf("%d codes, want 2", len(codes))
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("an engine without WritePerfMap wrote %s (stat: %v)", path, err)
	}
	codes := compile(true)
	checkPerfMap(t, path, codes)
	// Code loaded from a compilation cache is named as compiled code.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	j, _ := New(interp.NewEngine())
	j.(*Engine).WritePerfMap()
	b, err := j.AppendCodes(nil, codes)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := j.DecodeCodes(m, b, false)
	if err != nil {
		t.Fatal(err)
	}
	checkPerfMap(t, path, loaded)
}

// checkPerfMap checks that the perf map at path has a line for each of
// codes, the module's two defined functions, and nothing else.
func checkPerfMap(t *testing.T, path string, codes []any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := regexp.MustCompile("\n").Split(string(b), -1)
	if lines[len(lines)-1] != "" {
		t.Fatalf("the map does not end with a newline: %q", b)
	}
	type entry struct {
		size uint64
		sym  string
		name string
	}
	got := map[uint64]entry{}
	for _, l := range lines[:len(lines)-1] {
		mm := perfLine.FindStringSubmatch(l)
		if mm == nil {
			t.Fatalf("line %q is not START SIZE wasm[MODULE]:func[INDEX]", l)
		}
		start, _ := strconv.ParseUint(mm[1], 16, 64)
		size, _ := strconv.ParseUint(mm[2], 16, 64)
		got[start] = entry{size, mm[3] + ":" + mm[4], mm[5]}
	}
	want := map[int]entry{0: {sym: "perfmod:1", name: " add"}, 1: {sym: "perfmod:2"}}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(got), len(want), b)
	}
	for i, c := range codes {
		cc, ok := c.(*Code)
		if !ok {
			t.Fatalf("function %d was not compiled", i+1)
		}
		e, ok := got[uint64(cc.entry)]
		if !ok {
			t.Fatalf("no line starts at function %d's entry %#x:\n%s", i+1, cc.entry, b)
		}
		if e.size == 0 || e.sym != want[i].sym || e.name != want[i].name {
			t.Errorf("function %d: size %d, symbol %q, name %q; want %q, %q", i+1, e.size, e.sym, e.name, want[i].sym, want[i].name)
		}
	}
}
