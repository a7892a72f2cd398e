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
	"github.com/kilnrt/kiln/wasm"
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
		`"op":"open","path":"/out.txt","written":"/data/../out.txt","detail":"not granted: path is outside every mounted directory","decision":"denied","result":"wasi errno perm"`,
		`"op":"create","path":"/data/new.txt","detail":"read-only: mount \"/data\" is read-only","decision":"denied","result":"wasi errno rofs"`,
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("audit log lacks %s:\n%s", want, log.String())
		}
	}
	// A policy's network rules reach the kernel: without a rule, even
	// listening is refused.
	fd, e := h.sys.Process().SockOpen(context.Background(), "tcp", false)
	if e == kernel.ENOSYS {
		return
	}
	if e := h.sys.Process().SockListen(context.Background(), fd, 0); e != kernel.EACCES {
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
		{kiln.RuntimeConfig{}, sandbox.Limits{MemoryBytes: 1 << 20, Fuel: 9}, kiln.RuntimeConfig{MaxMemoryPages: 16}},
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
	rt := kiln.NewRuntime(wasi.RuntimeLimits(kiln.RuntimeConfig{Features: wasm.Features3}, l))
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

func TestEngineQuotas(t *testing.T) {
	// Two memories growing in turn stop at the total of MemoryBytes; a
	// table bomb stops at TableElements; both refusals are audited.
	const memories = `(module
	  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
	  (memory $a 1) (memory $b 1)
	  (func (export "_start")
	    (loop $l
	      (if (i32.ne (memory.grow $a (i32.const 1)) (i32.const -1))
	        (then (if (i32.ne (memory.grow $b (i32.const 1)) (i32.const -1))
	          (then (br $l))))))
	    (call $exit (i32.add (memory.size $a) (memory.size $b)))))`
	const tables = `(module
	  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
	  (table $t 0 funcref)
	  (func (export "_start")
	    (loop $l
	      (br_if $l (i32.ne (table.grow $t (ref.null func) (i32.const 7)) (i32.const -1))))
	    (call $exit (table.size $t))))`
	var log bytes.Buffer
	audit := sandbox.NewJSONAuditor(&log)
	if code, err := runWat(t, memories, sandbox.Limits{MemoryBytes: 640 << 10}, audit); code != 10 || err != nil {
		t.Errorf("two memories: exit %d, %v; want 10 pages in total", code, err)
	}
	if code, err := runWat(t, tables, sandbox.Limits{TableElements: 100}, audit); code != 98 || err != nil {
		t.Errorf("table bomb: exit %d, %v; want 98 elements", code, err)
	}
	if _, err := runWat(t, memories, sandbox.Limits{MemoryBytes: 64 << 10}, audit); !errors.Is(err, kiln.ErrLimiterRefused) {
		t.Errorf("initial memories over the total: %v, want kiln.ErrLimiterRefused", err)
	}
	for _, want := range []string{
		`"op":"quota","detail":"quota exceeded: linear memory bytes: requested 65536, used 655360 of 655360","decision":"denied"`,
		`"op":"quota","detail":"quota exceeded: table elements: requested 7, used 98 of 100","decision":"denied"`,
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("audit log lacks %s:\n%s", want, log.String())
		}
	}
}

func TestFuelSharedAcrossCalls(t *testing.T) {
	// An embedder calling a reactor's export repeatedly spends one
	// budget: the account's, through System.ModuleConfig.
	bin, err := wast.ParseModule("guest.wat", []byte(`(module
	  (func (export "work") (param $n i32)
	    (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))`))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := wasi.Instantiate(ctx, rt, wasi.Config{Limits: sandbox.Limits{Fuel: 2500}})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	inst, err := rt.Instantiate(ctx, cm, sys.ModuleConfig())
	if err != nil {
		t.Fatal(err)
	}
	work := inst.Func("work")
	calls := 0
	for ; calls < 10; calls++ {
		if _, err = work.Call(ctx, 1000); err != nil {
			break
		}
	}
	if calls != 2 || !errors.Is(err, kiln.ErrFuelExhausted) {
		t.Fatalf("%d calls of work(1000) under a budget of 2500, then %v; want 2 and fuel exhausted", calls, err)
	}
	if used := sys.Quota().Used(sandbox.ResFuel); used != 2500 {
		t.Fatalf("account charged %d units of fuel, want 2500", used)
	}
}

// eventLog is a kernel.Auditor that keeps the events.
type eventLog struct{ events []kernel.AuditEvent }

func (l *eventLog) Audit(_ context.Context, ev kernel.AuditEvent) { l.events = append(l.events, ev) }

// TestOutcomeToEmbedderAuditor: with the embedder's own Auditor (and no
// Audit log), a run that runs out of fuel is recorded there as a quota
// hit, like every other quota refusal.
func TestOutcomeToEmbedderAuditor(t *testing.T) {
	bin, err := wast.ParseModule("guest.wat", []byte(`(module (func (export "_start") (loop $l (br $l))))`))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	rec := &eventLog{}
	if _, err := wasi.Run(ctx, rt, cm, wasi.Config{Limits: sandbox.Limits{Fuel: 1000}, Auditor: rec}); !errors.Is(err, kiln.ErrFuelExhausted) {
		t.Fatalf("run: %v, want fuel exhausted", err)
	}
	if len(rec.events) != 1 || rec.events[0].Op != kernel.OpQuota || !errors.Is(rec.events[0].Err, kiln.ErrFuelExhausted) {
		t.Fatalf("audit events = %+v, want one fuel quota event", rec.events)
	}
}
