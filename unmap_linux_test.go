//go:build linux

package kiln

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/testsuite"
)

// TestDroppedInstancesUnmapped: a program that drops its runtimes and
// instances without closing them gets their host mappings back (linear
// memories, machine code, machine stacks, call indexes and link tables)
// once they are collected, on every engine. Each leaked mapping counts
// against the process's map limit (vm.max_map_count, 65530 by
// default), after which every mmap fails.
func TestDroppedInstancesUnmapped(t *testing.T) {
	if emu := testsuite.Emulator(); emu != "" {
		// qemu 7.2's user mode keeps page tables for every 4 GiB memory
		// reservation even after munmap: a thousand of them exhaust the
		// host, and its /proc/self/maps is its own account anyway.
		t.Skipf("under %s", emu)
	}
	const n = 200
	modules := []struct{ name, wat, export string }{
		{"plain", `(module (func (export "f") (result i32) (i32.const 7)))`, "f"},
		{"memory", `(module (memory 1) (func (export "f") (result i32)
			(i32.store (i32.const 8) (i32.const 7)) (i32.load (i32.const 8))))`, "f"},
		{"trap", `(module (memory 1) (func (export "f") (result i32)
			(i32.div_s (i32.const 1) (i32.const 0))))`, "f"},
		{"table", `(module (memory 1) (type $t (func (result i32)))
			(table 2 funcref) (elem (i32.const 0) $g $g)
			(func $g (result i32) (i32.const 7))
			(func (export "f") (result i32) (call_indirect (type $t) (i32.const 1))))`, "f"},
		{"imported table", `(module (import "env" "t" (table 2 funcref))
			(type $t (func (result i32)))
			(func (export "f") (result i32) (call_indirect (type $t) (i32.const 0))))`, "f"},
	}
	for _, eng := range []Engine{EngineInterpreter, EngineJIT, EngineAuto} {
		if err := eng.Available(); err != nil {
			t.Logf("%v: %v", eng, err)
			continue
		}
		for _, m := range modules {
			t.Run(eng.String()+"/"+m.name, func(t *testing.T) {
				// The exporter of the imported table lives through the run:
				// the dropped importers must not stay reachable from it.
				owner := NewRuntime(RuntimeConfig{Engine: eng})
				exporter := instantiate(t, owner, `(module (type $t (func (result i32)))
					(table (export "t") 2 funcref) (elem (i32.const 0) $g)
					(func $g (result i32) (i32.const 7)))`)
				run := func() {
					rt := NewRuntime(RuntimeConfig{Engine: eng})
					bin := compile(t, rt, m.wat)
					inst, err := rt.Instantiate(context.Background(), bin, ModuleConfig{
						Imports: new(Linker).Define("env", exporter)})
					if err != nil {
						t.Fatalf("instantiate: %v", err)
					}
					_, _ = inst.Func(m.export).Call(context.Background())
				}
				run() // the first run's lasting mappings (pools, shared stubs)
				settle()
				before := countMappings(t)
				for range n {
					run()
				}
				settle()
				after := countMappings(t)
				if after-before > n/10 {
					t.Errorf("%d mappings after %d dropped instances, %d before: %.1f per instance not given back",
						after, n, before, float64(after-before)/n)
				}
				runtime.KeepAlive(exporter)
			})
		}
	}
}

// settle runs the collector until the cleanups queued by what it
// frees have run.
func settle() {
	for range 4 {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
}

func countMappings(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	return bytes.Count(b, []byte{'\n'})
}
