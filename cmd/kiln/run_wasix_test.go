package main

import (
	"path/filepath"
	"testing"
)

// TestRunWASIX: kiln run runs a module that imports wasix_32v1 with no
// flag: the 8-thread futex counter of package wasix, and proc_exit2
// called from a thread while the main thread blocks.
func TestRunWASIX(t *testing.T) {
	dir := filepath.Join("..", "..", "wasix", "testdata")
	code, out, errOut := kilnRun(t, filepath.Join(dir, "futex_counter.wasm"))
	if code != 0 || out != "threads 8, total 160000 (want 160000)\n" {
		t.Fatalf("futex_counter: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = kilnRun(t, filepath.Join(dir, "proc_exit2.wasm"), "thread")
	if code != 9 || out != "main waits, thread calls proc_exit2(9)\n" {
		t.Fatalf("proc_exit2 from a thread: code %d, stdout %q, stderr %q; want 9", code, out, errOut)
	}
}
