package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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
	root, ws := wasixWorkspace(t, "child", "ksh")
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

// wasixWorkspace makes a directory holding workspace/NAME.wasm for each
// test program of package wasix named, to be mounted as the guest's /.
func wasixWorkspace(t *testing.T, names ...string) (root, ws string) {
	t.Helper()
	root = t.TempDir()
	ws = filepath.Join(root, "workspace")
	if err := os.MkdirAll(ws, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		bin, err := os.ReadFile(filepath.Join("..", "..", "wasix", "testdata", name+".wasm"))
		if err != nil {
			t.Fatal(err)
		}
		writeBytes(t, filepath.Join(ws, name+".wasm"), bin)
	}
	return root, ws
}

// TestRunForkBombAudited: a guest that spawns itself recursively stops at
// --max-procs with EAGAIN; the audit log has every allowed spawn, with
// the program and the spawning process's PID, and the quota refusal.
func TestRunForkBombAudited(t *testing.T) {
	root, ws := wasixWorkspace(t, "child")
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	code, out, errOut := kilnRun(t, "--audit", log, "--dir", root+"::/", "--allow-program", "/workspace/child.wasm",
		"--max-procs", "3", filepath.Join(ws, "child.wasm"), "bomb", "1")
	want := "depth 3: spawn errno 6\ndepth 2: child joined errno 0, exit 0\ndepth 1: child joined errno 0, exit 0\n"
	if code != 0 || out != want {
		t.Fatalf("code %d, stdout %q, stderr %q; want %q", code, out, errOut, want)
	}
	recs := auditRecords(t, log)
	for _, pid := range []string{"1", "2"} {
		if _, ok := findRecord(recs, map[string]string{"op": "spawn", "program": "/workspace/child.wasm", "decision": "allowed", "pid": pid}); !ok {
			t.Errorf("no allowed spawn record of pid %s: %v", pid, recs)
		}
	}
	r, ok := findRecord(recs, map[string]string{"op": "quota", "decision": "denied", "pid": "3"})
	if !ok || !strings.Contains(fmt.Sprint(r["detail"]), "processes") {
		t.Errorf("no quota record for the fourth process: %v", recs)
	}
}

// TestRunForwardsSIGTERM: kiln run passes a SIGTERM it receives to its
// WASIX guest (which kiln would otherwise not catch at all); the guest,
// without a handler, ends as the signal's default action does: exit
// status 143. The test catches SIGTERM itself, so that a signal sent
// before kiln listens cannot end the test binary; it is sent again if the
// guest has not ended.
func TestRunForwardsSIGTERM(t *testing.T) {
	_, ws := wasixWorkspace(t, "child")
	mine := make(chan os.Signal, 4)
	signal.Notify(mine, syscall.SIGTERM)
	defer signal.Stop(mine)
	done := make(chan [3]any, 1)
	go func() {
		code, out, errOut := kilnRun(t, filepath.Join(ws, "child.wasm"), "sleep")
		done <- [3]any{code, out, errOut}
	}()
	for attempt := 0; attempt < 10; attempt++ {
		time.Sleep(300 * time.Millisecond)
		if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-done:
			if r[0] != 143 {
				t.Errorf("code %v, stdout %q, stderr %q; want 143", r[0], r[1], r[2])
			}
			return
		case <-time.After(3 * time.Second):
		}
	}
	t.Fatal("the guest did not end after SIGTERM")
}
