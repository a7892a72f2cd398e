// Package par runs the JIT's per-function work on every core: compiling
// one function never depends on compiling another, so the work is split
// by index and each result is stored at its index, which keeps the
// output independent of scheduling.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(i) for every i in [0, n), on up to GOMAXPROCS goroutines,
// and returns when all calls have returned. f must only write state of
// its own index. A panic in f is raised again in the caller, as if f had
// run there (the first one, when several calls panic).
func For(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var panicked any
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { panicked = r })
					next.Store(int64(n)) // the others stop at their next index
				}
			}()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}

// Chunks calls f(lo, hi) for contiguous runs of [0, n) that cover it,
// one per goroutine on up to GOMAXPROCS goroutines, and returns when all
// calls have returned; a panic is raised again as For's. For work too
// small per index to be handed out one index at a time.
func Chunks(n int, f func(lo, hi int)) {
	workers := max(min(runtime.GOMAXPROCS(0), n), 1)
	For(workers, func(w int) { f(n*w/workers, n*(w+1)/workers) })
}
