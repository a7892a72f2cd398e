package main

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wast"
)

// These tests show each sandbox control of kiln run end to end, with the
// guest programs of testdata/*.wat converted by package wast.

// testModule converts testdata/NAME.wat to a binary module in a
// temporary directory and returns its path.
func testModule(t *testing.T, name string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name+".wat"))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := wast.ParseModule(name+".wat", src)
	if err != nil {
		t.Fatalf("%s.wat: %v", name, err)
	}
	p := filepath.Join(t.TempDir(), name+".wasm")
	writeBytes(t, p, bin)
	return p
}

// kilnRunStdin is kilnRun with a given standard input.
func kilnRunStdin(t *testing.T, stdin io.Reader, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runRun(args, stdin, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// auditRecords reads a JSON-lines audit log.
func auditRecords(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

// findRecord returns the first record whose fields have the given values.
func findRecord(recs []map[string]any, want map[string]string) (map[string]any, bool) {
next:
	for _, r := range recs {
		for k, v := range want {
			if fmt.Sprint(r[k]) != v {
				continue next
			}
		}
		return r, true
	}
	return nil, false
}

func TestRunPathOutsideMountsDenied(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "granted")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeBytes(t, filepath.Join(dir, "inside.txt"), []byte("in"))
	writeBytes(t, filepath.Join(root, "outside.txt"), []byte("secret"))
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	m := testModule(t, "escape")
	code, out, errOut := kilnRun(t, "--audit", log, "--dir", dir+"::/sandbox:ro", "--invoke", "probe", m)
	want := fmt.Sprintf("0\n%d\n", kernel.EPERM)
	if code != 0 || out != want {
		t.Fatalf("code %d, stdout %q (want %q), stderr %q", code, out, want, errOut)
	}
	recs := auditRecords(t, log)
	if _, ok := findRecord(recs, map[string]string{"op": "open", "path": "/sandbox/inside.txt", "decision": "allowed", "result": "ok"}); !ok {
		t.Errorf("no allowed open record: %v", recs)
	}
	r, ok := findRecord(recs, map[string]string{"op": "open", "path": "/outside.txt", "decision": "denied", "level": "WARN"})
	if !ok || !strings.Contains(fmt.Sprint(r["detail"]), "outside every mounted directory") {
		t.Errorf("no denied open record with its reason: %v", recs)
	}
	// The same from a policy file instead of --dir.
	pol := filepath.Join(t.TempDir(), "policy.json")
	writeBytes(t, pol, []byte(`{"mounts": [{"host": "`+dir+`", "guest": "/sandbox", "read_only": true}]}`))
	code, out, errOut = kilnRun(t, "--policy", pol, "--invoke", "probe", m)
	if code != 0 || out != want {
		t.Fatalf("--policy: code %d, stdout %q (want %q), stderr %q", code, out, want, errOut)
	}
}

func TestRunMemoryBombStopsAtLimit(t *testing.T) {
	m := testModule(t, "membomb")
	for _, tc := range []struct{ limit, pages string }{{"1M", "16"}, {"64K", "1"}, {"200K", "3"}} {
		code, out, errOut := kilnRun(t, "--max-memory", tc.limit, "--invoke", "bomb", m)
		if code != 0 || out != tc.pages+"\n" {
			t.Errorf("--max-memory %s: code %d, stdout %q, stderr %q; want %s pages", tc.limit, code, out, errOut, tc.pages)
		}
	}
}

func TestRunInfiniteLoopStopped(t *testing.T) {
	spin := testModule(t, "spin")
	hello := testProgram("hello")
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		inStderr string
		detail   string
	}{
		{"fuel", []string{"--fuel", "100000"}, exitFuel, "fuel exhausted", "fuel exhausted"},
		{"timeout", []string{"--timeout", "100ms"}, exitTimeout, "timed out after 100ms", "wall time: context deadline exceeded"},
		{"cpu time", []string{"--max-cpu-time", "100ms"}, exitFuel, "CPU time limit exceeded (--max-cpu-time 100ms)", "CPU time"},
	} {
		if tc.name == "cpu time" && runtime.GOOS != "linux" {
			continue // the thread CPU clocks are Linux's
		}
		args := append(append([]string{"--audit", log}, tc.args...), spin)
		code, _, errOut := kilnRun(t, args...)
		if code != tc.code || !strings.Contains(errOut, tc.inStderr) {
			t.Errorf("%s: code %d, stderr %q; want code %d and %q", tc.name, code, errOut, tc.code, tc.inStderr)
		}
		if _, ok := findRecord(auditRecords(t, log), map[string]string{"op": "quota", "detail": tc.detail, "decision": "denied"}); !ok {
			t.Errorf("%s: no quota record %q in the audit log", tc.name, tc.detail)
		}
		// The host is alive and runs the next guest normally.
		if code, out, errOut := kilnRun(t, hello); code != 0 || out != "hello, world\n" {
			t.Fatalf("after %s: code %d, stdout %q, stderr %q", tc.name, code, out, errOut)
		}
	}
}

func TestRunBlockedReadStoppedByTimeout(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close() // nothing is ever written: the guest waits for input
	code, _, errOut := kilnRunStdin(t, r, "--timeout", "100ms", testModule(t, "readstdin"))
	if code != exitTimeout || !strings.Contains(errOut, "timed out") {
		t.Fatalf("code %d, stderr %q; want %d", code, errOut, exitTimeout)
	}
	// With input the same guest reads it and exits with its length.
	w.Write([]byte("four"))
	if code, _, errOut := kilnRunStdin(t, r, "--timeout", "10s", testModule(t, "readstdin")); code != 4 {
		t.Fatalf("with input: code %d, stderr %q", code, errOut)
	}
}

// TestRunEpollWaitStoppedByTimeout: a WASIX guest waiting in epoll_wait
// without timeout stops at --timeout; with input it wakes and exits.
func TestRunEpollWaitStoppedByTimeout(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	code, _, errOut := kilnRunStdin(t, r, "--timeout", "100ms", testModule(t, "epollstdin"))
	if code != exitTimeout || !strings.Contains(errOut, "timed out") {
		t.Fatalf("code %d, stderr %q; want %d", code, errOut, exitTimeout)
	}
	w.Write([]byte("x"))
	if code, _, errOut := kilnRunStdin(t, r, "--timeout", "10s", testModule(t, "epollstdin")); code != 1 {
		t.Fatalf("with input: code %d (want one event), stderr %q", code, errOut)
	}
}

func TestRunDescriptorExhaustion(t *testing.T) {
	dir := t.TempDir()
	m := testModule(t, "fdbomb")
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	// Standard I/O and the preopen take 4 of the 10 descriptors.
	code, out, errOut := kilnRun(t, "--audit", log, "--max-fds", "10", "--dir", dir+"::/d", "--invoke", "bomb", m)
	want := fmt.Sprintf("6\n%d\n", kernel.EMFILE)
	if code != 0 || out != want {
		t.Fatalf("code %d, stdout %q (want %q), stderr %q", code, out, want, errOut)
	}
	if _, ok := findRecord(auditRecords(t, log), map[string]string{"op": "quota", "path": "/d/f", "result": "wasi errno mfile"}); !ok {
		t.Errorf("no EMFILE quota record")
	}
	// Without --max-fds the kernel's default limit applies.
	code, out, _ = kilnRun(t, "--dir", dir+"::/d", "--invoke", "bomb", m)
	want = fmt.Sprintf("%d\n%d\n", kernel.DefaultMaxFDs-4, kernel.EMFILE)
	if code != 0 || out != want {
		t.Fatalf("default limit: code %d, stdout %q, want %q", code, out, want)
	}
}

// TestRunReleasesHostResources: after guests that exhaust descriptors,
// block in a read, spin until their fuel or time runs out and trap, the
// host holds the same descriptors and goroutines as before.
func TestRunReleasesHostResources(t *testing.T) {
	dir := t.TempDir()
	fdbomb, spin, read := testModule(t, "fdbomb"), testModule(t, "spin"), testModule(t, "readstdin")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	kilnRun(t, testProgram("hello")) // starts os/signal's watcher once
	fds, goroutines := testsuite.OpenFDs(t), runtime.NumGoroutine()
	for _, args := range [][]string{
		{"--dir", dir + "::/d", "--invoke", "bomb", fdbomb},
		{"--fuel", "10000", spin},
		{"--timeout", "50ms", spin},
		{"--timeout", "50ms", read},
		{"--invoke", "boom", writeWat(t, exportsWat)},
	} {
		kilnRunStdin(t, r, args...)
	}
	if n := testsuite.OpenFDs(t); n != fds {
		t.Errorf("host descriptors: %d after the runs, %d before", n, fds)
	}
	for i := 0; i < 500 && runtime.NumGoroutine() > goroutines; i++ {
		time.Sleep(10 * time.Millisecond) // goroutines that are still returning
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after the runs, %d before:\n%s", n, goroutines, buf[:runtime.Stack(buf, true)])
	}
}

func TestRunTamperedSignedModuleRejected(t *testing.T) {
	dir := t.TempDir()
	key, err := sandbox.GenerateKey(rand.Reader, "test")
	if err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(dir, "k.pub")
	writeBytes(t, pub, key.Public().MarshalPEM())
	bin, err := os.ReadFile(testProgram("hello"))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := sandbox.SignModule(bin, key)
	if err != nil {
		t.Fatal(err)
	}
	// Change one byte of the message "hello, world" in the data section.
	i := bytes.Index(signed, []byte("hello, world"))
	if i < 0 {
		t.Fatal("message not found in the module")
	}
	tampered := append([]byte(nil), signed...)
	tampered[i] = 'j'
	signedPath, tamperedPath := filepath.Join(dir, "signed.wasm"), filepath.Join(dir, "tampered.wasm")
	writeBytes(t, signedPath, signed)
	writeBytes(t, tamperedPath, tampered)
	if code, out, errOut := kilnRun(t, "--trusted-key", pub, signedPath); code != 0 || out != "hello, world\n" {
		t.Fatalf("signed: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		stdout   string
		inStderr string
	}{
		{"tampered", []string{"--trusted-key", pub, tamperedPath}, exitError, "", "modified after signing"},
		{"tampered, signature optional", []string{"--trusted-key", pub, "--require-signature=false", tamperedPath}, exitError, "", "modified after signing"},
		{"tampered, signature required", []string{"--trusted-key", pub, "--require-signature", tamperedPath}, exitError, "", "modified after signing"},
		{"unsigned, signature optional", []string{"--trusted-key", pub, "--require-signature=false", testProgram("hello")}, 0, "hello, world\n", ""},
		{"unsigned, signature required", []string{"--trusted-key", pub, "--require-signature", testProgram("hello")}, exitError, "", "not signed"},
		{"required without a key", []string{"--require-signature", signedPath}, exitUsage, "", "needs at least one --trusted-key"},
	} {
		code, out, errOut := kilnRun(t, tc.args...)
		if code != tc.code || out != tc.stdout || !strings.Contains(errOut, tc.inStderr) {
			t.Errorf("%s: code %d, stdout %q, stderr %q; want code %d, stderr containing %q", tc.name, code, out, errOut, tc.code, tc.inStderr)
		}
	}
	// The jco-style tampering that keeps the module valid is caught too:
	// the tampered module itself still runs when nothing is verified.
	if code, out, _ := kilnRun(t, tamperedPath); code != 0 || out != "jello, world\n" {
		t.Errorf("unverified tampered module: code %d, stdout %q", code, out)
	}
}

// TestRunSpawnFlags: --allow-spawn switches process creation on,
// --allow-program restricts it, --max-procs caps the processes.
func TestRunSpawnFlags(t *testing.T) {
	o, code := parseRunFlags([]string{"--allow-program", "/bin/a.wasm", "--max-procs", "3", "m.wasm"}, io.Discard)
	if code != -1 {
		t.Fatalf("parse: code %d", code)
	}
	p, err := buildPolicy(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CheckSpawn(sandbox.OpSpawn, "/bin/a.wasm"); err != nil {
		t.Errorf("listed program: %v", err)
	}
	if err := p.CheckSpawn(sandbox.OpExec, "/bin/b.wasm"); err == nil {
		t.Error("unlisted program allowed")
	}
	if o.limits.Processes != 3 {
		t.Errorf("max-procs: %d", o.limits.Processes)
	}
}

func TestRunNetworkPolicyFlags(t *testing.T) {
	pol := filepath.Join(t.TempDir(), "policy.json")
	writeBytes(t, pol, []byte(`{"env": ["A=file", "B=file"], "network": {"connect": ["tcp:10.0.0.0/8:443"]}}`))
	o, code := parseRunFlags([]string{"--policy", pol, "--env", "B=flag",
		"--allow-connect", "127.0.0.1:8080", "--allow-bind", "udp:127.0.0.1:5353",
		"--allow-listen", "127.0.0.1:0", "--allow-resolve", "m.wasm"}, io.Discard)
	if code != -1 {
		t.Fatalf("parse: code %d", code)
	}
	p, err := buildPolicy(o)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Env, " "); got != "A=file B=flag" {
		t.Errorf("env = %q", got)
	}
	checks := []struct {
		name string
		err  error
		ok   bool
	}{
		{"connect from the file", p.CheckConnect(mustAddr("10.1.2.3:443"), sandbox.ProtoTCP), true},
		{"connect from a flag", p.CheckConnect(mustAddr("127.0.0.1:8080"), sandbox.ProtoTCP), true},
		{"connect elsewhere", p.CheckConnect(mustAddr("127.0.0.1:8081"), sandbox.ProtoTCP), false},
		{"udp bind", p.CheckBind(mustAddr("127.0.0.1:5353"), sandbox.ProtoUDP), true},
		{"tcp bind on the udp rule", p.CheckBind(mustAddr("127.0.0.1:5353"), sandbox.ProtoTCP), false},
		{"listen", p.CheckListen(mustAddr("127.0.0.1:0")), true},
		{"listen everywhere", p.CheckListen(mustAddr("0.0.0.0:0")), false},
		{"resolve", p.CheckResolve("example.com"), true},
		{"spawn is off without --allow-spawn", p.CheckSpawn(sandbox.OpSpawn, "/bin/x"), false},
	}
	for _, c := range checks {
		if (c.err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, c.err)
		}
	}
	for _, bad := range [][]string{
		{"--allow-connect", "example.com:80", "m.wasm"},
		{"--allow-listen", "udp:127.0.0.1:0", "m.wasm"},
		{"--max-file-write", "lots", "m.wasm"},
	} {
		if _, code := parseRunFlags(bad, io.Discard); code != exitUsage {
			t.Errorf("%q: code %d, want %d", bad, code, exitUsage)
		}
	}
	writeBytes(t, pol, []byte(`{"mounts": [], "netwrok": {}}`))
	if code, _, errOut := kilnRun(t, "--policy", pol, testProgram("hello")); code != exitUsage || !strings.Contains(errOut, "netwrok") {
		t.Errorf("misspelt policy field: code %d, stderr %q", code, errOut)
	}
}

func mustAddr(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func TestRunFileWriteQuota(t *testing.T) {
	dir := t.TempDir()
	m := testModule(t, "writefile")
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	code, out, errOut := kilnRun(t, "--audit", log, "--max-file-write", "14", "--dir", dir+"::/d", "--invoke", "probe", m)
	want := "10\n0\n" // 10 bytes, then a shortened write of 4 (errno 0)
	if code != 0 || out != want {
		t.Fatalf("code %d, stdout %q (want %q), stderr %q", code, out, want, errOut)
	}
	code, out, _ = kilnRun(t, "--audit", log, "--max-file-write", "10", "--dir", dir+"::/d", "--invoke", "probe", m)
	if want := fmt.Sprintf("10\n%d\n", kernel.EDQUOT); code != 0 || out != want {
		t.Fatalf("at the quota: code %d, stdout %q, want %q", code, out, want)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "out")); string(data) != "0123456789" {
		t.Fatalf("file holds %q", data)
	}
	r, ok := findRecord(auditRecords(t, log), map[string]string{"op": "quota", "path": "/d/out", "decision": "denied"})
	if !ok || !strings.Contains(fmt.Sprint(r["detail"]), "bytes written to files") {
		t.Errorf("no file-write quota record")
	}
}

func TestRunMemoryTotalAcrossMemories(t *testing.T) {
	// Two memories grow in turn until memory.grow fails: --max-memory is
	// their total, and the refusal is a quota record.
	m := writeWat(t, `(module
	  (memory $a 1) (memory $b 1)
	  (func (export "bomb") (result i32)
	    (loop $l
	      (if (i32.ne (memory.grow $a (i32.const 1)) (i32.const -1))
	        (then (if (i32.ne (memory.grow $b (i32.const 1)) (i32.const -1))
	          (then (br $l))))))
	    (i32.add (memory.size $a) (memory.size $b))))`)
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	code, out, errOut := kilnRun(t, "--enable", "multi-memory", "--audit", log, "--max-memory", "1M", "--invoke", "bomb", m)
	if code != 0 || out != "16\n" {
		t.Fatalf("code %d, stdout %q, stderr %q; want 16 pages in total", code, out, errOut)
	}
	if _, ok := findRecord(auditRecords(t, log), map[string]string{"op": "quota", "decision": "denied",
		"detail": "quota exceeded: linear memory bytes: requested 65536, used 1048576 of 1048576"}); !ok {
		t.Error("no quota record for the refused memory.grow")
	}
	// Initial memories over the total fail the instantiation.
	code, _, errOut = kilnRun(t, "--enable", "multi-memory", "--max-memory", "64K", "--invoke", "bomb", m)
	if code != exitError || !strings.Contains(errOut, "refused by the resource limiter") {
		t.Errorf("initial memories over the total: code %d, stderr %q", code, errOut)
	}
}

func TestRunFuelIsOneBudget(t *testing.T) {
	// With --invoke, _initialize and the export draw from one budget:
	// each spends about 1000 units, so 1500 is enough for one of them
	// but not for both.
	m := writeWat(t, `(module
	  (func $spin (param $n i32)
	    (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
	  (func (export "_initialize") (call $spin (i32.const 1000)))
	  (func (export "f") (result i32) (call $spin (i32.const 1000)) (i32.const 7)))`)
	if code, out, errOut := kilnRun(t, "--fuel", "2100", "--invoke", "f", m); code != 0 || out != "7\n" {
		t.Fatalf("--fuel 2100: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut := kilnRun(t, "--fuel", "1500", "--invoke", "f", m)
	if code != exitFuel || !strings.Contains(errOut, "fuel exhausted") {
		t.Fatalf("--fuel 1500: code %d, stderr %q; want exit %d", code, errOut, exitFuel)
	}
}

// TestRunCaptureStdoutWithRenumber: fd_renumber onto a closed number works
// as dup2 does, so a program that moves its standard output away, captures
// it in a file and moves it back still prints.
func TestRunCaptureStdoutWithRenumber(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := kilnRun(t, "--dir", dir+"::/d", testModule(t, "capture"))
	if code != 0 || out != "back\n" {
		t.Fatalf("code %d, stdout %q (want \"back\\n\"), stderr %q", code, out, errOut)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "cap")); err != nil || string(data) != "captured\n" {
		t.Fatalf("captured file holds %q, %v", data, err)
	}
}

// TestRunInputSizeLimits: kiln run reads a module, a key file and a
// detached signature with a size limit, so /dev/zero (or a huge file)
// fails at once with a clear error instead of exhausting memory.
func TestRunInputSizeLimits(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	mod := writeWat(t, `(module (func (export "f") (result i32) i32.const 7))`)
	big := filepath.Join(t.TempDir(), "big.wat")
	writeBytes(t, big, []byte("(module"+strings.Repeat(" ", 4096)+")"))
	key, err := sandbox.GenerateKey(rand.Reader, "test")
	if err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(t.TempDir(), "k.pub")
	writeBytes(t, pub, key.Public().MarshalPEM())
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"module /dev/zero", []string{"/dev/zero"}, exitError, "not a WebAssembly module"},
		{"module over --max-module-size", []string{"--max-module-size", "1K", big}, exitError, "module larger than 1024 bytes"},
		{"key /dev/zero", []string{"--trusted-key", "/dev/zero", mod}, exitError, "key file larger than"},
		{"signature /dev/zero", []string{"--trusted-key", pub, "--sig", "/dev/zero", mod}, exitError, "larger than"},
		{"bad --max-module-size", []string{"--max-module-size", "x", mod}, exitUsage, ""},
	} {
		start := time.Now()
		code, _, errOut := kilnRun(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.wantErr) {
			t.Errorf("%s: code %d (want %d), stderr %q (want %q)", tc.name, code, tc.code, errOut, tc.wantErr)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", tc.name, d)
		}
	}
	if code, out, errOut := kilnRun(t, "--max-module-size", "1M", "--invoke", "f", mod); code != 0 || out != "7\n" {
		t.Errorf("a module under the limit: code %d, %q, %q", code, out, errOut)
	}
}

