//go:build linux && amd64 && !kilnjit

package codegen

import (
	"context"
	"errors"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/jit/internal/gentest"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// memModule exercises bounds checks at the end of memory, offsets past
// 2^31, every load and store width, and memory.grow inside a loop with
// values live across the exit.
const memModule = `(module
  (memory 1 8)
  (global $sp (mut i32) (i32.const 1024))
  (data (i32.const 65530) "\01\02\03\04\05\06")
  (func (export "growsp") (param i32) (result i32) (local $s i32)
    ;; runtime.growMemory's shape in Go's wasm: the stack pointer held in
    ;; a register across memory.grow, in a function without calls.
    (local.set $s (global.get $sp))
    (i32.store offset=8 (local.get $s) (local.get 0))
    (i32.store offset=16 (local.get $s) (memory.grow (i32.load offset=8 (local.get $s))))
    (global.set $sp (i32.add (local.get $s) (i32.const 8)))
    (i32.add (local.get $s) (i32.load offset=16 (local.get $s))))
  (func (export "load8") (param i32) (result i32) (i32.load8_s offset=3 (local.get 0)))
  (func (export "load16") (param i32) (result i64) (i64.load16_u offset=1 (local.get 0)))
  (func (export "load32s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "bigoff") (param i32) (result i32) (i32.load offset=0xfffffff0 (local.get 0)))
  (func (export "bigoff2") (param i32) (result i32) (i32.load8_u offset=0x7fffffff (local.get 0)))
  (func (export "f32") (param i32) (result f32)
    (f32.store offset=2 (local.get 0) (f32.const -1.5))
    (f32.load offset=2 (local.get 0)))
  (func (export "rw") (param i32) (result i64)
    (i64.store32 (local.get 0) (i64.const -1))
    (i64.store8 offset=1 (local.get 0) (i64.const 0x1234))
    (i32.store16 offset=2 (local.get 0) (i32.const 0xabcd))
    (i64.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (local i32 i32 i64)
    (local.set 3 (i64.const 7))
    (loop $l
      (local.set 2 (i32.add (local.get 2) (memory.grow (i32.const 1))))
      (local.set 3 (i64.mul (local.get 3) (i64.const 3)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.wrap_i64 (local.get 3)))
    (i32.add (i32.add (local.get 2) (memory.size))
      (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))))`

// TestMemoryAgainstInterpreter compares native memory instructions with
// kiln's interpreter on a fresh instance for each call.
func TestMemoryAgainstInterpreter(t *testing.T) {
	bin, err := wast.ParseModule("mem.wat", []byte(memModule))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features2)
	if err != nil {
		t.Fatal(err)
	}
	funcs := gentest.BuildModule(t, m)
	mem, err := gentest.ModuleMemory(m)
	if err != nil || mem == nil {
		t.Fatal("no memory", err)
	}
	e, n := compileNative(t, funcs, 1, mem, targets(t)[1])
	if n != len(funcs) {
		t.Fatalf("%d of %d functions compiled", n, len(funcs))
	}
	ctx := context.Background()
	rtm := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rtm.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	args := []uint64{0, 1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 65520, 65525, 65526, 65527, 65528, 65529, 65530, 65531, 65532, 65533, 65534, 65535, 65536, 1 << 31, 0xffffffff}
	compared := 0
	for _, x := range m.Exports {
		if x.Kind != wasm.ExternFunc {
			continue
		}
		for _, arg := range args {
			if (x.Name == "grow" || x.Name == "growsp") && arg > 9 {
				continue
			}
			inst, err := rtm.Instantiate(ctx, cm, kiln.ModuleConfig{})
			if err != nil {
				t.Fatal(err)
			}
			want, werr := inst.Func(x.Name).Call(ctx, arg)
			if err := mem.Init(); err != nil {
				t.Fatal(err)
			}
			e.Globals.W[0] = 1024
			got, gerr := e.Run(x.Index, []uint64{arg}, 1<<30)
			var trap *kiln.Trap
			switch {
			case errors.As(werr, &trap):
				if gerr == nil || gerr.Error() != trap.Code.String() {
					t.Errorf("%s(%#x): native %v, %v; interpreter trap %v", x.Name, arg, got, gerr, trap.Code)
				}
			case werr != nil:
				t.Fatal(werr)
			case gerr != nil || len(got) != 1 || got[0] != want[0]:
				t.Errorf("%s(%#x): native %v, %v; interpreter %v", x.Name, arg, got, gerr, want)
			}
			compared++
		}
	}
	t.Logf("%d calls compared", compared)
}
