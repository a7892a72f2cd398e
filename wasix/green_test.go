package wasix_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// Table slots of testdata/wat/green.wat.
const (
	entryA       = 1
	entryBad     = 2
	entryTrapper = 3
	entryForever = 4
)

func TestGreenThreads(t *testing.T) {
	g := loadWAT(t, "green", wasi.Config{})
	before := runtime.NumGoroutine()
	steps := func() uint32 { return g.u32(0x700) }
	create := func(entry uint64) uint64 {
		t.Helper()
		g.errno(kernel.ESUCCESS, "create", 0x100, entry)
		return g.u64(0x100)
	}

	// Hostile creations.
	g.errno(kernel.EINVAL, "create", 0x100, entryBad)
	g.errno(kernel.EINVAL, "create", 0x100, 0) // null entry
	g.errno(kernel.EINVAL, "create", 0x100, 99)
	g.errno(kernel.EFAULT, "create", 0xfffc, entryA)

	a := create(entryA)
	if a == 0 {
		t.Fatal("a context got the main context's id 0")
	}
	// Each switch runs a until it switches back to the main context.
	for want := uint32(1); want <= 2; want++ {
		g.errno(kernel.ESUCCESS, "switch", a)
		if steps() != want {
			t.Fatalf("after switch %d: %d steps of a, want %d", want, steps(), want)
		}
	}
	g.errno(kernel.ESUCCESS, "switch", 0) // to the active context: a no-op
	g.errno(kernel.EINVAL, "switch", 99)
	g.errno(kernel.EINVAL, "destroy", 0) // the main context
	g.errno(kernel.ESUCCESS, "destroy", 99)
	// The third switch lets a return: the main context is resumed with
	// the failure, which ends the call (the thread) as a trap would.
	if _, err := g.callErr("switch", a); err == nil || !strings.Contains(err.Error(), "entry function returned") {
		t.Fatalf("switch to a context whose entry returns: %v", err)
	}
	if steps() != 3 {
		t.Errorf("a ran %d steps, want 3", steps())
	}
	g.errno(kernel.EINVAL, "switch", a) // ended
	g.errno(kernel.ESUCCESS, "destroy", a)
	g.errno(kernel.ESUCCESS, "destroy", a) // deleted: a no-op

	// A trap in a context is the trap of the main context.
	tr := create(entryTrapper)
	if _, err := g.callErr("switch", tr); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("switch to a trapping context: %v", err)
	}
	g.errno(kernel.ESUCCESS, "destroy", tr)

	// Destroying a suspended context unwinds its goroutine without
	// running guest code.
	f := create(entryForever)
	g.errno(kernel.ESUCCESS, "switch", f)
	n := steps()
	g.errno(kernel.ESUCCESS, "destroy", f)
	g.errno(kernel.EINVAL, "switch", f)
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > before {
		t.Errorf("%d goroutines after the contexts ended, %d before", got, before)
	}
	if steps() != n {
		t.Errorf("a destroyed context ran guest code: %d steps, want %d", steps(), n)
	}

	// A process holds a bounded number of contexts.
	count := 0
	for ; count <= 2000; count++ {
		if e := kernel.Errno(g.call("create", 0x100, entryA)[0]); e != kernel.ESUCCESS {
			if e != kernel.EAGAIN {
				t.Fatalf("create #%d: %v", count+1, e)
			}
			break
		}
	}
	if count != 1024 {
		t.Errorf("context limit hit after %d contexts, want 1024", count)
	}
}
