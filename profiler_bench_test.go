package kiln

import (
	"context"
	"testing"
)

// The cost of profiling: BenchmarkFib/BenchmarkLoop run without checks;
// the Cancellable variants run with a cancellable context (interruption
// checks on, as kiln run always has); the Profiled variants add a
// started Profiler sampling 100 times a second.

func benchFunc(b *testing.B, cfg RuntimeConfig, name string, arg uint64, ctx context.Context) {
	rt := NewRuntime(cfg)
	f := instantiate(b, rt, fibWAT).Func(name)
	stack := []uint64{arg}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stack[0] = arg
		if err := f.CallInto(ctx, stack); err != nil {
			b.Fatal(err)
		}
	}
}

func cancellable(b *testing.B) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	return ctx
}

func profiled(b *testing.B) RuntimeConfig {
	p := NewProfiler(0)
	if err := p.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		p.Stop()
		b.ReportMetric(float64(p.Samples())/b.Elapsed().Seconds(), "samples/s")
	})
	return RuntimeConfig{Profiler: p}
}

func BenchmarkFibCancellable(b *testing.B) {
	benchFunc(b, RuntimeConfig{}, "fib", 25, cancellable(b))
}

func BenchmarkFibProfiled(b *testing.B) {
	benchFunc(b, profiled(b), "fib", 25, context.Background())
}

func BenchmarkLoopCancellable(b *testing.B) {
	benchFunc(b, RuntimeConfig{}, "loop", 1_000_000, cancellable(b))
}

func BenchmarkLoopProfiled(b *testing.B) {
	benchFunc(b, profiled(b), "loop", 1_000_000, context.Background())
}
