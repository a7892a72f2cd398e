package examples_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wast"
)

// Example_compilationCache compiles a module through a compilation cache
// directory, then, as a second process would, opens the same directory
// and loads the module from it instead of compiling it again. It also
// saves an artifact (what kiln compile writes), which CompileModule
// accepts in place of the module binary.
func Example_compilationCache() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "kiln-cache")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bin, err := wast.ParseModule("square.wat", []byte(`(module
	  (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))`))
	if err != nil {
		log.Fatal(err)
	}

	for i := 1; i <= 2; i++ {
		cache, err := kiln.OpenCompilationCache(dir) // creates dir/key the first time
		if err != nil {
			log.Fatal(err)
		}
		rt := kiln.NewRuntime(kiln.RuntimeConfig{CompilationCache: cache})
		cm, err := rt.CompileModule(ctx, bin)
		if err != nil {
			log.Fatal(err)
		}
		s := cache.Stats()
		fmt.Printf("run %d: %d compiled, %d loaded from the cache\n", i, s.Misses, s.Hits)

		if i == 2 {
			artifact, err := rt.SaveCompiled(cm)
			if err != nil {
				log.Fatal(err)
			}
			cm, err = rt.CompileModule(ctx, artifact) // or rt.LoadCompiled(artifact)
			if err != nil {
				log.Fatal(err)
			}
			inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
			if err != nil {
				log.Fatal(err)
			}
			res, err := inst.Func("square").Call(ctx, 12)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Println("square(12) from the artifact:", res[0], "- authenticated:", cache.Stats().Hits == 2)
		}
	}
	// Output:
	// run 1: 1 compiled, 0 loaded from the cache
	// run 2: 0 compiled, 1 loaded from the cache
	// square(12) from the artifact: 144 - authenticated: true
}
