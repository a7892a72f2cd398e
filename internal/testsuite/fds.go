package testsuite

import (
	"os"
	"testing"
)

// OpenFDs counts the test process's open host descriptors (through
// /proc/self/fd), for tests that check nothing leaks; it skips t where
// they cannot be counted.
func OpenFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count open descriptors: %v", err)
	}
	return len(ents)
}
