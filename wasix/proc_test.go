package wasix_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/testsuite"
)

// TestProcessTreesLeaveNothing runs the process programs (spawn, kill,
// fork, the shell, the fork bomb) several times: when wasix.Run returns,
// every process of the tree has ended, no host descriptor is left open
// and the goroutines of the processes are gone.
func TestProcessTreesLeaveNothing(t *testing.T) {
	names := map[string]bool{"spawn": true, "spawn-kill": true, "fork": true, "fork-bomb": true, "ksh": true, "spawn-bomb": true}
	var progs []program
	for _, p := range programs {
		if names[p.name] {
			progs = append(progs, p)
		}
	}
	if len(progs) != len(names) {
		t.Fatalf("found %d of the %d programs", len(progs), len(names))
	}
	run := func() {
		for _, p := range progs {
			if code, out, _ := runOnKiln(t, p); code != p.code || out != p.stdout {
				t.Fatalf("%s: exit %d, stdout %q", p.name, code, out)
			}
		}
	}
	run() // warm up: the runtime's pools, the test's temporary files
	fds, goroutines := testsuite.OpenFDs(t), runtime.NumGoroutine()
	for i := 0; i < 3; i++ {
		run()
	}
	if n := testsuite.OpenFDs(t); n > fds {
		t.Errorf("%d host descriptors open after the runs, %d before", n, fds)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("%d goroutines after the runs, %d before", n, goroutines)
	}
}
