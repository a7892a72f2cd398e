package debuginfo

import (
	"os"
	"sync"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// load decodes testdata/dwarf/divide.wasm (C built with -g, see its
// build.sh) and returns it with the offset of its code section payload.
func load(t testing.TB) ([]byte, *wasm.Module, int) {
	t.Helper()
	bin, err := os.ReadFile("../../testdata/dwarf/divide.wasm")
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.FeaturesAll)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := decoder.Sections(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		if wasm.SectionID(h.ID) == wasm.SectionCode {
			return bin, m, h.PayloadOffset
		}
	}
	t.Fatal("no code section")
	return nil, nil, 0
}

// funcStart returns the binary offset of the first instruction of the
// function named name in the name section.
func funcStart(t *testing.T, m *wasm.Module, name string) int {
	t.Helper()
	for idx, n := range m.Names.Funcs {
		if n == name {
			return m.Codes[idx-m.NumImportedFuncs].BodyOffset
		}
	}
	t.Fatalf("no function %q", name)
	return 0
}

func TestLocateFunctions(t *testing.T) {
	_, m, codeStart := load(t)
	sm := New(m, codeStart)
	if sm == nil {
		t.Fatal("no source map for a module built with -g")
	}
	// The first instruction of each function maps to its own source
	// function, in divide.c, at or after the line of its definition.
	for name, line := range map[string]int{"divide": 6, "average": 10, "main": 14} {
		p, ok := sm.Locate(funcStart(t, m, name))
		if !ok || p.Function != name || p.File != "divide.c" || p.Line < line || p.Line > line+2 {
			t.Errorf("%s: Locate = %+v, %v; want function %s in divide.c near line %d", name, p, ok, name, line)
		}
	}
	if _, ok := sm.Locate(codeStart - 1); ok {
		t.Error("an offset before the code section has a source position")
	}
	if _, ok := sm.Locate(1 << 40); ok {
		t.Error("an offset past the code has a source position")
	}
}

func TestLocateConcurrently(t *testing.T) {
	_, m, codeStart := load(t)
	sm := New(m, codeStart)
	off := funcStart(t, m, "average")
	var wg sync.WaitGroup
	results := make([]store.SourcePos, 8)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i], _ = sm.Locate(off) // the first one parses
		}(i)
	}
	wg.Wait()
	for _, r := range results {
		if r != results[0] || r.Function != "average" {
			t.Fatalf("results differ or are wrong: %+v", results)
		}
	}
}

func TestNoDebugInfo(t *testing.T) {
	bin, err := wast.ParseModule("plain.wat", []byte(`(module (func))`))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features3)
	if err != nil {
		t.Fatal(err)
	}
	if Has(m) || New(m, 10) != nil {
		t.Fatal("a module without DWARF got a source map")
	}
}

// Debug information is guest input: damaged sections give no positions,
// never a panic.
func TestDamagedDebugInfo(t *testing.T) {
	_, m, codeStart := load(t)
	off := funcStart(t, m, "divide")
	for _, name := range []string{".debug_info", ".debug_line", ".debug_abbrev", ".debug_str"} {
		for _, cut := range []int{0, 1, 7, 40} {
			mm := *m
			mm.Customs = append([]wasm.CustomSection(nil), m.Customs...)
			for i := range mm.Customs {
				if c := &mm.Customs[i]; c.Name == name && cut < len(c.Data) {
					c.Data = c.Data[:cut]
				}
			}
			sm := New(&mm, codeStart)
			if sm == nil {
				continue
			}
			sm.Locate(off) // must not panic
		}
	}
}

func FuzzLocate(f *testing.F) {
	_, m, codeStart := load(f)
	var line, info []byte
	for _, c := range m.Customs {
		switch c.Name {
		case ".debug_line":
			line = c.Data
		case ".debug_info":
			info = c.Data
		}
	}
	f.Add(line[:min(len(line), 300)], info[:min(len(info), 300)], 100)
	f.Fuzz(func(t *testing.T, line, info []byte, off int) {
		mm := *m
		mm.Customs = append([]wasm.CustomSection(nil), m.Customs...)
		for i := range mm.Customs {
			switch c := &mm.Customs[i]; c.Name {
			case ".debug_line":
				c.Data = line
			case ".debug_info":
				c.Data = info
			}
		}
		if sm := New(&mm, codeStart); sm != nil {
			sm.Locate(codeStart + off)
		}
	})
}
