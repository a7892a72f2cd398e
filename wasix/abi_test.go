package wasix_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasix"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// guestModule is one of testdata/wat/*.wat instantiated as the main
// thread of a fresh WASIX process.
type guestModule struct {
	t    testing.TB
	ctx  context.Context
	sys  *wasi.System
	inst *kiln.Instance
}

func loadWAT(t testing.TB, name string, cfg wasi.Config) *guestModule {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "wat", name+".wat"))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := wast.Parser{Features: wasm.Features3 | wasm.FeatureThreads}.ParseModule(name+".wat", src)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := newRuntime()
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := wasi.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Close() })
	if err := wasix.Define(ctx, rt, sys); err != nil {
		t.Fatal(err)
	}
	if err := sys.Link(ctx, rt, cm); err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, sys.ModuleConfig())
	if err != nil {
		t.Fatal(err)
	}
	return &guestModule{t: t, ctx: ctx, sys: sys, inst: inst}
}

// call calls export name and returns its results; an error fails the test.
func (g *guestModule) call(name string, args ...uint64) []uint64 {
	g.t.Helper()
	res, err := g.callErr(name, args...)
	if err != nil {
		g.t.Fatalf("%s: %v", name, err)
	}
	return res
}

func (g *guestModule) callErr(name string, args ...uint64) ([]uint64, error) {
	f := g.inst.Func(name)
	if f == nil {
		g.t.Fatalf("no export %s", name)
	}
	return f.Call(g.ctx, args...)
}

// errno calls an export that returns an errno and checks it.
func (g *guestModule) errno(want kernel.Errno, name string, args ...uint64) {
	g.t.Helper()
	if got := kernel.Errno(g.call(name, args...)[0]); got != want {
		g.t.Errorf("%s%v: errno %d (%v), want %d (%v)", name, args, got, got, want, want)
	}
}

func (g *guestModule) bytes(at, n int) []byte {
	return g.inst.Memory("memory").Bytes()[at : at+n]
}

func TestFutexABI(t *testing.T) {
	g := loadWAT(t, "futex", wasi.Config{})
	g.call("set_word", 5)

	// A timeout of 1 ms (the padding of the option holds garbage: the
	// value must be read at offset 8) ends the wait with woken = 0.
	g.call("set_timeout", 1, uint64(time.Millisecond))
	start := time.Now()
	g.errno(kernel.ESUCCESS, "wait", 5)
	if w := g.call("woken")[0]; w != 0 {
		t.Errorf("timed-out wait: woken %d, want 0", w)
	}
	if d := time.Since(start); d < time.Millisecond {
		t.Errorf("1 ms wait returned after %v", d)
	}
	// A value that differs returns at once, counted as woken.
	g.errno(kernel.ESUCCESS, "wait", 7)
	if w := g.call("woken")[0]; w != 1 {
		t.Errorf("value mismatch: woken %d, want 1", w)
	}
	// A zero timeout returns at once.
	g.call("set_timeout", 1, 0)
	g.errno(kernel.ESUCCESS, "wait", 5)
	if w := g.call("woken")[0]; w != 0 {
		t.Errorf("zero timeout: woken %d, want 0", w)
	}
	// Waking nobody.
	g.errno(kernel.ESUCCESS, "wake")
	if w := g.call("woken")[0]; w != 0 {
		t.Errorf("wake without waiters: woken %d, want 0", w)
	}
	g.errno(kernel.ESUCCESS, "wake_all")
	if w := g.call("woken")[0]; w != 0 {
		t.Errorf("wake_all without waiters: woken %d, want 0", w)
	}

	// Bad arguments.
	g.call("set_timeout", 2, 0)
	g.errno(kernel.EINVAL, "wait", 5) // option tag 2 does not exist
	g.call("set_timeout", 0, 0)
	g.errno(kernel.EINVAL, "wait_at", 0x102, 0) // not 4-aligned
	for _, name := range []string{"wait_bad_word", "wait_bad_timeout", "wait_bad_woken",
		"wake_bad_word", "wake_bad_woken", "wake_all_bad_word"} {
		g.errno(kernel.EFAULT, name)
	}
}

