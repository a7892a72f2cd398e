package kiln_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// A runtime restricted to WebAssembly 2.0 rejects a module that uses tail
// calls, and the error names the proposal and how to enable it.
func ExampleFeatureError() {
	ctx := context.Background()
	bin, err := wast.ParseModule("tail.wat", []byte(`(module
		(func $g (result i32) (i32.const 42))
		(func (export "f") (result i32) (return_call $g)))`))
	if err != nil {
		panic(err)
	}
	_, err = kiln.NewRuntime(kiln.RuntimeConfig{Features: wasm.Features2}).CompileModule(ctx, bin)
	var fe *kiln.FeatureError
	if errors.As(err, &fe) {
		fmt.Println(fe.Reason())
		fmt.Printf("%#v\n", fe.Missing)
	}
	// The zero configuration is WebAssembly 3.0, which has tail calls.
	_, err = kiln.NewRuntime(kiln.RuntimeConfig{}).CompileModule(ctx, bin)
	fmt.Println(err)
	// Output:
	// the module uses tail-call, which is not enabled
	// wasm.FeatureTailCall
	// <nil>
}
