package front

import (
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/jit/internal/jittest"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

func build(t *testing.T, wat string) []Result {
	t.Helper()
	return buildWith(t, wat, wasm.Features2)
}

func buildWith(t *testing.T, wat string, features wasm.Features) []Result {
	t.Helper()
	bin, err := wast.ParseModule("test.wat", []byte(wat))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, features)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(m, validator.Config{Features: features})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Func != nil {
			if err := ir.Verify(r.Func); err != nil {
				t.Fatalf("f%d does not verify: %v\n%v", r.Index, err, r.Func)
			}
		}
	}
	return res
}

func TestStraightLine(t *testing.T) {
	res := build(t, `(module (func (param i32 i64) (result i64)
		local.get 0
		i64.extend_i32_u
		local.get 1
		i64.add
		i64.const -2
		i64.and))`)
	want := `func f0(i32, i64) -> (i64)
b0(v0:i32, v1:i64):
  v3:i64 = extend_u v0
  v4:i64 = add v3, v1
  v5:i64 = const -2
  v6:i64 = and v4, v5
  jump b1(v6)
b1(v2:i64):
  return v2
`
	if got := res[0].Func.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A loop's locals become parameters of its header, passed on the entry
// edge and the back edge.
func TestLoopLocals(t *testing.T) {
	res := build(t, `(module (func (param $n i32) (result i32) (local $i i32) (local $acc i32)
		(block $done
			(loop $next
				(br_if $done (i32.ge_u (local.get $i) (local.get $n)))
				(local.set $acc (i32.add (local.get $acc) (local.get $i)))
				(local.set $i (i32.add (local.get $i) (i32.const 1)))
				(br $next)))
		(local.get $acc)))`)
	f := res[0].Func
	text := f.String()
	// The header (b3) carries i, n and acc (n only because the header is
	// unsealed when it is first read; opt removes the redundant one).
	for _, want := range []string{"ge_u", "add", "br_if", "const 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	var header *ir.Block
	for _, b := range f.Blocks {
		for _, e := range b.Term.Succs {
			if e.To.ID <= b.ID && e.To != nil { // back edge
				header = e.To
			}
		}
	}
	if header == nil {
		t.Fatalf("no back edge in\n%s", text)
	}
	if len(header.Params) < 2 {
		t.Errorf("loop header has %d parameters, want the loop-carried locals\n%s", len(header.Params), text)
	}
}

func TestControlForms(t *testing.T) {
	res := build(t, `(module
		(global $g (mut i64) (i64.const 0))
		(func $callee (param i32) (result i32) (local.get 0))
		(func (param i32) (result i32)
			(if (result i32) (local.get 0)
				(then (i32.const 1))
				(else (i32.const 2))))
		(func (param i32) (result i32)
			(block $a (block $b (block $c
				(br_table $a $b $c (local.get 0)))
				(return (i32.const 10)))
				(return (i32.const 20)))
			(i32.const 30))
		(func (param i32 i32) (result i32)
			(select (local.get 0) (local.get 1) (i32.eqz (local.get 0))))
		(func (param i32) (result i32)
			(global.set $g (i64.extend_i32_s (call $callee (local.get 0))))
			(i32.wrap_i64 (global.get $g)))
		(func (param i32) (result i32)
			(i32.const 1)
			(block (param i32) (result i32)
				(local.get 0)
				i32.add))
		(func (result i32)
			(unreachable)
			(i32.add (i32.const 1) (i32.const 2)))
		(func (param i32)
			(if (local.get 0) (then (local.set 0 (i32.const 5))))
			(drop (local.get 0)))
	)`)
	for _, r := range res {
		if r.Err != nil || r.Func == nil {
			t.Errorf("f%d: %v", r.Index, r.Err)
		}
	}
	// The unreachable body traps and emits nothing after it.
	dead := res[6].Func.String()
	if !strings.Contains(dead, "trap unreachable") || strings.Contains(dead, "add") {
		t.Errorf("dead code compiled:\n%s", dead)
	}
	// The if without else merges the written and the original local.
	merge := res[7].Func
	found := false
	for _, b := range merge.Blocks {
		if len(b.Params) == 1 && b != merge.Entry() && len(b.Term.Succs) == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("no merge parameter for the local:\n%v", merge)
	}
}

func TestUnsupportedFallsBack(t *testing.T) {
	// 3.0's multiple memories and 64-bit tables are not compiled yet.
	res := buildWith(t, `(module (memory 1) (memory $m 1) (table i64 1 funcref)
		(func (memory.fill $m (i32.const 0) (i32.const 0) (i32.const 0)))
		(func (result i64) (table.size))
		(func (param i32) (result i32) (local.get 0)))`, wasm.Features3)
	for i, want := range []string{"memory.fill", "table.size", ""} {
		r := res[i]
		if want == "" {
			if r.Err != nil || r.Func == nil {
				t.Errorf("f%d: %v", i, r.Err)
			}
			continue
		}
		if !errors.Is(r.Err, ErrUnsupported) || !strings.Contains(r.Err.Error(), want) || r.Func != nil {
			t.Errorf("f%d: err %v, func %v; want unsupported %s", i, r.Err, r.Func != nil, want)
		}
	}
}

func TestMemoryInstructions(t *testing.T) {
	res := build(t, `(module (memory 1)
		(func (param i32) (result i64 i32 i32)
			(i64.store16 offset=3 (local.get 0) (i64.const 5))
			(f64.store (local.get 0) (f64.const 1))
			(i64.load8_s offset=7 (local.get 0))
			(memory.grow (i32.const 1))
			(memory.size)))`)
	if res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	got := res[0].Func.String()
	for _, want := range []string{"store 16 offset=3", "store 64 offset=0", "i64 = load 8_s offset=7 v0", "memory.grow", "memory.size"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if err := ir.Verify(res[0].Func); err != nil {
		t.Error(err)
	}
}

// Every function of every module of the 2.0 suite that the front end
// accepts must verify.
func TestSpecModulesVerify(t *testing.T) {
	compiled, fallback := 0, 0
	jittest.Modules(t, func(where string, m *wasm.Module) {
		res, err := Build(m, validator.Config{Features: wasm.Features2})
		if err != nil {
			t.Errorf("%s: %v", where, err)
			return
		}
		for _, r := range res {
			if r.Func == nil {
				fallback++
				continue
			}
			compiled++
			if err := ir.Verify(r.Func); err != nil {
				t.Errorf("%s: f%d: %v\n%v", where, r.Index, err, r.Func)
			}
		}
	})
	t.Logf("wasm-2.0 modules: %d functions built and verified, %d left to the interpreter", compiled, fallback)
	if compiled == 0 {
		t.Error("no function compiled")
	}
}
