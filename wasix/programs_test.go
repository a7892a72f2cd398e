package wasix_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasix"
	"github.com/kilnrt/kiln/wasm"
)

// program is one run of a WASIX test program (testdata/PROG.wasm, built
// from testdata/c by build.sh) with what kiln must print and exit with.
// The differential test (reftest_test.go) runs the same table on the
// reference runtime.
type program struct {
	name string // case name, as the expectations file lists it
	prog string
	args []string
	// files are created below the guest directory /workspace (as the
	// reference runtime's sandbox has it) before the run.
	files map[string]string
	// wasm are test programs (testdata/NAME.wasm) copied to
	// /workspace/NAME.wasm for the program to start.
	wasm []string
	// spawn lets the program create processes (the sandbox's spawn rule);
	// limits are its quotas.
	spawn  bool
	limits sandbox.Limits
	// loopback lets the program bind, listen on and connect to
	// 127.0.0.1 (the sandbox's network rules).
	loopback bool
	code     uint32
	stdout   string
	// audit, when set, receives the run's audit log.
	audit *sandbox.Auditor
}

var programs = []program{
	{name: "futex_counter", prog: "futex_counter",
		stdout: "threads 8, total 160000 (want 160000)\n"},
	{name: "thread_basics", prog: "thread_basics", stdout: "thread_id: errno 0, main thread 1\n" +
		"spawned thread 0: errno 0, spawn returned 2, join errno 0, thread_id in thread 2, differs from main 1\n" +
		"spawned thread 1: errno 0, spawn returned 3, join errno 0, thread_id in thread 3, differs from main 1\n" +
		"distinct thread ids: 1\n" +
		"thread_parallelism: errno 0, at least one 1\n" +
		"thread_sleep 30ms: errno 0, slept at least 30ms 1\n" +
		"thread_sleep 0: errno 0\n"},
	{name: "thread_join", prog: "thread_join",
		stdout: "thread_join: errno 0, thread finished before join returned 1\n"},
	{name: "thread_exit", prog: "thread_exit",
		stdout: "join: errno 0, ran 1, ran past thread_exit 0\n"},
	{name: "thread_exit-main", prog: "thread_exit", args: []string{"main"},
		stdout: "join: errno 0, ran 1, ran past thread_exit 0\nmain thread calls thread_exit(5)\n"},
	{name: "cwd", prog: "cwd", args: []string{"/workspace/cwdtest"},
		files: map[string]string{"cwdtest/file": "x", "cwdtest/sub/keep": "y"},
		stdout: "chdir /workspace/cwdtest: errno 0\n" +
			"after chdir: getcwd /workspace/cwdtest (length 18)\n" +
			"chdir sub: errno 0\n" +
			"after relative chdir: getcwd /workspace/cwdtest/sub (length 22)\n" +
			"chdir ..: errno 0\n" +
			"after chdir ..: getcwd /workspace/cwdtest (length 18)\n" +
			"getcwd with 17 bytes: errno 68, length reported 18, needed 18, buffer untouched past it 1\n" +
			"chdir missing: errno 44\n" +
			"chdir file: errno 54\n" +
			"after failed chdirs: getcwd /workspace/cwdtest (length 18)\n" +
			"chdir /: errno 0\n" +
			"after chdir /: getcwd / (length 1)\n"},
	{name: "clock_set", prog: "clock_set", stdout: "clock_time_set realtime: errno 0\n" +
		"before set: later than 2020 1\n" +
		"after set: within 10s of 2000-01-01 1, not before it 1\n" +
		"clock keeps running 1\n" +
		"clock_time_set clock 99: errno 28\n"},
	{name: "proc_id", prog: "proc_id", stdout: "proc_id: errno 0, pid 1\n" +
		"proc_parent(self): errno 0, parent 0\n" +
		"proc_parent(999999): errno 8\n" +
		"proc_snapshot: errno 0\n"},
	{name: "proc_exit2", prog: "proc_exit2", code: 42, stdout: "before proc_exit2(42)\n"},
	{name: "proc_exit2-thread", prog: "proc_exit2", args: []string{"thread"}, code: 9,
		stdout: "main waits, thread calls proc_exit2(9)\n"},
	{name: "fd_pipe", prog: "fd_pipe", stdout: "fd_pipe: errno 0, distinct 1\n" +
		"write: 16\n" +
		"pipe: read 16: through the pipe\n" +
		"fd_dup2(min 20, cloexec): errno 0, at least 20 1\n" +
		"fd_fdflags_get(copy): errno 0, cloexec 1\n" +
		"fd_fdflags_get(original): errno 0, cloexec 0\n" +
		"write through the copy after closing the original: 3\n" +
		"pipe: read 3: dup\n" +
		"fd_dup: errno 0, a new number 1\n" +
		"write through fd_dup's copy: 5\n" +
		"pipe: read 5: again\n" +
		"pipe with every writer closed: read 0: \n" +
		"fd_dup of a closed number: errno 8\n" +
		"fd_fdflags_get of a closed number: errno 8\n" +
		"fd_event(3): errno 0\n" +
		"counter: 3\n" +
		"counter after adding 2 and 5: 7\n" +
		"fd_event(2, semaphore): errno 0\n" +
		"semaphore reads: 1 1\n"},
	{name: "spawn", prog: "spawn", wasm: []string{"child"}, spawn: true, stdout: "spawn echo: errno 0, pid differs from mine 1\n" +
		"read from the pipe: hello from the child\n" +
		"join echo: errno 0, tag 1, exit code 0\n" +
		"join any: pid is the child's 1\n" +
		"join any: errno 0, tag 1, exit code 42\n" +
		"child: pid 4, parent 1\n" +
		"join ids: errno 0, tag 1, exit code 0\n" +
		"my pid 1\n" +
		"join echo into a file: errno 0, tag 1, exit code 0\n" +
		"the file holds: into a file\n" +
		"join with no children: errno 12\n" +
		"spawn of a missing program: errno 44\n" +
		"spawn with dup2 to 65536: errno 8\n" +
		"proc_signal of no process: errno 71\n"},
	{name: "spawn-legacy", prog: "spawn", args: []string{"legacy"}, wasm: []string{"child"}, spawn: true,
		stdout: "proc_spawn: errno 0, stdin piped 1, stdout piped 1, stderr inherited 1\n" +
			"read: THROUGH BOTH PIPES\n" +
			"join: errno 0, tag 1, exit code 0\n" +
			"proc_spawn with chroot: errno 58\n"},
	{name: "spawn-kill", prog: "spawn", args: []string{"kill"}, wasm: []string{"child"}, spawn: true,
		stdout: "non-blocking join of a sleeping child: errno 0, tag 0\n" +
			"proc_signal SIGTERM: errno 0\n" +
			"join after SIGTERM: errno 0, tag 2, signal 15 (code 143)\n"},
	{name: "spawn-denied", prog: "spawn", args: []string{"denied"}, wasm: []string{"child"},
		stdout: "spawn without permission: errno 63\n"},
	{name: "spawn-bomb", prog: "child", args: []string{"bomb", "1"}, wasm: []string{"child"}, spawn: true,
		limits: sandbox.Limits{Processes: 4}, stdout: "depth 4: spawn errno 6\n" +
			"depth 3: child joined errno 0, exit 0\n" +
			"depth 2: child joined errno 0, exit 0\n" +
			"depth 1: child joined errno 0, exit 0\n"},
	{name: "exec", prog: "exec", wasm: []string{"child"}, spawn: true, stdout: "before exec: pid 1\n" +
		"exec of a missing program: errno 44\n" +
		"child: pid 1, parent 0\n"},
	{name: "fork", prog: "fork", wasm: []string{"child"}, spawn: true, stdout: "parent: fork returned a pid other than mine 1\n" +
		"from the pipe: child: fork returned 0, parent is the forker 1, counter 100, heap child's heap\n" +
		"join: errno 0, the forked child 1, tag 1, exit code 42\n" +
		"parent after the child: counter 1, heap parent's heap\n" +
		"exec in a forked child\n" +
		"join vfork+exec: errno 0, tag 1, exit code 0\n"},
	{name: "fork-bomb", prog: "fork", args: []string{"bomb"}, spawn: true, limits: sandbox.Limits{Processes: 5},
		stdout: "forked 4 children, then errno 6\njoined 4 children killed by SIGKILL\n"},
	{name: "fork-denied", prog: "fork", stdout: "fork: errno 63\n", code: 1},
	// The same programs built without asyncify: fork and setjmp/longjmp
	// by the interpreter's frame capture.
	{name: "fork_native", prog: "fork_native", wasm: []string{"child"}, spawn: true, stdout: "parent: fork returned a pid other than mine 1\n" +
		"from the pipe: child: fork returned 0, parent is the forker 1, counter 100, heap child's heap\n" +
		"join: errno 0, the forked child 1, tag 1, exit code 42\n" +
		"parent after the child: counter 1, heap parent's heap\n" +
		"exec in a forked child\n" +
		"join vfork+exec: errno 0, tag 1, exit code 0\n"},
	{name: "fork_native-bomb", prog: "fork_native", args: []string{"bomb"}, spawn: true, limits: sandbox.Limits{Processes: 5},
		stdout: "forked 4 children, then errno 6\njoined 4 children killed by SIGKILL\n"},
	{name: "fork_native-denied", prog: "fork_native", stdout: "fork: errno 63\n", code: 1},
	{name: "longjmp_native", prog: "longjmp_native", stdout: "checkpoint: errno 0, returned 0, rounds 0, depth reached 0\n" +
		"checkpoint: errno 0, returned 7, rounds 1, depth reached 5\n" +
		"checkpoint: errno 0, returned 1, rounds 2, depth reached 5\n" +
		"done after 3 rounds\n"},
	{name: "longjmp", prog: "longjmp", stdout: "checkpoint: errno 0, returned 0, rounds 0, depth reached 0\n" +
		"checkpoint: errno 0, returned 7, rounds 1, depth reached 5\n" +
		"checkpoint: errno 0, returned 1, rounds 2, depth reached 5\n" +
		"done after 3 rounds\n"},
	{name: "vfork", prog: "vfork", wasm: []string{"child"}, spawn: true, stdout: "vfork: the child's pid is another 1, its proc_id 1, its parent me 1\n" +
		"join: errno 0, tag 1, exit code 42\n" +
		"exec in a vfork child\n" +
		"vfork+exec 0: exec errno 0, join errno 0, tag 1, exit code 0\n" +
		"vfork+exec 1: exec errno 44, join errno 0, tag 1, exit code 3\n"},
	{name: "vfork_native", prog: "vfork_native", wasm: []string{"child"}, spawn: true, stdout: "vfork: the child's pid is another 1, its proc_id 1, its parent me 1\n" +
		"join: errno 0, tag 1, exit code 42\n" +
		"exec in a vfork child\n" +
		"vfork+exec 0: exec errno 0, join errno 0, tag 1, exit code 0\n" +
		"vfork+exec 1: exec errno 44, join errno 0, tag 1, exit code 3\n"},
	{name: "longjmp_eh", prog: "longjmp_eh", stdout: "setjmp returned 0, rounds 0, depth reached 0\n" +
		"setjmp returned 7, rounds 1, depth reached 5\n" +
		"setjmp returned 1, rounds 2, depth reached 5\n" +
		"done after 3 rounds\n"},
	{name: "ksh", prog: "ksh", wasm: []string{"child"}, spawn: true,
		args:   []string{"-c", "/workspace/child.wasm echo through three | /workspace/child.wasm upper | /workspace/child.wasm cat"},
		stdout: "THROUGH THREE\n"},
	{name: "signals", prog: "signals", stdout: "proc_signals_sizes_get: errno 0, 0 inherited\n" +
		"raise SIGUSR1: errno 0, handler ran 1 time(s) with signal 10 before it returned\n" +
		"proc_raise SIGCHLD: errno 0, handler ran 2 time(s), last signal 17\n" +
		"alarm in 50ms: errno 0\n" +
		"sleep 5s: errno 27, interrupted early 1, handler ran 3 time(s), last signal 14\n" +
		"futex_wait without timeout: errno 27, handler ran 4 time(s), last signal 14\n" +
		"thread_signal of no thread: errno 71\n" +
		"proc_raise_interval of signal 40: errno 28\n"},
	{name: "epoll", prog: "epoll", stdout: epollStart + epollRounds + epollEnd},
	{name: "epoll-timeout", prog: "epoll", args: []string{"timeout"},
		stdout: epollStart + "wait 50ms: errno 0, 0 events, waited at least 50ms 1\n" + epollRounds + epollEnd},
	{name: "epoll-hup", prog: "epoll", args: []string{"hup"},
		stdout: epollStart + epollRounds + "writer closed: errno 0, pipe1 reported 1, read 0\n" + epollEnd},
	{name: "epoll_threads", prog: "epoll_threads", stdout: "spawn writer: errno 0\n" +
		"read 10 bytes: m0m1m2m3m4, every wake-up had data 1\n" +
		"join: errno 0\n"},
	{name: "epoll_threads-exit", prog: "epoll_threads", args: []string{"exit"}, code: 3,
		stdout: "main waits in epoll_wait, thread calls proc_exit2(3)\n"},
	{name: "dup2", prog: "dup2", stdout: "dup2 onto 40 (not open): errno 0\n" +
		"write through 40: 4\n" +
		"write through the source: 3\n" +
		"pipe: read 7: new,old\n" +
		"save stdout on 41: errno 0\n" +
		"dup2 the pipe onto stdout: errno 0, back: errno 0\n" +
		"pipe: read 13: into the pipe\n" +
		"dup2 from a closed number: errno 8\n" +
		"dup2 onto itself: errno 0\n"},
	{name: "epoll_server", prog: "epoll_server", loopback: true,
		stdout: "listen on 127.0.0.1, port chosen: errno 0, port set 1\n" +
			"watch the listener: errno 0\n" +
			"client threads: 8\n" +
			"accepted 32, closed 32, echoed 576 bytes, at least 4 at once 1, timeouts 0\n" +
			"connections whose every echo came back: 32 of 32\n"},
	{name: "epoll_server-et", prog: "epoll_server", args: []string{"et"}, loopback: true,
		stdout: "listen on 127.0.0.1, port chosen: errno 0, port set 1\n" +
			"non-blocking listener: errno 0\n" +
			"watch the listener: errno 0\n" +
			"client threads: 8\n" +
			"accepted 32, closed 32, echoed 576 bytes, at least 4 at once 1, timeouts 0\n" +
			"connections whose every echo came back: 32 of 32\n"},
	{name: "tty", prog: "tty", stdout: "tty_get: errno 58\n" +
		"struct untouched 1\n" +
		"tty_set: errno 58\n"},
	{name: "sock_tcp_threads", prog: "sock_tcp_threads", loopback: true,
		stdout: "listen on 127.0.0.1:0: errno 0, a port was chosen 1\n" +
			"accept: errno 0, peer 127.0.0.1 1\n" +
			"server echoed 9600 bytes, errno 0\n" +
			"client: errno 0, rounds echoed intact 200 of 200\n"},
	{name: "sock_udp", prog: "sock_udp", loopback: true,
		files: map[string]string{"sendfile.txt": "0123456789abcdefghij"},
		stdout: "two UDP sockets: errno 0 0, distinct ports 1\n" +
			"send_to: errno 0, 10 bytes\n" +
			"recv_from: errno 0, 10 bytes \"datagram 0\", from the sender 1\n" +
			"send_to: errno 0, 10 bytes\n" +
			"recv_from: errno 0, 10 bytes \"datagram 1\", from the sender 1\n" +
			"send_to: errno 0, 10 bytes\n" +
			"recv_from: errno 0, 10 bytes \"datagram 2\", from the sender 1\n" +
			"recv_from(DONT_WAIT), nothing queued: errno 6\n" +
			"sock_pair: errno 0; send_file(offset 6, 10 bytes): errno 0, sent 10; received errno 0: 6789abcdef\n"},
	{name: "sock_exit", prog: "sock_exit", loopback: true, code: 7,
		stdout: "listener errno 0, pair errno 0, spawns 0 0; threads block in accept and recv, main calls proc_exit2(7)\n"},
	{name: "sock_signal", prog: "sock_signal", loopback: true,
		stdout: "listener: errno 0\n" +
			"sock_accept_v2 during an alarm: errno 27, handler ran 1 time(s), last signal 14\n" +
			"sock_recv during an alarm: errno 27, handler ran 2 time(s)\n"},
	{name: "sock_pair", prog: "sock_pair", stdout: "stream pair: errno 0, distinct 1\n" +
		"send \"ping\": errno 0, 4 bytes\n" +
		"recv: errno 0, 4 bytes \"ping\"\n" +
		"send \"pong\": errno 0, 4 bytes\n" +
		"recv: errno 0, 4 bytes \"pong\"\n" +
		"datagram pair: errno 0\n" +
		"send \"first\": errno 0, 5 bytes\n" +
		"send \"second\": errno 0, 6 bytes\n" +
		"recv: errno 0, 5 bytes \"first\"\n" +
		"recv: errno 0, 3 bytes \"sec\"\n"},
	{name: "sock_policy", prog: "sock_policy", loopback: true,
		stdout: "connect 10.1.2.3:80: errno 2\n" +
			"bind 0.0.0.0:0: errno 2\n" +
			"listen without a bind: errno 2\n" +
			"send_to 192.0.2.1:53: errno 2, sent 99\n" +
			"resolve localhost: errno 2\n" +
			"connect 127.0.0.1:1 (allowed, nobody listens): refused by the policy 0\n"},
}

