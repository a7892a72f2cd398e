package kiln

import (
	"context"
	"sync"
	"testing"
)

// TestFuncWrapperConcurrentLookup looks up the same imported host function
// from two goroutines at once: its *Func wrapper must exist before (made
// at definition) so that the lookups do not race on store.Function.Owner
// (run with -race), and both get the same wrapper.
func TestFuncWrapperConcurrentLookup(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{})
	if _, err := rt.NewHostModule("env").Func("f", func(x int32) int32 { return x + 1 }).Instantiate(context.Background()); err != nil {
		t.Fatal(err)
	}
	inst := instantiate(t, rt, `(module (import "env" "f" (func $f (param i32) (result i32)))
	  (export "f" (func $f)) (export "g" (func $f)))`)
	var wg sync.WaitGroup
	got := make([]*Func, 2)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := []string{"f", "g"}[i]
			got[i] = inst.Func(name)
			if res, err := got[i].Call(context.Background(), 1); err != nil || res[0] != 2 {
				t.Errorf("%s(1) = %v, %v", name, res, err)
			}
		}()
	}
	wg.Wait()
	if got[0] != got[1] {
		t.Fatal("two wrappers for one function")
	}
}
