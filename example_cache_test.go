package kiln_test

import (
	"context"
	"fmt"
	"os"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wast"
)

// A compilation cache directory shared by processes: the second runtime
// (another process, typically) loads the module instead of compiling it.
func ExampleOpenCompilationCache() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "kiln-cache")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	bin, err := wast.ParseModule("m.wat", []byte(`(module (func (export "one") (result i32) (i32.const 1)))`))
	if err != nil {
		panic(err)
	}
	for i := 0; i < 2; i++ {
		cache, err := kiln.OpenCompilationCache(dir)
		if err != nil {
			panic(err)
		}
		rt := kiln.NewRuntime(kiln.RuntimeConfig{CompilationCache: cache})
		if _, err := rt.CompileModule(ctx, bin); err != nil {
			panic(err)
		}
		fmt.Printf("%+v\n", cache.Stats())
	}
	// Output:
	// {Hits:0 Misses:1 Rejected:0 WriteErrors:0 Upgraded:0}
	// {Hits:1 Misses:0 Rejected:0 WriteErrors:0 Upgraded:0}
}
