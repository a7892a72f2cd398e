package wasmgen

import (
	"bytes"
	"context"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kilnrt/kiln"
)

// seedBytes returns deterministic pseudo-random input for seed.
func seedBytes(seed int64, n int) []byte {
	r := rand.New(rand.NewSource(seed))
	b := make([]byte, n)
	r.Read(b)
	return b
}

var configs = map[string]Config{
	"default":      {},
	"differential": DifferentialConfig(),
	"mvp-ish":      {NoSIMD: true, NoRefTypes: true},
	"large":        {MaxFuncs: 10, MaxInstrs: 400, MaxDepth: 10},
	"host-imports": {HostImports: true, NoParamExports: true, SplitV128: true},
}

// TestGeneratedModulesValidate compiles (decodes, validates and
// translates) many generated modules with kiln.
func TestGeneratedModulesValidate(t *testing.T) {
	n := 500
	if testing.Short() {
		n = 100
	}
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	ctx := context.Background()
	for name, cfg := range configs {
		t.Run(name, func(t *testing.T) {
			for seed := int64(0); seed < int64(n); seed++ {
				bin := Generate(seedBytes(seed, 4096), cfg)
				if _, err := rt.CompileModule(ctx, bin); err != nil {
					t.Errorf("seed %d: %v", seed, err)
				}
			}
		})
	}
}

// TestGeneratedModulesValidateWabt checks a sample of generated modules
// with wabt's validator, an independent judge of the generator itself.
func TestGeneratedModulesValidateWabt(t *testing.T) {
	tool, err := exec.LookPath("wasm-validate")
	if err != nil {
		t.Skip("wasm-validate (wabt) not installed; install wabt to cross-check the generator")
	}
	dir := t.TempDir()
	for name, cfg := range configs {
		for seed := int64(0); seed < 40; seed++ {
			bin := Generate(seedBytes(seed, 4096), cfg)
			p := filepath.Join(dir, "m.wasm")
			if err := os.WriteFile(p, bin, 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(tool, p).CombinedOutput(); err != nil {
				t.Errorf("%s seed %d: wasm-validate: %v\n%s", name, seed, err, out)
			}
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	in := seedBytes(7, 4096)
	a := Generate(in, Config{})
	b := Generate(in, Config{})
	if !bytes.Equal(a, b) {
		t.Fatal("same input gave different modules")
	}
}

func TestGenerateSmallInputs(t *testing.T) {
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	for n := 0; n < 64; n++ {
		bin := Generate(seedBytes(int64(n), n), Config{})
		if _, err := rt.CompileModule(context.Background(), bin); err != nil {
			t.Errorf("input of %d bytes: %v", n, err)
		}
	}
}

func FuzzGenerateValid(f *testing.F) {
	f.Add([]byte{})
	f.Add(seedBytes(1, 1000))
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	f.Fuzz(func(t *testing.T, data []byte) {
		bin := Generate(data, Config{})
		if _, err := rt.CompileModule(context.Background(), bin); err != nil {
			t.Fatal(err)
		}
	})
}
