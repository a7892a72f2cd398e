package main

// Hostile guests against kiln run's operating-system layer, under its
// defaults: an audit-log flood, a mkdir flood, a module that never ends
// (/dev/zero), a large write to a pipe nobody reads, and writes to a
// pipe whose reader has gone (`kiln run yes.wasm | head -2`).

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/kernel"
)

// 200,000 refused opens (once 88 MB of audit log in 3 s) write a log of
// a few KB: records of one kind beyond the rate are counted.
func TestHostileAuditFlood(t *testing.T) {
	var scratch string
	hostile(t, hostileBomb{
		wat:    mustRead(t, "testdata/auditflood.wat"),
		args:   []string{"run", "--audit", "{dir}/audit.jsonl", "--dir", "{dir}::/d", "--invoke", "flood", "{file}", "200000"},
		setup:  func(t *testing.T, dir string) { scratch = dir },
		stdout: fmt.Sprintf("%d\n", kernel.EPERM),
	})
	st, err := os.Stat(filepath.Join(scratch, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > 256<<10 {
		t.Errorf("audit log of %d bytes", st.Size())
	}
	t.Logf("audit log: %d bytes", st.Size())
}

// A mkdir loop (once 20,000 directories under --max-file-write 1K) stops
// at the default --max-file-entries with EDQUOT. The time is the host's:
// 10,000 mkdir(2) calls take several seconds on a slow file system.
func TestHostileMkdirFlood(t *testing.T) {
	var scratch string
	hostile(t, hostileBomb{
		wat:    mkdirBombWat,
		args:   []string{"run", "--max-file-write", "1K", "--dir", "{dir}::/d", "--invoke", "bomb", "{file}"},
		setup:  func(t *testing.T, dir string) { scratch = dir },
		stdout: fmt.Sprintf("%d\n%d\n", defaultMaxFileEntries, kernel.EDQUOT),
		bounds: hostileBounds{wall: time.Minute, cpu: 30 * time.Second},
	})
	if ents, err := os.ReadDir(scratch); err != nil || len(ents) != defaultMaxFileEntries {
		t.Errorf("%d directories made, %v", len(ents), err)
	}
}

// `kiln run /dev/zero` (once a read without end) is refused after its
// first block.
func TestHostileModuleDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	hostile(t, hostileBomb{
		args:   []string{"run", "/dev/zero"},
		exit:   exitError,
		stderr: "not a WebAssembly module",
		bounds: hostileBounds{wall: 5 * time.Second},
	})
	hostile(t, hostileBomb{
		wat:    `(module)`,
		args:   []string{"run", "--trusted-key", "/dev/zero", "{file}"},
		exit:   exitError,
		stderr: "key file larger than",
		bounds: hostileBounds{wall: 5 * time.Second},
	})
}

// A 4 MB write to a standard output nobody reads (once blocked past any
// --timeout) ends at --timeout with exit 124.
func TestHostilePipeWriteTimeout(t *testing.T) {
	r, w := pipe(t)
	defer r.Close() // open, never read
	start := time.Now()
	res := kilnChild(t, w, nil, "run", "--timeout", "300ms", testModule(t, "bigwrite"))
	if res.exit != exitTimeout {
		t.Fatalf("exit %d (%s), want %d; stderr %q", res.exit, res.how, exitTimeout, res.stderr)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v with --timeout 300ms", d)
	}
}

// `kiln run yes.wasm | head -2` (once an endless loop on EPIPE) ends like
// the native tool: exit 141 as by SIGPIPE, with an audit record; kiln
// itself is never killed by SIGPIPE, also when its output breaks in the
// middle of a large write.
func TestHostileBrokenPipe(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux pipes")
	}
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	r, w := pipe(t)
	head := make(chan string)
	go func() {
		br := bufio.NewReader(r)
		var lines []string
		for len(lines) < 2 {
			l, err := br.ReadString('\n')
			if err != nil {
				break
			}
			lines = append(lines, l)
		}
		r.Close() // as head(1) exits
		head <- strings.Join(lines, "")
	}()
	res := kilnChild(t, w, nil, "run", "--audit", log, testModule(t, "yes"))
	if got := <-head; got != "y\ny\n" {
		t.Errorf("head read %q", got)
	}
	if res.exit != 128+kernel.SIGPIPE || res.how != "returned" {
		t.Fatalf("exit %d (%s), want %d from kiln itself; stderr %q", res.exit, res.how, 128+kernel.SIGPIPE, res.stderr)
	}
	if _, ok := findRecord(auditRecords(t, log), map[string]string{"op": "signal", "signal": "13", "path": "<std1>"}); !ok {
		t.Error("no audit record of the end by SIGPIPE")
	}

	// The reader leaves in the middle of one large write: the guest gets
	// what was written (then EPIPE), and kiln returns normally.
	r2, w2 := pipe(t)
	go func() {
		buf := make([]byte, 10)
		_, _ = r2.Read(buf)
		r2.Close()
	}()
	res = kilnChild(t, w2, nil, "run", testModule(t, "bigwrite"))
	if res.how != "returned" || (res.exit != 0 && res.exit != int(kernel.EPIPE)) {
		t.Fatalf("large write to a pipe closed early: exit %d (%s), stderr %q", res.exit, res.how, res.stderr)
	}
}

// childResult is how a kiln child process ended.
type childResult struct {
	exit   int
	how    string // "returned" (kiln's own exit code), or how it died
	stderr string
}

// kilnChild runs this test binary as kiln with the given standard output
// (and input, if not nil) and waits at most 20 s for it.
func kilnChild(t *testing.T, stdout, stdin *os.File, args ...string) childResult {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	cmd, err := testsuite.SelfCommand(args...)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), hostileChildEnv+"="+report)
	cmd.Stdout = stdout
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stderr cappedBuffer
	stderr.max = 64 << 10
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdout.Close() // the child holds its own copy
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("kiln %s still running after 20 s", strings.Join(args, " "))
	}
	res := childResult{stderr: stderr.String(), how: "returned"}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatal(err)
	}
	st := cmd.ProcessState
	res.exit = st.ExitCode()
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.how, res.exit = "killed by "+ws.Signal().String(), 128+int(ws.Signal())
	}
	var rep hostileReport
	if data, err := os.ReadFile(report); err != nil || json.Unmarshal(data, &rep) != nil {
		if res.how == "returned" {
			res.how = "exited without returning from kiln"
		}
	} else {
		res.exit = rep.Exit
	}
	return res
}

func pipe(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// mkdirBombWat makes directories d00000000, d00000001, ... until
// path_create_directory fails, and returns the count made and the errno.
const mkdirBombWat = `(module
  (import "wasi_snapshot_preview1" "path_create_directory"
    (func $mkdir (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "bomb") (result i32 i32)
    (local $n i32) (local $e i32) (local $i i32) (local $v i32)
    (i32.store8 (i32.const 16) (i32.const 100))
    (block $done
      (loop $l
        (local.set $v (local.get $n))
        (local.set $i (i32.const 7))
        (loop $digits
          (i32.store8 (i32.add (i32.const 17) (local.get $i))
            (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
          (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
          (br_if $digits (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
        (i32.store8 (i32.const 17) (i32.add (i32.const 48) (local.get $v)))
        (local.set $e (call $mkdir (i32.const 3) (i32.const 16) (i32.const 9)))
        (br_if $done (local.get $e))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $n) (local.get $e)))`
