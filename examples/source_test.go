package examples_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
)

// A C program compiled with -g carries DWARF line information, so its
// traps say where in the C source they happened: Frame.Source holds the
// function, file, line and column (testdata/dwarf/divide.c).
func Example_sourceLevelTraps() {
	ctx := context.Background()
	bin, err := os.ReadFile("../testdata/dwarf/divide.wasm")
	if err != nil {
		log.Fatal(err)
	}
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		log.Fatal(err)
	}
	_, err = wasi.Run(ctx, rt, cm, wasi.Config{Args: []string{"divide"}})
	var trap *kiln.Trap
	if errors.As(err, &trap) {
		fmt.Println(trap)
		for _, f := range trap.Frames[:3] {
			fmt.Printf("%s %s:%d\n", f.Source.Function, f.Source.File, f.Source.Line)
		}
	}
	// Output:
	// wasm trap: integer divide by zero (in divide at divide.c:7:11)
	// divide divide.c:7
	// average divide.c:11
	// main divide.c:16
}
