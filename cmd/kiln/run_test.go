package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/sandbox"
)

// writeWat stores a text module in a temporary file.
func writeWat(t *testing.T, wat string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "m.wat")
	if err := os.WriteFile(p, []byte(wat), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// kilnRun runs `kiln run args...` and returns the exit code and output.
func kilnRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runRun(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

const exportsWat = `(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "wide") (param i64 f32 f64) (result i64 f32 f64) local.get 0 local.get 1 local.get 2)
  (func $inner unreachable)
  (func (export "boom") call $inner)
  (func (export "spin") (loop br 0)))`

// helloWat writes "hello\n" with fd_write, then exits with its first
// argument's length (argv[1]) through proc_exit.
const helloWat = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $sizes (i32.const 32) (i32.const 36)))
    (call $exit (i32.load (i32.const 32)))
    unreachable))`

func TestRunInvoke(t *testing.T) {
	m := writeWat(t, exportsWat)
	code, out, errOut := kilnRun(t, "--invoke", "add", m, "2", "-5")
	if code != 0 || out != "-3\n" {
		t.Fatalf("add: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = kilnRun(t, "--invoke", "wide", m, "--", "0xffffffffffffffff", "1.5", "-inf")
	if code != 0 || out != "-1\n1.5\n-Inf\n" {
		t.Fatalf("wide: code %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestRunExitCodes(t *testing.T) {
	m := writeWat(t, exportsWat)
	hello := writeWat(t, helloWat)
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		inStderr string
	}{
		{"guest exit code", []string{hello, "a", "b"}, 3, "hello\n", ""},
		{"trap", []string{"--invoke", "boom", m}, exitTrap, "", "unreachable\nwasm backtrace:\n"},
		{"fuel", []string{"--fuel", "1000", "--invoke", "spin", m}, exitFuel, "", "fuel exhausted"},
		{"timeout", []string{"--timeout", "50ms", "--invoke", "spin", m}, exitTimeout, "", "timed out"},
		{"missing module", []string{}, exitUsage, "", "missing MODULE"},
		{"bad flag", []string{"--nope", m}, exitUsage, "", "kiln run -h"},
		{"bad dir", []string{"--dir", "::x", m}, exitUsage, "", "missing host directory"},
		{"bad env", []string{"--env", "NOEQUALS", m}, exitUsage, "", "NAME=value"},
		{"bad size", []string{"--max-memory", "12 apples", m}, exitUsage, "", "bad size"},
		{"bad engine", []string{"--engine", "warp", m}, exitUsage, "", "unknown engine"},
		{"bad argument", []string{"--invoke", "add", m, "x", "1"}, exitUsage, "", "not an i32"},
		{"argument count", []string{"--invoke", "add", m, "1"}, exitUsage, "", "takes 2 arguments"},
		{"no such export", []string{"--invoke", "nope", m}, exitUsage, "", "no exported function"},
		{"unreadable module", []string{filepath.Join(t.TempDir(), "absent.wasm")}, exitError, "", "no such file"},
		{"missing preopen", []string{"--dir", filepath.Join(t.TempDir(), "absent"), hello}, exitError, "", "absent"},
		{"memory limit", []string{"--max-memory", "64K", writeWat(t, `(module (memory 2))`)}, exitError, "", "instantiate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := kilnRun(t, tc.args...)
			if code != tc.code || out != tc.stdout || !strings.Contains(errOut, tc.inStderr) {
				t.Errorf("kiln run %q: code %d, stdout %q, stderr %q; want code %d, stdout %q, stderr containing %q",
					tc.args, code, out, errOut, tc.code, tc.stdout, tc.inStderr)
			}
		})
	}
}

func TestParseDir(t *testing.T) {
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in, host, guest string
		ro              bool
	}{
		{"/data", "/data", "/data", false},
		{"/data:ro", "/data", "/data", true},
		{"/data:rw", "/data", "/data", false},
		{"/srv/x::/data/", "/srv/x", "/data", false},
		{"/srv/x::.:ro", "/srv/x", ".", true},
		{"rel::sub", filepath.Join(cwd, "rel"), "sub", false},
		{".", cwd, ".", false},
	}
	for _, tc := range tests {
		m, err := parseDir(tc.in)
		if err != nil || m.HostPath != tc.host || m.GuestPath != tc.guest || m.ReadOnly != tc.ro {
			t.Errorf("parseDir(%q) = %+v, %v", tc.in, m, err)
		}
	}
	for _, bad := range []string{"", ":ro", "::x", "x::", "x:::ro", "x::../up", "t/ro::/data:RO", "t/ro::/data:readonly", "a:/b"} {
		if _, err := parseDir(bad); err == nil {
			t.Errorf("parseDir(%q) accepted", bad)
		}
	}
}

func TestMemoryFlag(t *testing.T) {
	for in, want := range map[string]uint32{"65536": 1, "64K": 1, "16MiB": 256, "1G": 16384, "4G": 65536} {
		var pages uint32
		if err := (sizeFlag{&pages}).Set(in); err != nil || pages != want {
			t.Errorf("--max-memory %s = %d pages, %v; want %d", in, pages, err, want)
		}
	}
	for _, bad := range []string{"", "K", "-1", "1000", "5G", "99999999999999999999G"} {
		var pages uint32
		if err := (sizeFlag{&pages}).Set(bad); err == nil {
			t.Errorf("--max-memory %q accepted", bad)
		}
	}
}

func TestRunAudit(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	code, _, errOut := kilnRun(t, "--audit", log, "--dir", dir+"::/sandbox", testProgram("files"), "/sandbox")
	if code != 0 {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"op":"mkdir","path":"/sandbox/work"`, `"op":"rename","path":"/sandbox/work/a.txt","path2":"/sandbox/work/b.txt"`, `"op":"rmdir"`, `"decision":"allowed"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("audit log lacks %s:\n%.2000s", want, data)
		}
	}
	// Standard I/O and the preopen fill four descriptors: nothing more
	// can be opened.
	code, out, _ := kilnRun(t, "--max-fds", "4", "--dir", dir+"::/sandbox", testProgram("files"), "/sandbox")
	if code != 1 || out != "mkdir ok\nFAIL fopen w: No file descriptors available\n" {
		t.Errorf("--max-fds 4: code %d, stdout %q", code, out)
	}
}

// testProgram is a WASI program built from wasi/testdata (see build.sh).
func testProgram(name string) string {
	return filepath.Join("..", "..", "wasi", "testdata", name+".wasm")
}

func TestRunPrograms(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := kilnRun(t, testProgram("hello"), "--", "5")
	if code != 5 || out != "hello, world\n" || errOut != "hello, stderr\n" {
		t.Errorf("hello: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = kilnRun(t, testProgram("hello"), "300")
	if code != 1 || out != "hello, world\n" {
		t.Errorf("exit code 300 reported as %d (stdout %q), want 1", code, out)
	}

	t.Setenv("KILN_RUN_TEST_INHERITED", "yes")
	code, out, _ = kilnRun(t, "--env", "A=1", "--env", "A=2", "--env", "B=x=y", testProgram("args_env"), "p", "-q")
	// argv[0] is the module's base name, not the path as typed.
	want := "argc=3\nargv[0]=args_env.wasm\nargv[1]=p\nargv[2]=-q\nenv A=2\nenv B=x=y\n"
	if code != 0 || out != want {
		t.Errorf("args_env: code %d, stdout %q, want %q", code, out, want)
	}
	_, out, _ = kilnRun(t, "--env-inherit", "--env", "KILN_RUN_TEST_INHERITED=overridden", testProgram("args_env"))
	if !strings.Contains(out, "env KILN_RUN_TEST_INHERITED=overridden\n") || strings.Contains(out, "KILN_RUN_TEST_INHERITED=yes") {
		t.Errorf("--env-inherit with an override: %q", out)
	}

	code, out, errOut = kilnRun(t, "--dir", dir+"::/sandbox", testProgram("files"), "/sandbox")
	if code != 0 || !strings.HasSuffix(out, "cleanup ok\n") {
		t.Errorf("files: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = kilnRun(t, "--dir", dir+"::/sandbox:ro", testProgram("files"), "/sandbox")
	if code != 1 || out != "FAIL mkdir: Read-only file system\n" {
		t.Errorf("files on a read-only mount: code %d, stdout %q", code, out)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d entries left in the host directory", len(ents))
	}
	code, _, errOut = kilnRun(t, "--fuel", "1000", "--dir", dir+"::/sandbox", testProgram("files"), "/sandbox")
	if code != exitFuel {
		t.Errorf("files with little fuel: code %d, stderr %q", code, errOut)
	}
}

func TestRunLinkError(t *testing.T) {
	m := writeWat(t, `(module (import "wasi_snapshot_preview1" "no_such_call" (func)))`)
	code, _, errOut := kilnRun(t, m)
	if code != exitError || !strings.Contains(errOut, "no_such_call") {
		t.Errorf("code %d, stderr %q", code, errOut)
	}
}

func TestRunTrapBacktrace(t *testing.T) {
	code, out, errOut := kilnRun(t, testProgram("trap"))
	if code != exitTrap || out != "about to trap\n" {
		t.Errorf("code %d, stdout %q", code, out)
	}
	for _, want := range []string{"wasm trap: unreachable\nwasm backtrace:\n", " - abort\n", " - trap_here\n", " - _start"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestRunSignatures(t *testing.T) {
	dir := t.TempDir()
	key, err := sandbox.GenerateKey(rand.Reader, "test")
	if err != nil {
		t.Fatal(err)
	}
	other, err := sandbox.GenerateKey(rand.Reader, "other")
	if err != nil {
		t.Fatal(err)
	}
	pub, otherPub := filepath.Join(dir, "k.pub"), filepath.Join(dir, "o.pub")
	writeBytes(t, pub, key.Public().MarshalPEM())
	writeBytes(t, otherPub, other.Public().MarshalPEM())
	bin, err := os.ReadFile(testProgram("hello"))
	if err != nil {
		t.Fatal(err)
	}
	signed, err := sandbox.SignModule(bin, key)
	if err != nil {
		t.Fatal(err)
	}
	signedPath := filepath.Join(dir, "signed.wasm")
	writeBytes(t, signedPath, signed)
	detached, err := sandbox.SignDetached(bin, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	sigPath := filepath.Join(dir, "hello.sig")
	writeBytes(t, sigPath, detached)

	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"embedded signature", []string{"--trusted-key", pub, signedPath}, 0},
		{"detached signature", []string{"--trusted-key", pub, "--sig", sigPath, testProgram("hello")}, 0},
		{"any trusted key", []string{"--trusted-key", otherPub, "--trusted-key", pub, signedPath}, 0},
		{"unsigned", []string{"--trusted-key", pub, testProgram("hello")}, exitError},
		{"untrusted key", []string{"--trusted-key", otherPub, signedPath}, exitError},
		{"sig without key", []string{"--sig", sigPath, testProgram("hello")}, exitError},
		{"no verification", []string{signedPath}, 0},
	} {
		code, out, errOut := kilnRun(t, tc.args...)
		if code != tc.code || (code == 0) != (out == "hello, world\n") {
			t.Errorf("%s: code %d, stdout %q, stderr %q; want code %d", tc.name, code, out, errOut, tc.code)
		}
	}
}

func writeBytes(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRunTCPListen(t *testing.T) {
	// The guest gets the listener as descriptor 3; fd_fdstat_get reports
	// a stream socket (filetype 6), which the module returns.
	m := writeWat(t, `(module
	  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $stat (param i32 i32) (result i32)))
	  (memory (export "memory") 1)
	  (func (export "probe") (result i32 i32)
	    (call $stat (i32.const 3) (i32.const 0))
	    (i32.load8_u (i32.const 0))))`)
	code, out, errOut := kilnRun(t, "--tcplisten", "127.0.0.1:0", "--invoke", "probe", m)
	if code != 0 || out != "0\n6\n" {
		t.Errorf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = kilnRun(t, "--tcplisten", "not an address", m)
	if code != exitError || !strings.Contains(errOut, "--tcplisten") {
		t.Errorf("bad address: code %d, stderr %q", code, errOut)
	}
}
