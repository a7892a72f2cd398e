package wasi_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wast"
)

// The sandbox through the Go API: wasi.Config's Policy, Limits and Audit.

func TestConfigPolicy(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "granted")
	mkdir(t, dir)
	writeFile(t, filepath.Join(dir, "in.txt"), "in")
	writeFile(t, filepath.Join(root, "out.txt"), "secret")
	var log bytes.Buffer
	pol := &sandbox.Policy{
		Mounts: []sandbox.Mount{{HostPath: dir, GuestPath: "/data", ReadOnly: true}},
		Env:    []string{"FROM=policy"},
	}
	if err := pol.Validate(); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, wasi.Config{Name: "guest", Env: []string{"FROM_CONFIG=1"}, Policy: pol, Audit: sandbox.NewJSONAuditor(&log)})
	if got := strings.Join(h.sys.Process().Environ(), " "); got != "FROM_CONFIG=1 FROM=policy" {
		t.Errorf("environment = %q", got)
	}
	const rightRead, rightWrite = 2, 64
	if _, e := h.open(3, "in.txt", 0, rightRead); e != kernel.ESUCCESS {
		t.Errorf("open inside: %v", e)
	}
	if _, e := h.open(3, "../out.txt", 0, rightRead); e != kernel.EPERM {
		t.Errorf("open outside the mount: %v, want EPERM", e)
	}
	if _, e := h.open(3, "new.txt", oCreat, rightWrite); e != kernel.EROFS {
		t.Errorf("create below a read-only mount: %v, want EROFS", e)
	}
	for _, want := range []string{
		`"module":"guest","pid":1,"tid":1,"op":"open","path":"/data/in.txt","decision":"allowed","result":"ok"`,
		`"op":"open","path":"/out.txt","detail":"not granted: path is outside every mounted directory","decision":"denied","result":"wasi errno perm"`,
		`"op":"create","path":"/data/new.txt","detail":"read-only: mount \"/data\" is read-only","decision":"denied","result":"wasi errno rofs"`,
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("audit log lacks %s:\n%s", want, log.String())
		}
	}
	// A policy's network rules reach the kernel: without a rule, even
	// listening is refused.
	fd, e := h.sys.Process().SockOpen("tcp", false)
	if e == kernel.ENOSYS {
		return
	}
	if e := h.sys.Process().SockListen(fd, 0); e != kernel.EACCES {
		t.Errorf("listen without a rule: %v", e)
	}
}

func TestConfigLimits(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer
	h := newHarness(t, wasi.Config{
		Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/d"}},
		Limits: sandbox.Limits{FileWriteBytes: 4, Descriptors: 5},
		Audit:  sandbox.NewJSONAuditor(&log),
	})
	fd, e := h.open(3, "f", oCreat, 64)
	if e != kernel.ESUCCESS {
		t.Fatal(e)
	}
	buf, n := h.str("abcdef")
	iov, nw := h.iovec(buf, n), h.alloc(4)
	if e := h.call("fd_write", fd, iov, 1, nw); e != kernel.ESUCCESS || h.u32(nw) != 4 {
		t.Fatalf("write past the quota: %v, %d bytes; want a 4-byte write", e, h.u32(nw))
	}
	if e := h.call("fd_write", fd, iov, 1, nw); e != kernel.EDQUOT {
		t.Fatalf("write at the quota: %v, want EDQUOT", e)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "f")); string(data) != "abcd" {
		t.Fatalf("file holds %q", data)
	}
	if _, e := h.open(3, "g", oCreat, 64); e != kernel.EMFILE {
		t.Fatalf("sixth descriptor: %v, want EMFILE", e)
	}
	if u := h.sys.Quota().Used(sandbox.ResFileWrite); u != 4 {
		t.Fatalf("charged %d bytes", u)
	}
	for _, want := range []string{`"op":"quota","path":"/d/f","detail":"quota exceeded: bytes written to files`, `"op":"quota","path":"/d/g","detail":"quota exceeded: open descriptors`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("audit log lacks %s:\n%s", want, log.String())
		}
	}
}

func TestRuntimeLimits(t *testing.T) {
	for _, tc := range []struct {
		base kiln.RuntimeConfig
		l    sandbox.Limits
		want kiln.RuntimeConfig
	}{
		{kiln.RuntimeConfig{}, sandbox.Limits{}, kiln.RuntimeConfig{}},
		{kiln.RuntimeConfig{}, sandbox.Limits{MemoryBytes: 1 << 20, Fuel: 9}, kiln.RuntimeConfig{MaxMemoryPages: 16, Fuel: 9}},
		{kiln.RuntimeConfig{MaxMemoryPages: 4, Fuel: 5}, sandbox.Limits{MemoryBytes: 1 << 20, Fuel: 9}, kiln.RuntimeConfig{MaxMemoryPages: 4, Fuel: 5}},
		{kiln.RuntimeConfig{}, sandbox.Limits{MemoryBytes: 100}, kiln.RuntimeConfig{MaxMemoryPages: 1}},
		{kiln.RuntimeConfig{}, sandbox.Limits{MemoryBytes: 1 << 40}, kiln.RuntimeConfig{MaxMemoryPages: 1 << 16}},
	} {
		if got := wasi.RuntimeLimits(tc.base, tc.l); got != tc.want {
			t.Errorf("RuntimeLimits(%+v, %+v) = %+v, want %+v", tc.base, tc.l, got, tc.want)
		}
	}
}

// runWat runs a text-format WASI command under limits.
func runWat(t *testing.T, wat string, l sandbox.Limits, audit *sandbox.Auditor) (uint32, error) {
	t.Helper()
	bin, err := wast.ParseModule("guest.wat", []byte(wat))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := kiln.NewRuntime(wasi.RuntimeLimits(kiln.RuntimeConfig{}, l))
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	return wasi.Run(ctx, rt, cm, wasi.Config{Limits: l, Audit: audit})
}

func TestRunLimits(t *testing.T) {
	const spin = `(module (func (export "_start") (loop $l (br $l))))`
	const bomb = `(module
	  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
	  (memory 1)
	  (func (export "_start")
	    (block $full (loop $grow
	      (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
	      (br $grow)))
	    (call $exit (memory.size))))`
	var log bytes.Buffer
	audit := sandbox.NewJSONAuditor(&log)
	if _, err := runWat(t, spin, sandbox.Limits{Fuel: 1000}, audit); !errors.Is(err, kiln.ErrFuelExhausted) {
		t.Errorf("fuel: %v", err)
	}
	_, err := runWat(t, spin, sandbox.Limits{WallTime: 50e6}, audit)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, sandbox.ErrQuotaExceeded) {
		t.Errorf("wall time: %v", err)
	}
	if code, err := runWat(t, bomb, sandbox.Limits{MemoryBytes: 256 << 10}, audit); code != 4 || err != nil {
		t.Errorf("memory bomb: exit %d, %v; want 4 pages", code, err)
	}
	for _, want := range []string{`"op":"quota","detail":"fuel exhausted"`, `"op":"quota","detail":"wall time: quota exceeded: wall time`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("audit log lacks %s:\n%s", want, log.String())
		}
	}
}
