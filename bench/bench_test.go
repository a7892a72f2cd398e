package bench

import (
	"context"
	"sync"
	"testing"
)

// The benchmarks are named <Group>/<case>/<engine>, e.g.
// BenchmarkRun/fib/wazero-interp. Run them with, for example,
//
//	go test -run '^$' -bench . -benchtime 200ms -count 1 ./

var (
	enginesOnce sync.Once
	engines     []Engine
	enginesNote string
	enginesErr  error
)

// sharedEngines creates the engines once per test binary; they live until
// the process exits.
func sharedEngines(tb testing.TB) []Engine {
	enginesOnce.Do(func() {
		engines, enginesNote, enginesErr = Engines(context.Background())
	})
	if enginesErr != nil {
		tb.Fatal(enginesErr)
	}
	if enginesNote != "" {
		tb.Log(enginesNote)
	}
	return engines
}

func benchGroup(b *testing.B, group string) {
	es := sharedEngines(b)
	for _, c := range Cases() {
		if c.Group != group {
			continue
		}
		c := c
		b.Run(c.Name, func(b *testing.B) {
			for _, e := range es {
				b.Run(e.Name(), c.Benchmark(e))
			}
		})
	}
}

// BenchmarkRun times one run(n) call of each workload.
func BenchmarkRun(b *testing.B) { benchGroup(b, "run") }

// BenchmarkCompile times decode+validate+translate (MB/s of module bytes).
func BenchmarkCompile(b *testing.B) { benchGroup(b, "compile") }
func BenchmarkLoad(b *testing.B)    { benchGroup(b, "load") }

// BenchmarkInstantiate times instantiating (and closing) a compiled module.
func BenchmarkInstantiate(b *testing.B) { benchGroup(b, "instantiate") }

// BenchmarkCall times a trivial host->wasm call and wasm->host round trips.
func BenchmarkCall(b *testing.B) { benchGroup(b, "call") }