// TestFutexSharesAtomicQueues wakes a futex_wait with futex_wake and with
// memory.atomic.notify, and a memory.atomic.wait32 with futex_wake_all.
func TestFutexSharesAtomicQueues(t *testing.T) {
	g := loadWAT(t, "futex", wasi.Config{})
	g.call("set_word", 5)
	g.call("set_timeout", 0, 0) // wait forever
	for _, waker := range []string{"wake", "notify"} {
		done := make(chan []uint64, 1)
		go func() {
			res, err := g.callErr("wait", 5)
			if err != nil {
				t.Error(err)
			}
			done <- res
		}()
		wakeUntilWoken(t, g, waker)
		res := <-done
		if len(res) != 1 || res[0] != 0 {
			t.Errorf("%s: wait returned %v", waker, res)
		}
		if w := g.call("woken")[0]; w != 1 {
			t.Errorf("%s: woken %d, want 1", waker, w)
		}
	}
	done := make(chan []uint64, 1)
	go func() {
		res, err := g.callErr("atomic_wait", 5, ^uint64(0))
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	wakeUntilWoken(t, g, "wake_all")
	if res := <-done; len(res) != 1 || res[0] != 0 {
		t.Errorf("memory.atomic.wait32 woken by futex_wake_all returned %v, want [0] (ok)", res)
	}
}

// wakeUntilWoken calls the waker export until it reports having woken a
// waiter (the waiter may not have queued yet), failing after 10 s.
func wakeUntilWoken(t *testing.T, g *guestModule, waker string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if waker == "notify" {
			if g.call("notify", 1)[0] == 1 {
				return
			}
		} else {
			g.errno(kernel.ESUCCESS, waker)
			if g.call("woken")[0] == 1 {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("%s never found a waiter", waker)
}

func TestThreadsABI(t *testing.T) {
	g := loadWAT(t, "threads", wasi.Config{})
	if r := g.call("thread_id"); r[0] != 0 || r[1] != 1 {
		t.Errorf("thread_id of the main thread: %v, want [0 1]", r)
	}
	g.errno(kernel.EFAULT, "thread_id_bad")
	if r := g.call("parallelism"); r[0] != 0 || r[1] < 1 {
		t.Errorf("thread_parallelism: %v", r)
	}
	g.errno(kernel.EFAULT, "parallelism_bad")
	g.errno(kernel.ESUCCESS, "sleep", uint64(time.Millisecond))
	g.errno(kernel.ESUCCESS, "sleep", 0)
	g.errno(kernel.EDEADLK, "join", 1)   // itself
	g.errno(kernel.ESUCCESS, "join", 77) // no such thread: nothing to wait for

	// Bad thread_start structs and pointers start no thread.
	g.errno(kernel.EINVAL, "spawn", 0x100, 0x1000, 0) // stack below address 0
	g.errno(kernel.EFAULT, "spawn_bad_struct")
	g.errno(kernel.EFAULT, "spawn_bad_tid")
	if f := g.call("flag")[0]; f != 0 {
		t.Fatalf("a refused spawn ran a thread")
	}

	// A thread that returns; one that calls thread_exit.
	var last uint64
	for _, args := range []uint64{0, 1} {
		g.errno(kernel.ESUCCESS, "spawn", 0x8000, 0x1000, args)
		g.call("wait_flag")
		tid, seen, start, own := g.call("spawned_tid")[0], g.call("seen_tid")[0], g.call("seen_start")[0], g.call("seen_thread_id")[0]
		if tid < 2 || seen != tid || own != tid || start != 0x200 {
			t.Errorf("start args %d: spawn returned tid %d; the thread got (%d, %#x) and thread_id %d; want (tid, 0x200), tid", args, tid, seen, start, own)
		}
		if tid == last {
			t.Errorf("thread ids repeat: %d", tid)
		}
		last = tid
		g.errno(kernel.ESUCCESS, "join", tid)
	}
	// The process goes on.
	if r := g.call("thread_id"); r[1] != 1 {
		t.Errorf("thread_id after threads ended: %v", r)
	}
}

func TestThreadQuota(t *testing.T) {
	var log auditLog
	g := loadWAT(t, "threads", wasi.Config{Limits: sandbox.Limits{Threads: 1}, Auditor: &log})
	g.errno(kernel.EAGAIN, "spawn", 0x8000, 0x1000, 0)
	if r := g.call("parallelism"); r[0] != 0 || r[1] != 1 {
		t.Errorf("thread_parallelism under a one-thread quota: %v, want [0 1]", r)
	}
	if !log.saw(kernel.OpQuota) {
		t.Error("the refused spawn was not audited")
	}
}

func TestProcABI(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	g := loadWAT(t, "proc", wasi.Config{Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/sandbox"}}})
	getcwd := func(capacity uint64) (kernel.Errno, uint64, string) {
		r := g.call("getcwd", capacity)
		return kernel.Errno(r[0]), r[1], string(g.bytes(0x400, 16))
	}
	if e, n, buf := getcwd(256); e != 0 || n != 1 || buf[:3] != "/\x00#" {
		t.Errorf("getcwd: errno %d, length %d, buffer %q; want 0, 1, \"/\\x00#\"", e, n, buf)
	}
	if e, n, buf := getcwd(0); e != kernel.ERANGE || n != 1 || buf[0] != '#' {
		t.Errorf("getcwd into 0 bytes: errno %d, length %d, buffer %q; want ERANGE, 1, untouched", e, n, buf)
	}
	g.errno(kernel.EFAULT, "getcwd_bad_buf")
	g.errno(kernel.EFAULT, "getcwd_bad_len")

	chdir := func(path string) kernel.Errno {
		copy(g.bytes(0x600, len(path)), path)
		return kernel.Errno(g.call("chdir", uint64(len(path)))[0])
	}
	if e := chdir("/sandbox/sub"); e != 0 {
		t.Errorf("chdir /sandbox/sub: %v", e)
	}
	if e, n, buf := getcwd(256); e != 0 || buf[:n] != "/sandbox/sub" {
		t.Errorf("getcwd after chdir: %v %q", e, buf[:n])
	}
	if e := chdir("/sandbox/missing"); e != kernel.ENOENT {
		t.Errorf("chdir to a missing directory: %v, want ENOENT", e)
	}
	if e := chdir("\xff"); e != kernel.EILSEQ {
		t.Errorf("chdir to invalid UTF-8: %v, want EILSEQ", e)
	}
	g.errno(kernel.EFAULT, "chdir_bad")
	if e, n, buf := getcwd(256); e != 0 || buf[:n] != "/sandbox/sub" {
		t.Errorf("failed chdirs moved the working directory: %v %q", e, buf[:n])
	}

	if r := g.call("proc_id"); r[0] != 0 || r[1] != 1 {
		t.Errorf("proc_id: %v, want [0 1]", r)
	}
	g.errno(kernel.EFAULT, "proc_id_bad")
	if r := g.call("proc_parent", 1); r[0] != 0 || r[1] != 0 {
		t.Errorf("proc_parent(1): %v, want [0 0]", r)
	}
	if r := g.call("proc_parent", 5); r[0] != uint64(kernel.EBADF) || r[1] != 0xdead {
		t.Errorf("proc_parent(5): %v, want EBADF and the result untouched", r)
	}
	g.errno(kernel.EFAULT, "proc_parent_bad", 1)
	g.errno(kernel.ESUCCESS, "proc_snapshot")

	_, err := g.callErr("proc_exit2", 7)
	if code, ok := wasi.ExitCode(err); !ok || code != 7 {
		t.Errorf("proc_exit2(7): %v, want exit code 7", err)
	}
}

// TestClockTimeSet sets one process's realtime clock and checks that it
// moved for that process only.
func TestClockTimeSet(t *testing.T) {
	g := loadWAT(t, "proc", wasi.Config{})
	other := loadWAT(t, "proc", wasi.Config{})
	const target = uint64(946684800) * 1e9 // 2000-01-01
	g.errno(kernel.ESUCCESS, "clock_time_set", 0, target)
	r := g.call("clock_time_get", 0)
	if r[0] != 0 || r[1] < target || r[1]-target > 10e9 {
		t.Errorf("realtime after clock_time_set: %v, want [0, %d + a little]", r, target)
	}
	r = other.call("clock_time_get", 0)
	now := uint64(time.Now().UnixNano())
	if r[0] != 0 || r[1] > now || now-r[1] > 10e9 {
		t.Errorf("another process's realtime moved: %v (now %d)", r, now)
	}
	g.errno(kernel.EINVAL, "clock_time_set", 1, 0) // monotonic
	g.errno(kernel.EINVAL, "clock_time_set", 99, 0)
	g.errno(kernel.EINVAL, "clock_time_set", 0, 1<<63) // beyond the year 2262
}

func TestABI64(t *testing.T) {
	g := loadWAT(t, "abi64", wasi.Config{})
	if r := g.call("thread_id"); r[0] != 0 || r[1] != 1 {
		t.Errorf("thread_id: %v", r)
	}
	if r := g.call("getcwd", 256); r[0] != 0 || r[1] != 1 || string(g.bytes(0x400, 2)) != "/\x00" {
		t.Errorf("getcwd: %v %q", r, g.bytes(0x400, 2))
	}
	if r := g.call("parallelism"); r[0] != 0 || r[1] < 1 || r[1] > 1<<20 {
		t.Errorf("thread_parallelism (a u64 result): %v", r)
	}
	if r := g.call("wait_timeout", uint64(time.Millisecond)); r[0] != 0 || r[1] != 0 {
		t.Errorf("futex_wait with a timeout: %v, want [0 0]", r)
	}
	g.errno(kernel.EFAULT, "wait_bad")
	// epoll: the event count is a u64; the data comes back as given.
	r := g.call("epoll")
	if r[0] != 0 || r[1] != 0 || r[2] != 0 || r[3] != 1 || r[4] != 1 ||
		r[5] != 0x1817161514131211 || r[6] != 0x2827262524232221 {
		t.Errorf("epoll: %x, want [0 0 0 1 1 1817161514131211 2827262524232221]", r)
	}
}

// auditLog records audit events.
type auditLog struct {
	mu     sync.Mutex
	events []kernel.AuditEvent
}

func (l *auditLog) Audit(ctx context.Context, ev kernel.AuditEvent) {
	l.mu.Lock()
	l.events = append(l.events, ev)
	l.mu.Unlock()
}

func (l *auditLog) saw(op kernel.Op) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ev := range l.events {
		if ev.Op == op {
			return true
		}
	}
	return false
}

// TestSpawnJoinMany spawns and joins 1,000 threads through
// thread_spawn_v2: every thread's goroutine and instance must be gone
// afterwards.
func TestSpawnJoinMany(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	g := loadWAT(t, "threads", wasi.Config{})
	before := runtime.NumGoroutine()
	for i := 0; i < n; i++ {
		g.errno(kernel.ESUCCESS, "spawn", 0x8000, 0x1000, uint64(i%2)) // returns, or thread_exit
		tid := g.call("spawned_tid")[0]
		g.errno(kernel.ESUCCESS, "join", tid)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before %d spawns, %d after", before, n, after)
	}
	if live := g.sys.Process().NumThreads(); live != 1 {
		t.Errorf("%d live threads after joining all, want 1", live)
	}
}