// TestRunAuditFloodBounded: 200,000 refused opens write a bounded audit
// log whose last record counts what was suppressed, and
// --audit-max-size caps the log in bytes.
func TestRunAuditFloodBounded(t *testing.T) {
	dir := t.TempDir()
	m := testModule(t, "auditflood")
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	const n = 200000
	code, out, errOut := kilnRun(t, "--audit", log, "--dir", dir+"::/d", "--invoke", "flood", m, fmt.Sprint(n))
	if code != 0 || out != fmt.Sprintf("%d\n", kernel.EPERM) {
		t.Fatalf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
	st, err := os.Stat(log)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > 256<<10 {
		t.Fatalf("audit log of %d bytes for %d refused opens", st.Size(), n)
	}
	recs := auditRecords(t, log)
	written := 0
	var suppressed float64
	for _, r := range recs {
		if r["op"] == "open" && r["decision"] == "denied" {
			if s, ok := r["suppressed"].(float64); ok {
				suppressed += s
			} else {
				written++
				if r["path"] != "/outside.txt" || r["written"] != "/d/../outside.txt" {
					t.Errorf("record without the path as written: %v", r)
				}
			}
		}
	}
	if written+int(suppressed) != n {
		t.Errorf("%d records written + %v suppressed, want %d in all", written, suppressed, n)
	}

	small := filepath.Join(t.TempDir(), "small.jsonl")
	if code, _, errOut := kilnRun(t, "--audit", small, "--audit-max-size", "16K", "--dir", dir+"::/d", "--invoke", "flood", m, "1000"); code != 0 {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	if st, err := os.Stat(small); err != nil || st.Size() > 16<<10 {
		t.Fatalf("--audit-max-size 16K: %v, %v", st.Size(), err)
	}
	if _, ok := findRecord(auditRecords(t, small), map[string]string{"op": "audit_limit"}); !ok {
		t.Error("no record saying the size limit was reached")
	}
}

// TestRunFileEntriesQuota: a mkdir loop stops with EDQUOT at
// --max-file-entries, whatever --max-file-write says (the default:
// TestHostileMkdirFlood).
func TestRunFileEntriesQuota(t *testing.T) {
	m := writeWat(t, mkdirBombWat)
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	code, out, errOut := kilnRun(t, "--audit", log, "--max-file-write", "1K", "--max-file-entries", "50", "--dir", t.TempDir()+"::/d", "--invoke", "bomb", m)
	if want := fmt.Sprintf("50\n%d\n", kernel.EDQUOT); code != 0 || out != want {
		t.Fatalf("code %d, stdout %q (want %q), stderr %q", code, out, want, errOut)
	}
	if _, ok := findRecord(auditRecords(t, log), map[string]string{"op": "quota", "decision": "denied", "path": "/d/d00000050"}); !ok {
		t.Error("no quota record for the refused mkdir")
	}
}

// TestRunNestedReadOnlyMountThroughSymlink: with a read-only mount nested
// in a writable one, a symbolic link the guest makes in the writable one
// does not open a way to truncate a file below the read-only one; the
// refusal is a denial in the audit log.
func TestRunNestedReadOnlyMountThroughSymlink(t *testing.T) {
	root := t.TempDir()
	rw := filepath.Join(root, "rw")
	if err := os.MkdirAll(filepath.Join(rw, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(rw, "sub", "f.txt")
	writeBytes(t, victim, []byte("precious"))
	m := writeWat(t, `(module
	  (import "wasi_snapshot_preview1" "path_symlink"
	    (func $symlink (param i32 i32 i32 i32 i32) (result i32)))
	  (import "wasi_snapshot_preview1" "path_open"
	    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
	  (memory (export "memory") 1)
	  (data (i32.const 16) "sub")
	  (data (i32.const 24) "s")
	  (data (i32.const 32) "s/f.txt")
	  ;; symlink s -> sub in /data (fd 3), then open s/f.txt with O_TRUNC
	  ;; for writing: returns both errnos
	  (func (export "attack") (result i32 i32)
	    (call $symlink (i32.const 16) (i32.const 3) (i32.const 3) (i32.const 24) (i32.const 1))
	    (call $open (i32.const 3) (i32.const 1) (i32.const 32) (i32.const 7)
	      (i32.const 8) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 8))))`)
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	code, out, errOut := kilnRun(t, "--audit", log, "--dir", rw+"::/data", "--dir", filepath.Join(rw, "sub")+"::/data/sub:ro", "--invoke", "attack", m)
	if want := fmt.Sprintf("0\n%d\n", kernel.EROFS); code != 0 || out != want {
		t.Fatalf("code %d, stdout %q (want %q), stderr %q", code, out, want, errOut)
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "precious" {
		t.Fatalf("file below the read-only mount = %q, %v", b, err)
	}
	if _, ok := findRecord(auditRecords(t, log), map[string]string{"op": "open", "path": "/data/s/f.txt", "decision": "denied"}); !ok {
		t.Error("the refused open is not audited as a denial")
	}
}
