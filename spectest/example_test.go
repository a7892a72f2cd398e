package spectest_test

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln/spectest"
	"github.com/kilnrt/kiln/wast"
)

// OnResult sees every command of a script as it runs: the material of a
// per-assertion report for CI (kiln wast --json and --junit use it).
func ExampleOptions_onResult() {
	script, err := wast.Parser{}.ParseScript("demo.wast", []byte(`
(module (func (export "double") (param i32) (result i32)
  (i32.mul (local.get 0) (i32.const 2))))
(assert_return (invoke "double" (i32.const 21)) (i32.const 42))
(assert_return (invoke "double" (i32.const 2)) (i32.const 5))
`))
	if err != nil {
		panic(err)
	}
	_, err = spectest.RunScript(context.Background(), script, spectest.Options{
		OnResult: func(r spectest.Result) {
			fmt.Printf("line %d: %s %s", r.Pos.Line, r.Kind, r.Status)
			if r.Message != "" {
				fmt.Print(": ", r.Message)
			}
			fmt.Println()
		},
	})
	fmt.Println(err)
	// Output:
	// line 2: module pass
	// line 4: assert_return pass
	// line 5: assert_return fail: expected [i32:5], got [i32:4]
	// <nil>
}
