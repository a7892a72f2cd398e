package validator_test

import (
	"fmt"

	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// After a module fails under the enabled features, MissingFeatures names
// the proposals that would make it acceptable.
func ExampleMissingFeatures() {
	bin, err := wast.Parser{Features: wasm.FeaturesAll}.ParseModule("m.wat", []byte(`(module
		(memory 1 1 shared)
		(func $f) (func (return_call $f)))`))
	if err != nil {
		panic(err)
	}
	fmt.Println(validator.MissingFeatures(bin, wasm.Features2))
	fmt.Println(validator.MissingFeatures(bin, wasm.FeaturesAll) == 0)
	// Output:
	// threads|tail-call
	// true
}
