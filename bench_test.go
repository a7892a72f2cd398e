package kiln

import (
	"context"
	"testing"

	"github.com/kilnrt/kiln/internal/raceflag"
)

func BenchmarkFib(b *testing.B) {
	rt := NewRuntime(RuntimeConfig{})
	fib := instantiate(b, rt, fibWAT).Func("fib")
	stack := []uint64{25}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stack[0] = 25
		if err := fib.CallInto(context.Background(), stack); err != nil {
			b.Fatal(err)
		}
	}
	if stack[0] != 75025 {
		b.Fatalf("fib(25) = %d", stack[0])
	}
}

func BenchmarkLoop(b *testing.B) {
	rt := NewRuntime(RuntimeConfig{})
	loop := instantiate(b, rt, fibWAT).Func("loop")
	stack := []uint64{1_000_000}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stack[0] = 1_000_000
		if err := loop.CallInto(context.Background(), stack); err != nil {
			b.Fatal(err)
		}
	}
}

// TestZeroAllocWasmCalls checks that wasm-to-wasm calls do not allocate:
// fib(15) makes about 2000 calls, and the whole embedder call through
// CallInto allocates nothing.
func TestZeroAllocWasmCalls(t *testing.T) {
	if raceflag.Enabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	rt := NewRuntime(RuntimeConfig{})
	fib := instantiate(t, rt, fibWAT).Func("fib")
	stack := []uint64{15}
	if err := fib.CallInto(context.Background(), stack); err != nil {
		t.Fatal(err)
	}
	allocs := callAllocs(func() {
		stack[0] = 15
		if err := fib.CallInto(context.Background(), stack); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per call of fib(15), want 0", allocs)
	}
}

// callAllocs is the allocations per call of f: the fewest that
// testing.AllocsPerRun counts in five tries of 20 calls. AllocsPerRun
// counts the whole process's allocations, and goroutines an earlier test
// left running (a background JIT compile, a finalizer) can add some to
// one try; an allocation f makes shows in every try.
func callAllocs(f func()) float64 {
	least := testing.AllocsPerRun(20, f)
	for try := 1; try < 5 && least > 0; try++ {
		least = min(least, testing.AllocsPerRun(20, f))
	}
	return least
}

func BenchmarkHostToWasmCall(b *testing.B) {
	rt := NewRuntime(RuntimeConfig{})
	f := instantiate(b, rt, `(module (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`).Func("inc")
	ctx := context.Background()
	b.Run("Call", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := f.Call(ctx, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CallInto", func(b *testing.B) {
		b.ReportAllocs()
		stack := []uint64{1}
		for i := 0; i < b.N; i++ {
			stack[0] = 1
			if err := f.CallInto(ctx, stack); err != nil {
				b.Fatal(err)
			}
		}
	})
	// An embedder's call with a context that can be cancelled (or has a
	// deadline): the interpreter must watch it without a per-call cost.
	b.Run("CallIntoCancellable", func(b *testing.B) {
		b.ReportAllocs()
		ctx := cancellable(b)
		stack := []uint64{1}
		for i := 0; i < b.N; i++ {
			stack[0] = 1
			if err := f.CallInto(ctx, stack); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// memoryLoopWAT fills 64 KiB with i32 stores and sums it back with loads:
// the interpreter's memory access path in a tight loop.
const memoryLoopWAT = `(module
	(memory 1)
	(func (export "fillsum") (param $rounds i32) (result i32)
		(local $i i32) (local $sum i32)
		(block $done (loop $round
			(br_if $done (i32.eqz (local.get $rounds)))
			(local.set $i (i32.const 0))
			(loop $fill
				(i32.store (local.get $i) (i32.add (local.get $i) (local.get $rounds)))
				(local.set $i (i32.add (local.get $i) (i32.const 4)))
				(br_if $fill (i32.lt_u (local.get $i) (i32.const 65536))))
			(local.set $i (i32.const 0))
			(loop $sum
				(local.set $sum (i32.add (local.get $sum) (i32.load (local.get $i))))
				(local.set $i (i32.add (local.get $i) (i32.const 4)))
				(br_if $sum (i32.lt_u (local.get $i) (i32.const 65536))))
			(local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
			(br $round)))
		(local.get $sum)))`

func BenchmarkMemoryLoop(b *testing.B) {
	rt := NewRuntime(RuntimeConfig{})
	f := instantiate(b, rt, memoryLoopWAT).Func("fillsum")
	stack := []uint64{10}
	b.ReportAllocs()
	b.SetBytes(10 * 2 * 65536)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stack[0] = 10
		if err := f.CallInto(context.Background(), stack); err != nil {
			b.Fatal(err)
		}
	}
	// Each round r adds sum(i + r) over i = 0, 4, ..., 65532 (mod 2^32).
	var want uint32
	for r := uint32(10); r > 0; r-- {
		for i := uint32(0); i < 65536; i += 4 {
			want += i + r
		}
	}
	if uint32(stack[0]) != want {
		b.Fatalf("fillsum(10) = %d, want %d", uint32(stack[0]), want)
	}
}
