package spectest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wast"
)

func TestOnResultReportsEveryCommand(t *testing.T) {
	src := `(module
  (func (export "id") (param i32) (result i32) (local.get 0))
  (func (export "boom") (unreachable)))
(assert_return (invoke "id" (i32.const 7)) (i32.const 7))
(assert_return (invoke "id" (i32.const 7)) (i32.const 8))
(assert_trap (invoke "boom") "unreachable")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(register "m")
`
	script, err := wast.Parser{}.ParseScript("t.wast", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	rep, err := RunScript(context.Background(), script, Options{OnResult: func(r Result) {
		got = append(got, fmt.Sprintf("%s:%d %s %s %s", r.Pos.File, r.Pos.Line, r.Kind, r.Status, r.Message))
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"t.wast:1 module pass ",
		"t.wast:4 assert_return pass ",
		"t.wast:5 assert_return fail expected [i32:8], got [i32:7]",
		"t.wast:6 assert_trap pass ",
		"t.wast:7 assert_invalid pass ",
		"t.wast:8 register pass ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.Passed != 5 || rep.Failed != 1 {
		t.Errorf("report %s", rep.Summary())
	}
}
