package wasi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wasi"
)

// programRuntime is the runtime of a test program, on the engine
// $KILN_ENGINE selects.
func programRuntime(t *testing.T) *kiln.Runtime {
	t.Helper()
	eng, err := testEngine()
	if err != nil {
		t.Fatal(err)
	}
	return kiln.NewRuntime(kiln.RuntimeConfig{Engine: eng, TierEagerly: testsuite.TierEagerly()})
}

// runTestProgram runs testdata/NAME.wasm in-process with cfg (stdout and
// stderr are captured) and returns its exit code and output.
func runTestProgram(t *testing.T, name string, cfg wasi.Config) (uint32, string, string) {
	t.Helper()
	bin, err := os.ReadFile(filepath.Join("testdata", name+".wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := programRuntime(t)
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var stdout, stderr bytes.Buffer
	cfg.Stdout, cfg.Stderr = &stdout, &stderr
	cfg.Args = append([]string{name + ".wasm"}, cfg.Args...)
	code, err := wasi.Run(ctx, rt, cm, cfg)
	if err != nil {
		t.Fatalf("%s: %v (stdout %q, stderr %q)", name, err, stdout.String(), stderr.String())
	}
	return code, stdout.String(), stderr.String()
}

func TestProgramHello(t *testing.T) {
	code, out, errOut := runTestProgram(t, "hello", wasi.Config{Args: []string{"42"}})
	if code != 42 || out != "hello, world\n" || errOut != "hello, stderr\n" {
		t.Errorf("code %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, _ = runTestProgram(t, "hello", wasi.Config{})
	if code != 0 {
		t.Errorf("without arguments: exit code %d, want 0", code)
	}
}

func TestProgramArgsEnv(t *testing.T) {
	code, out, _ := runTestProgram(t, "args_env", wasi.Config{
		Args: []string{"one", "two words", ""},
		Env:  []string{"B=2", "A=x=y", "EMPTY="},
	})
	want := "argc=4\nargv[0]=args_env.wasm\nargv[1]=one\nargv[2]=two words\nargv[3]=\n" +
		"env B=2\nenv A=x=y\nenv EMPTY=\n"
	if code != 0 || out != want {
		t.Errorf("code %d, stdout:\n%s\nwant:\n%s", code, out, want)
	}
	_, out, _ = runTestProgram(t, "args_env", wasi.Config{})
	if out != "argc=1\nargv[0]=args_env.wasm\n" {
		t.Errorf("empty environment: stdout %q", out)
	}
}

func TestProgramCatStdin(t *testing.T) {
	input := strings.Repeat("0123456789abcdef", 1000) // several reads
	code, out, errOut := runTestProgram(t, "cat", wasi.Config{Stdin: strings.NewReader(input)})
	if code != 0 || out != input || errOut != "16000 bytes\n" {
		t.Errorf("code %d, %d bytes out, stderr %q", code, len(out), errOut)
	}
}

func TestProgramFilesC(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runTestProgram(t, "files", wasi.Config{
		Args:   []string{"/sandbox"},
		Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/sandbox"}},
	})
	want := "mkdir ok\nread 11: alpha\nbeta\nafter seek: beta\npread: alpha\nsize 11 regular 1\nrename ok\n" +
		"readdir: 151 entries, 2 dots, first b.txt, last entry-with-a-rather-long-name-149\ncleanup ok\n"
	if code != 0 || out != want {
		t.Errorf("code %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("program left %d entries behind", len(ents))
	}
}

func TestProgramFilesGo(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runTestProgram(t, "gofiles", wasi.Config{
		Args:   []string{"/data"},
		Env:    []string{"ZED=last", "ALPHA=first"},
		Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/data"}},
	})
	want := "hello from Go\narg 0: gofiles.wasm\narg 1: /data\nenv ALPHA=first\nenv ZED=last\n" +
		"read: contents 7\nsize: 16\nentries: 40, first file-00.txt, last file-39.txt\nremoved\n"
	if code != 7 || out != want {
		t.Errorf("code %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errOut, out, want)
	}
}

// TestProgramReadOnlyMount runs the file program on a read-only mount: its
// first write fails with EROFS and the host directory is untouched.
func TestProgramReadOnlyMount(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "keep"), "unchanged")
	before := snapshot(t, dir)
	code, out, _ := runTestProgram(t, "files", wasi.Config{
		Args:   []string{"/sandbox"},
		Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/sandbox", ReadOnly: true}},
	})
	if code != 1 || out != "FAIL mkdir: Read-only file system\n" {
		t.Errorf("code %d, stdout %q", code, out)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("host directory changed:\n%s\nwas:\n%s", after, before)
	}
}

// TestProgramEscape runs a C program that tries every way out of its
// preopen; each attempt must fail and the host must be untouched.
func TestProgramEscape(t *testing.T) {
	root := t.TempDir()
	sandbox := filepath.Join(root, "sandbox")
	mkdir(t, sandbox)
	writeFile(t, filepath.Join(root, "secret"), "top secret")
	writeFile(t, filepath.Join(sandbox, "inside"), "inside")
	symlink(t, filepath.Join(root, "secret"), filepath.Join(sandbox, "abs-link"))
	symlink(t, "../secret", filepath.Join(sandbox, "up-link"))
	before := snapshot(t, root)

	code, out, _ := runTestProgram(t, "escape", wasi.Config{
		Args:   []string{"/sandbox"},
		Mounts: []wasi.Mount{{HostDir: sandbox, GuestPath: "/sandbox"}},
	})
	const denied = "Operation not permitted"
	want := strings.Join([]string{
		"open ../secret: " + denied,
		"create ../planted: " + denied,
		"open /etc/passwd: Capabilities insufficient", // no preopen: wasi-libc's ENOTCAPABLE
		"open abs-link: " + denied,
		"open up-link: " + denied,
		"symlink to /etc/passwd: " + denied,
		"link ../secret: " + denied,
		"link to ../hard: " + denied,
		"rename to ../moved: " + denied,
		"mkdir ../newdir: " + denied,
		"unlink ../secret: " + denied,
		"read inside: succeeded",
	}, "\n") + "\n"
	if code != 0 || out != want {
		t.Errorf("code %d, stdout:\n%s\nwant:\n%s", code, out, want)
	}
	if after := snapshot(t, root); after != before {
		t.Errorf("host changed:\n%s\nwas:\n%s", after, before)
	}
}

// TestProgramTrap: a trap ends Run with a *kiln.Trap error, not an exit
// code, and output written before it is kept.
func TestProgramTrap(t *testing.T) {
	bin, err := os.ReadFile(filepath.Join("testdata", "trap.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := programRuntime(t)
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	_, err = wasi.Run(ctx, rt, cm, wasi.Config{Stdout: &stdout})
	var trap *kiln.Trap
	if !errors.As(err, &trap) || trap.Code != kiln.TrapUnreachable || len(trap.Frames) == 0 || trap.Frames[0].Name != "abort" {
		t.Errorf("Run = %v, want an unreachable trap in abort", err)
	}
	if _, isExit := wasi.ExitCode(err); isExit {
		t.Error("a trap reported as an exit")
	}
	if stdout.String() != "about to trap\n" {
		t.Errorf("stdout %q", stdout.String())
	}
}

// TestProgramEchoServer: a C server accepts a connection on a preopened
// listener (sock_accept) and echoes through recv/send/shutdown.
func TestProgramEchoServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback TCP: %v", err)
	}
	defer ln.Close()
	lf, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	bin, err := os.ReadFile(filepath.Join("testdata", "echo_server.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rt := programRuntime(t)
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		code           uint32
		err            error
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		var stdout, stderr bytes.Buffer
		code, err := wasi.Run(ctx, rt, cm, wasi.Config{
			Args: []string{"echo_server"}, Stdout: &stdout, Stderr: &stderr, Sockets: []*os.File{lf},
		})
		done <- result{code, err, stdout.String(), stderr.String()}
	}()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Minute))
	for _, msg := range []string{"hello", ", wasi world"} {
		if _, err := conn.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, len(msg))
		if _, err := io.ReadFull(conn, got); err != nil || string(got) != strings.ToUpper(msg) {
			t.Fatalf("echo of %q = %q, %v", msg, got, err)
		}
	}
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if rest, err := io.ReadAll(conn); err != nil || len(rest) != 0 {
		t.Errorf("after shutdown: %q, %v", rest, err)
	}
	r := <-done
	if r.err != nil || r.code != 0 || r.stdout != "echoed 17 bytes\n" {
		t.Errorf("server: code %d, err %v, stdout %q, stderr %q", r.code, r.err, r.stdout, r.stderr)
	}
}
