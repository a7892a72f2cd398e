//go:build linux && (amd64 || arm64) && kilnjit

package jitengine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/jit/jitengine"
	"github.com/kilnrt/kiln/wast"
)

// farIndexModule has 5000 types and 4100 tables, so that call_indirect's
// type ID and table view lie beyond the load immediates of arm64 (4096
// scaled words): "call" goes through the last type and table; a
// mismatched signature and an out-of-bounds element still trap.
func farIndexModule() string {
	const farTypes, farTables = 5000, 4100
	var b strings.Builder
	b.WriteString("(module\n")
	for i := 0; i < farTypes; i++ {
		fmt.Fprintf(&b, "  (type $t%d (func (param i32) (result i32)))\n", i)
	}
	b.WriteString("  (type $u (func (param i32 i32) (result i32)))\n")
	for i := 0; i < farTables; i++ {
		fmt.Fprintf(&b, "  (table $tab%d 2 funcref)\n", i)
	}
	fmt.Fprintf(&b, `  (elem (table $tab%[2]d) (i32.const 0) func $inc $two)
  (func $inc (type $t%[1]d) (i32.add (local.get 0) (i32.const 1)))
  (func $two (type $u) (i32.add (local.get 0) (local.get 1)))
  (func (export "call") (param $i i32) (param $x i32) (result i32)
    (call_indirect $tab%[2]d (type $t%[1]d) (local.get $x) (local.get $i))))`, farTypes-1, farTables-1)
	return b.String()
}

func TestCallIndirectFarIndices(t *testing.T) {
	bin, err := wast.ParseModule("far.wat", []byte(farIndexModule()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	results := map[kiln.Engine][]string{}
	for _, eng := range []kiln.Engine{kiln.EngineJIT, kiln.EngineInterpreter} {
		inst, _ := compileInstance(t, kiln.NewRuntime(kiln.RuntimeConfig{Engine: eng}), bin)
		before := jitengine.IndirectExits()
		for i := 0; i < 100; i++ {
			got, err := inst.Func("call").Call(ctx, 0, uint64(i))
			if err != nil || len(got) != 1 || got[0] != uint64(i+1) {
				t.Fatalf("%v: call(0, %d) = %v, %v; want %d", eng, i, got, err, i+1)
			}
		}
		if n := jitengine.IndirectExits() - before; eng == kiln.EngineJIT && n != 0 {
			t.Errorf("100 calls through type 4999 of table 4099: %d call_indirect exits, want 0", n)
		}
		for _, elem := range []uint64{1, 2} {
			_, err := inst.Func("call").Call(ctx, elem, 5)
			results[eng] = append(results[eng], fmt.Sprint(err))
		}
	}
	jit, interp := results[kiln.EngineJIT], results[kiln.EngineInterpreter]
	for i := range jit {
		if jit[i] != interp[i] || jit[i] == "<nil>" {
			t.Errorf("trap %d: jit %s, interpreter %s", i, jit[i], interp[i])
		}
	}
}
