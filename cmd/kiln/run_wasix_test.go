package main

import (
	"os"
	"path/filepath"
	"strings"
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

// TestRunShell: a small shell written in C (wasix/testdata/c/ksh.c) runs
// guest programs under kiln run: a three-stage pipeline, redirections,
// $?, a missing program, exit; --allow-spawn grants process creation,
// and without it every command fails with EPERM.
func TestRunShell(t *testing.T) {
	root := t.TempDir()
	ws := filepath.Join(root, "workspace")
	if err := os.MkdirAll(ws, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"child.wasm", "ksh.wasm"} {
		bin, err := os.ReadFile(filepath.Join("..", "..", "wasix", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		writeBytes(t, filepath.Join(ws, name), bin)
	}
	script := "child echo hello world | child upper | child cat\n" +
		"child exit 3\n" +
		"child echo status $?\n" +
		"child echo to a file > /workspace/f.txt\n" +
		"child echo more >> /workspace/f.txt\n" +
		"child cat < /workspace/f.txt | child upper\n" +
		"nosuch\n" +
		"child echo after a missing program $?\n" +
		"exit 5\n"
	shell := filepath.Join(ws, "ksh.wasm")
	code, out, errOut := kilnRunStdin(t, strings.NewReader(script), "--dir", root+"::/",
		"--allow-spawn", "--max-procs", "8", "--env", "PATH=/workspace", shell)
	want := "HELLO WORLD\nstatus 3\nTO A FILE\nMORE\nafter a missing program 127\n"
	if code != 5 || out != want || errOut != "ksh: nosuch: errno 44\n" {
		t.Errorf("code %d, stdout %q, stderr %q; want 5, %q", code, out, errOut, want)
	}
	code, out, errOut = kilnRunStdin(t, strings.NewReader("child echo hi\nchild echo $?\n"), "--dir", root+"::/",
		"--env", "PATH=/workspace", shell)
	if code != 127 || out != "" || errOut != "ksh: child: errno 63\nksh: child: errno 63\n" {
		t.Errorf("without --allow-spawn: code %d, stdout %q, stderr %q", code, out, errOut)
	}
}