// The parts of the epoll program's output that do not depend on its
// argument.
const (
	epollStart = "epoll_create: errno 0\n" +
		"add pipe1: errno 0\n" +
		"add pipe2: errno 0\n" +
		"add event: errno 0\n" +
		"add pipe1 again: errno 20\n" +
		"nothing ready: errno 0, 0 events\n"
	epollRounds = "round 1: pipe2=hello event=5\n" +
		"round 2: pipe1=one\n" +
		"round 3: pipe1=a pipe2=b event=2\n" +
		"del event: errno 0\n" +
		"del event again: errno 44\n" +
		"event written after del: errno 0, 0 events\n"
	epollEnd = "after closing pipe1: errno 0, 0 events\n" +
		"ctl on a pipe: errno 28\n" +
		"ctl on a closed number: errno 8\n" +
		"close epoll: errno 0\n"
)

// newRuntime returns a runtime with the features WASIX programs use
// (WebAssembly 3.0 and threads, kiln run's default).
func newRuntime() *kiln.Runtime {
	return kiln.NewRuntime(kiln.RuntimeConfig{Features: wasm.Features3 | wasm.FeatureThreads})
}

// runOnKiln runs p in-process: the guest's / is a fresh host directory
// holding workspace/ with p's files.
func runOnKiln(t *testing.T, p program) (code uint32, stdout, stderr string) {
	t.Helper()
	bin, err := os.ReadFile(filepath.Join("testdata", p.prog+".wasm"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for name, content := range p.files {
		path := filepath.Join(root, "workspace", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range p.wasm {
		bin, err := os.ReadFile(filepath.Join("testdata", name+".wasm"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(root, "workspace"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "workspace", name+".wasm"), bin, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	rt := newRuntime()
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatalf("%s: %v", p.prog, err)
	}
	var out, errOut bytes.Buffer
	code, err = wasix.Run(ctx, rt, cm, wasi.Config{
		Args:   append([]string{p.prog + ".wasm"}, p.args...),
		Stdout: &out, Stderr: &errOut,
		Mounts: []wasi.Mount{{HostDir: root, GuestPath: "/"}},
		Limits: p.limits,
		Audit:  p.audit,
		Policy: programPolicy(t, p),
	})
	if err != nil {
		t.Fatalf("%s: %v (stdout %q, stderr %q)", p.name, err, out.String(), errOut.String())
	}
	return code, out.String(), errOut.String()
}

// programPolicy is the sandbox policy p runs under on kiln.
func programPolicy(t testing.TB, p program) *sandbox.Policy {
	pol := &sandbox.Policy{Spawn: sandbox.SpawnPolicy{Allow: p.spawn}}
	if p.loopback {
		pol.Network = netPolicy(t, false).Network
	}
	return pol
}

// netPolicy allows connecting to and binding 127.0.0.1 and [::1] (any
// port) and, when resolve is set, name resolution.
func netPolicy(t testing.TB, resolve bool, extra ...string) *sandbox.Policy {
	t.Helper()
	p := &sandbox.Policy{}
	p.Network.Resolve = resolve
	for _, s := range append([]string{"127.0.0.1:*", "[::1]:*"}, extra...) {
		r, err := sandbox.ParseNetRule(s)
		if err != nil {
			t.Fatal(err)
		}
		p.Network.Connect = append(p.Network.Connect, r)
		p.Network.Bind = append(p.Network.Bind, r)
	}
	return p
}

// TestPrograms runs every WASIX test program on kiln.
func TestPrograms(t *testing.T) {
	for _, p := range programs {
		t.Run(p.name, func(t *testing.T) {
			code, out, errOut := runOnKiln(t, p)
			if code != p.code || out != p.stdout {
				t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant exit %d, stdout:\n%s", code, errOut, out, p.code, p.stdout)
			}
		})
	}
}

// TestFutexCounterRepeated runs the 8-thread futex counter several times:
// a lost wake-up or a lock that lets two threads in shows up as a hang or
// a wrong total.
func TestFutexCounterRepeated(t *testing.T) {
	n := 5
	if testing.Short() {
		n = 1
	}
	for i := 0; i < n; i++ {
		_, out, _ := runOnKiln(t, programs[0])
		if !strings.Contains(out, "total 160000 ") {
			t.Fatalf("run %d: %q", i, out)
		}
	}
}
