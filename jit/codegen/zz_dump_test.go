package codegen

import (
	"os"
	"testing"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

func TestZZDump(t *testing.T) {
	src, _ := os.ReadFile(os.Getenv("ZZ_WAT"))
	bin, err := wast.ParseModule("x.wat", src)
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features2)
	if err != nil {
		t.Fatal(err)
	}
	n := len(m.Funcs) + int(m.NumImportedFuncs)
	s, _ := NewStream(make([]bool, n), amd64.Detect(), Options{})
	s.EnableBaseline(8)
	err = validator.Validate(m, validator.Config{Features: wasm.Features2}, func(idx uint32) validator.FuncVisitor { return s.Baseline(int(idx)) })
	if err != nil {
		t.Fatal(err)
	}
	mod, err := s.Link()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/zz.bin", mod.Code, 0o644)
	t.Log(mod.Entries, mod.Sizes)
}
