package wasi_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/vfs"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wast"
)

// traceWat opens "missing" (ENOENT) and "f.txt" (created), writes to it
// and to stdout, reads the clock, then exits with 3.
const traceWat = `(module
  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $time (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "missing")
  (data (i32.const 120) "f.txt")
  (data (i32.const 140) "hi there\n")
  (func (export "_start")
    (drop (call $open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 7) (i32.const 0) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 0)))
    (drop (call $open (i32.const 3) (i32.const 0) (i32.const 120) (i32.const 5) (i32.const 1) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 0)))
    (i32.store (i32.const 8) (i32.const 140))
    (i32.store (i32.const 12) (i32.const 9))
    (drop (call $write (i32.load (i32.const 0)) (i32.const 8) (i32.const 1) (i32.const 16)))
    (drop (call $write (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 16)))
    (drop (call $time (i32.const 1) (i64.const 0) (i32.const 24)))
    (call $exit (i32.const 3))))`

func runTraced(t *testing.T, groups wasi.TraceGroups) string {
	t.Helper()
	bin, err := wast.ParseModule("trace.wat", []byte(traceWat))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	var trace, stdout bytes.Buffer
	tr := wasi.NewTracer(&trace, groups)
	code, err := wasi.Run(ctx, rt, cm, wasi.Config{Args: []string{"trace"}, Stdout: &stdout,
		Mounts: []wasi.Mount{{FS: vfs.NewMemFS(), GuestPath: "."}}, Trace: tr})
	if err != nil || code != 3 {
		t.Fatalf("run: code %d, %v", code, err)
	}
	if stdout.String() != "hi there\n" {
		t.Errorf("stdout %q", stdout.String())
	}
	if err := tr.Err(); err != nil {
		t.Fatal(err)
	}
	return trace.String()
}

func TestTracer(t *testing.T) {
	got := runTraced(t, 0)
	want := []string{
		`path_open(3, 0x0, "missing", 0x0, 0x40, 0x0, 0x0, [0]) = 44 ENOENT`,
		`path_open(3, 0x0, "f.txt", 0x1, 0x40, 0x0, 0x0, [4]) = 0`,
		`fd_write(4, "hi there\n", [9]) = 0`,
		`fd_write(1, "hi there\n", [9]) = 0`,
		`proc_exit(3) = ? <exit 3>`,
	}
	for _, w := range want {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("trace lacks %q:\n%s", w, got)
		}
	}
	if !strings.Contains(got, "clock_time_get(1, 0, [") {
		t.Errorf("trace lacks the clock read:\n%s", got)
	}
	if n := strings.Count(got, "\n"); n != 6 {
		t.Errorf("%d lines, want one per call (6):\n%s", n, got)
	}
}

func TestTracerGroups(t *testing.T) {
	got := runTraced(t, wasi.TraceProcesses|wasi.TraceTime)
	if strings.Contains(got, "path_open") || strings.Contains(got, "fd_write") {
		t.Errorf("file calls traced without the files group:\n%s", got)
	}
	if !strings.Contains(got, "proc_exit(3)") || !strings.Contains(got, "clock_time_get") {
		t.Errorf("process and time calls missing:\n%s", got)
	}
	g, err := wasi.ParseTraceGroups("files, network,processes")
	if err != nil || g != wasi.TraceFiles|wasi.TraceNetwork|wasi.TraceProcesses {
		t.Errorf("ParseTraceGroups: %v, %v", g, err)
	}
	if _, err := wasi.ParseTraceGroups("disk"); err == nil || !strings.Contains(err.Error(), "files, network") {
		t.Errorf("unknown group: %v", err)
	}
}
