package interp

import (
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// translateAll is translate with every proposal enabled.
func translateAll(t *testing.T, src string) []*Code {
	t.Helper()
	all := ^wasm.Features(0)
	bin, err := wast.Parser{Features: all}.ParseModule("t.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, all)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCompiler(m)
	if err := validator.ValidateModule(m, all, c.Visitor); err != nil {
		t.Fatal(err)
	}
	return c.Codes()
}

func TestProposalTranslationShapes(t *testing.T) {
	cases := []struct {
		name string
		mod  string
		want []opcode
	}{
		{"64-bit memory takes the general access", `(memory i64 1) (func (param i64) (result i32) (i32.load offset=8 (local.get 0)))`,
			[]opcode{opMemX, opReturn1}},
		{"memory 1 takes the general access", `(memory 1) (memory 1) (func (param i32) (i32.store 1 (local.get 0) (i32.const 1)))`,
			[]opcode{opConst, opMemX, opReturn}},
		{"return_call replaces the frame", `(func $f (param i32) (result i32) (return_call $f (local.get 0)))`,
			[]opcode{opCopy, opReturnCall}},
		{"atomic.fence emits nothing", `(memory 1 1 shared) (func (atomic.fence))`,
			[]opcode{opReturn}},
		{"try_table is a block with a handler", `(tag $e) (func (try_table (catch_all 0) (throw $e)))`,
			[]opcode{opThrow, opReturn, opReturn}},
		{"extern.convert_any emits nothing", `(func (param anyref) (result externref) (extern.convert_any (local.get 0)))`,
			[]opcode{opReturn}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			codes := translateAll(t, "(module "+c.mod+")")
			code := codes[len(codes)-1]
			if got := ops(code); !sameOps(got, c.want) {
				t.Fatalf("got ops %v, want %v\n%s", got, c.want, code)
			}
		})
	}
}

func TestHandlerTable(t *testing.T) {
	code := translateAll(t, `(module (tag $e (param i32))
	  (func (result i32)
	    (block $h (result i32)
	      (try_table (catch $e $h) (throw $e (i32.const 1)))
	      (i32.const 0))))`)[0]
	if len(code.handlers) != 1 {
		t.Fatalf("%d handlers, want 1", len(code.handlers))
	}
	h := code.handlers[0]
	cl := h.clauses[0]
	if h.start != 0 || h.end < 1 || h.parent != -1 || cl.tag != 0 || cl.ref || cl.target <= h.start {
		t.Fatalf("handler %+v", h)
	}
	if got := code.innermostHandler(h.start); got != 0 {
		t.Fatalf("innermost handler of the throw = %d", got)
	}
}
