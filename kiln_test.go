package kiln

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wast"
)

// compile parses WAT source and compiles it.
func compile(t testing.TB, rt *Runtime, src string) *CompiledModule {
	t.Helper()
	bin, err := wast.ParseModule("test.wat", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	return cm
}

func instantiate(t testing.TB, rt *Runtime, src string) *Instance {
	t.Helper()
	inst, err := rt.Instantiate(context.Background(), compile(t, rt, src), ModuleConfig{})
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return inst
}

const fibWAT = `(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "loop") (param $n i32) (result i64)
    (local $i i32) (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $acc)))`

func TestFibAndLoop(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{})
	inst := instantiate(t, rt, fibWAT)
	res, err := inst.Func("fib").Call(context.Background(), 20)
	if err != nil || res[0] != 6765 {
		t.Fatalf("fib(20) = %v, %v", res, err)
	}
	res, err = inst.Func("loop").Call(context.Background(), 1000)
	if err != nil || res[0] != 499500 {
		t.Fatalf("loop(1000) = %v, %v", res, err)
	}
}

func TestCallDepthLimit(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{MaxCallDepth: 500})
	inst := instantiate(t, rt, `(module (func $f (export "f") (param i32) (result i32)
		(call $f (i32.add (local.get 0) (i32.const 1)))))`)
	_, err := inst.Func("f").Call(context.Background(), 0)
	var trap *Trap
	if !errors.As(err, &trap) || trap.Code != TrapCallStackExhausted {
		t.Fatalf("err = %v, want call stack exhausted", err)
	}
	if len(trap.Frames) < 500 {
		t.Fatalf("backtrace has %d frames", len(trap.Frames))
	}
}

// TestTrapFormat: %v is the one-line message; %+v adds the innermost
// BacktraceFrames frames and "... N more frames".
func TestTrapFormat(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{MaxCallDepth: 100})
	inst := instantiate(t, rt, `(module (func $f (export "f") (call $f)))`)
	_, err := inst.Func("f").Call(context.Background())
	var trap *Trap
	if !errors.As(err, &trap) {
		t.Fatalf("err = %v", err)
	}
	if s := fmt.Sprintf("%v", err); s != "wasm trap: call stack exhausted" {
		t.Errorf("%%v = %q", s)
	}
	lines := strings.Split(strings.TrimSpace(fmt.Sprintf("%+v", trap)), "\n")
	more := fmt.Sprintf("  ... %d more frames", len(trap.Frames)-BacktraceFrames)
	if len(lines) != BacktraceFrames+3 || lines[1] != "wasm backtrace:" || lines[2] != "   0: 0x00001e - func[0]" || lines[len(lines)-1] != more {
		t.Errorf("%%+v: %d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
}
