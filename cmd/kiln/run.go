package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasix"
	"github.com/kilnrt/kiln/wasm"
)

func init() {
	register(command{
		name:    "run",
		summary: "run a WASI program or call one of a module's exports",
		run: func(args []string, stdout, stderr io.Writer) int {
			return runRun(args, os.Stdin, stdout, stderr)
		},
	})
}

// Exit codes of kiln run besides the guest's own proc_exit code (0-255).
const (
	// exitError: the module could not be read, compiled, linked or
	// instantiated, or a preopened directory does not exist.
	exitError = 1
	// exitTimeout: --timeout elapsed (the code timeout(1) uses).
	exitTimeout = 124
	// exitInterrupted: interrupted by SIGINT (128+2, as a shell reports).
	exitInterrupted = 130
	// exitTrap: the guest trapped (128+SIGABRT, as a native abort).
	exitTrap = 134
	// exitFuel: --fuel or --max-cpu-time ran out (128+SIGXCPU, CPU
	// limit exceeded).
	exitFuel = 152
)

const runUsage = `usage: kiln run [FLAGS] MODULE.wasm [--] [ARGS...]

Runs a WASI command (its _start export) with ARGS as its arguments, or
with --invoke calls one export with ARGS as its parameters and prints
the results, one per line. MODULE may be binary or text (.wat).
The guest's argv[0] is the module's base name (prog.wasm for
./build/prog.wasm), then ARGS. kiln flags go before MODULE: everything
after it belongs to the guest (kiln warns when a guest argument is a
kiln flag; write -- after MODULE to pass such arguments on purpose). A
module without _start (a reactor) is only instantiated: kiln says so and
lists its exports. --stub-imports runs a module whose imports are
missing, for exploration: a missing function traps with its name.

The guest sees only what the flags (and a --policy file) grant: no files
without --dir, no environment without --env/--env-inherit, no network
without --allow-connect/--allow-bind/--allow-listen (or the listeners of
--tcplisten, descriptors after the preopened directories), no name
resolution without --allow-resolve, no process creation without
--allow-spawn (WASIX guests; --allow-program restricts it to listed
guest paths, --max-procs caps the live processes). A refused
operation is an error number the guest sees (EPERM or EROFS for files,
EACCES for the network); so is a quota: EMFILE at --max-fds or
--max-sockets, EDQUOT at --max-file-write, --max-net-send or
--max-net-recv (a transfer that only partly fits is shortened) and
once the guest has created --max-file-entries files, directories and
links (default 10000), -1 from
memory.grow once all the guest's memories together reach --max-memory
(table elements count 16 bytes each against it too), and from
table.grow once all its tables reach --max-table-elements. At exit, kiln
prints one line on stderr naming every quota the guest reached.
--fuel is one budget for the whole run: instantiation (a start
function), _start, or with --invoke _initialize and the export together.

Threaded programs (wasi-threads: an imported shared memory and
wasi.thread-spawn) run without a flag: kiln run enables WebAssembly 3.0
plus threads, creates the memory the module imports, and ends every
thread when one calls proc_exit or traps; --max-threads caps the live
threads (EAGAIN beyond). WASIX programs (imports from wasix_32v1 or
wasix_64v1) run the same way; docs/wasix.md lists what kiln implements.

A policy file is JSON (see the sandbox package documentation):
  {"mounts": [{"host": "/srv/site", "guest": "/www", "read_only": true}],
   "env": ["LANG=C.UTF-8"],
   "network": {"connect": ["tcp:127.0.0.1:5432"], "bind": ["tcp:127.0.0.1:0"],
               "resolve": false}}
Flags add to it. Rules are [tcp:|udp:]ADDR[/BITS]:PORT[-PORT] ("*" for
any address or port); --allow-listen is TCP only.

Exit status:
  0-255  the guest's exit code (proc_exit; 0 when _start returns;
         codes above 255 are reported as 1)
  1      the module could not be loaded, verified (--trusted-key),
         linked or instantiated
  2      command-line mistake
  124    --timeout elapsed
  130    interrupted (SIGINT)
  134    the guest trapped (message and wasm backtrace on stderr)
  141    the guest wrote again to a standard output or error whose
         reader had gone, after EPIPE (as a native program killed by
         SIGPIPE, so 'kiln run ... | head' ends as the native tool does)
  152    --fuel or --max-cpu-time ran out

flags:`

// perfMapEnv names the environment variable that turns --perf-map on
// by default ("1"), for runs whose command line is not at hand (a
// program launched by a script under perf record).
const perfMapEnv = "KILN_PERFMAP"

// defaultMaxTableElements is --max-table-elements when not given: the
// tables of ordinary programs hold thousands of functions, and a million
// elements is 16 MiB of host memory.
const defaultMaxTableElements = 1_000_000

// defaultMaxThreads is --max-threads when not given: room for thread
// pools, while a spawn bomb stops at a few tens of MiB of host memory
// (each thread is a goroutine, an instance and an interpreter stack).
const defaultMaxThreads = 256

// defaultMaxFileEntries is --max-file-entries when not given: enough for
// ordinary programs, while a mkdir loop stops after about 40 MB of
// directories.
const defaultMaxFileEntries = 10_000

// runFeatures is kiln run's default feature set: WebAssembly 3.0 plus
// threads, so that threaded (wasi-threads) and WASIX programs, which
// import a shared memory, run without a flag.
const runFeatures = kiln.DefaultFeatures | wasm.FeatureThreads

// runOptions are the parsed command line of kiln run.
type runOptions struct {
	dirs       []sandbox.Mount
	env        []string
	envInherit bool
	policy     string
	connect    []sandbox.NetRule
	bind       []sandbox.NetRule
	resolve    bool
	spawn      bool
	programs   []string
	invoke     string
	fuel       uint64
	maxModule  uint64 // --max-module-size in bytes (0: defaultMaxModuleBytes)
	maxPages   uint32
	maxStack   uint64
	maxFDs     uint64
	limits     sandbox.Limits // sockets, byte quotas, fuel and memory
	audit      string
	auditMax   uint64 // --audit-max-size in bytes (0: unlimited)
	keys       fileList
	sig        string
	requireSig optionalBool
	listen     []string
	timeout    stringDuration
	engine     string
	cache      string // compilation cache directory, or ""
	profile    string // --profile FILE, or ""
	perfMap    bool   // --perf-map
	trace      string // --trace FILE|-, or ""
	traceOnly  string // --trace-filter groups
	enable     string
	stub       bool
	module     string
	args       []string
}

func runRun(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, code := parseRunFlags(args, stderr)
	if code >= 0 {
		return code
	}
	return execute(opts, stdin, stdout, stderr)
}

// parseRunFlags parses the command line; code is -1 on success, else the
// exit code to return (usage errors, -h).
func parseRunFlags(args []string, stderr io.Writer) (*runOptions, int) {
	o := &runOptions{}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(dirFlag{&o.dirs}, "dir", "preopen host directory `HOST[::GUEST][:ro|:rw]` (GUEST defaults to HOST; :ro refuses writes); repeatable")
	fs.Var(envFlag{&o.env}, "env", "set guest environment variable `KEY=VALUE`; repeatable")
	fs.BoolVar(&o.envInherit, "env-inherit", false, "pass kiln's own environment to the guest (--env entries override it)")
	fs.StringVar(&o.invoke, "invoke", "", "call export `NAME` with ARGS as parameters instead of _start, and print its results")
	fs.Var(uintFlag{&o.fuel}, "fuel", "fuel budget `N` for the whole run (function entries and loop iterations; 0 = unlimited)")
	fs.Var(sizeFlag{&o.maxPages}, "max-memory", "cap the guest's linear memories at `SIZE` bytes in total, whole 64 KiB pages (suffixes K, M, G, KiB, MiB, GiB)")
	fs.Var(byteFlag{&o.maxStack}, "max-stack", "cap the guest's frame stack at `SIZE` bytes (call records and values, host re-entry included; suffixes K, M, G; default 256M, about two million small frames)")
	o.limits.TableElements = defaultMaxTableElements
	fs.Var(uintFlag{&o.limits.TableElements}, "max-table-elements", "cap the elements of all the guest's tables at `N` in total (0 = unlimited; each also counts 16 bytes against --max-memory)")
	fs.Var(byteFlag{&o.maxModule}, "max-module-size", "refuse module files larger than `SIZE` (default 1G)")
	fs.Var(uintFlag{&o.maxFDs}, "max-fds", "limit open descriptors to `N` (0 = the kernel's default)")
	fs.StringVar(&o.policy, "policy", "", "grant what the JSON policy `FILE` lists (mounts, env, network); flags add to it")
	fs.Var(ruleFlag{&o.connect, sandbox.ParseNetRule}, "allow-connect", "allow connecting (and UDP send/receive) to `[tcp:|udp:]ADDR:PORTS`; repeatable")
	fs.Var(ruleFlag{&o.bind, sandbox.ParseNetRule}, "allow-bind", "allow binding `[tcp:|udp:]ADDR:PORTS` (TCP: and listening there); repeatable")
	fs.Var(ruleFlag{&o.bind, sandbox.ParseListenRule}, "allow-listen", "allow TCP bind and listen on `ADDR:PORTS` (port 0: an ephemeral port); repeatable")
	fs.BoolVar(&o.resolve, "allow-resolve", false, "allow host name resolution")
	fs.BoolVar(&o.spawn, "allow-spawn", false, "allow the guest (WASIX) to start processes: programs it names in its file system")
	fs.Func("allow-program", "restrict process creation to the program at guest `PATH` (repeatable; implies --allow-spawn)", func(v string) error {
		o.programs = append(o.programs, v)
		return nil
	})
	fs.Var(uintFlag{&o.limits.Processes}, "max-procs", "limit the guest's live processes to `N` (spawn fails with EAGAIN beyond; 0 = unlimited)")
	o.limits.Threads = defaultMaxThreads
	fs.Var(uintFlag{&o.limits.Threads}, "max-threads", "limit live guest threads to `N`, the main thread included (thread spawn fails with EAGAIN beyond; default 256, 0 = unlimited)")
	fs.Var(uintFlag{&o.limits.Sockets}, "max-sockets", "limit open sockets to `N` (EMFILE beyond; 0 = unlimited)")
	fs.Var(byteFlag{&o.limits.FileWriteBytes}, "max-file-write", "limit bytes written to files to `SIZE` (EDQUOT beyond)")
	o.limits.FileEntries = defaultMaxFileEntries
	fs.Var(uintFlag{&o.limits.FileEntries}, "max-file-entries", "limit the files, directories and links the guest creates to `N` (EDQUOT beyond; default 10000, 0 = unlimited)")
	fs.Var(byteFlag{&o.limits.NetSendBytes}, "max-net-send", "limit bytes sent on sockets to `SIZE` (EDQUOT beyond)")
	fs.Var(byteFlag{&o.limits.NetRecvBytes}, "max-net-recv", "limit bytes received on sockets to `SIZE` (EDQUOT beyond)")
	fs.Var(&o.keys, "trusted-key", "require a valid signature by the public key in `FILE` (repeatable: any one suffices)")
	fs.Var(&o.requireSig, "require-signature", "refuse modules without a valid signature by a --trusted-key (default: true with --trusted-key; =false runs unsigned modules but still rejects a signed one that does not verify)")
	fs.StringVar(&o.sig, "sig", "", "detached signature `FILE` for --trusted-key (default: the module's embedded signature)")
	fs.Func("tcplisten", "give the guest a TCP listener on `ADDR` (host:port) as a preopened socket; repeatable", func(v string) error {
		o.listen = append(o.listen, v)
		return nil
	})
	fs.StringVar(&o.audit, "audit", "", "append a JSON audit record of every sensitive operation to `FILE` (\"-\" = stderr); records of one kind beyond 100 at once and 10 a second are counted, not written")
	o.auditMax = defaultAuditMaxBytes
	fs.Var(byteFlag{&o.auditMax}, "audit-max-size", "stop writing --audit records after `SIZE` bytes (default 64M; 0 = unlimited)")
	fs.DurationVar(&o.limits.CPUTime, "max-cpu-time", 0, "end the guest's process tree once its threads have used `DURATION` of CPU time in total (Linux; 0 = unlimited)")
	fs.Var(&o.timeout, "timeout", "stop the guest after `DURATION` (e.g. 10s, 1m30s)")
	fs.StringVar(&o.engine, "engine", engines[0].name, "execution engine `NAME` ("+engineNames()+")")
	fs.StringVar(&o.trace, "trace", "", "print every WASI call with its arguments, result and errno, strace-style, to `FILE` (\"-\" = stderr)")
	fs.StringVar(&o.traceOnly, "trace-filter", "", "trace only the calls of these `GROUPS` (comma-separated: files, network, processes, time, random, env, other)")
	fs.StringVar(&o.profile, "profile", "", "write a CPU profile of the guest's wasm functions to `FILE` in pprof format (go tool pprof -top FILE)")
	fs.BoolVar(&o.perfMap, "perf-map", os.Getenv(perfMapEnv) == "1", "name the JIT's code for Linux perf in /tmp/perf-PID.map (--engine jit or auto; default true when $"+perfMapEnv+" is 1)")
	fs.StringVar(&o.cache, "cache", os.Getenv(cacheEnv), "keep compiled modules in the compilation cache `DIR` (default $"+cacheEnv+"; none when unset); with --engine auto, a run that lasts long enough also leaves the JIT's machine code there for the next")
	fs.StringVar(&o.enable, "enable", "", featuresHelp+"; kiln run starts from 3.0 plus threads")
	fs.BoolVar(&o.stub, "stub-imports", false, "run even when imports are missing, to explore a module: a missing function traps with its name when called; a missing memory, table or global is a fresh one of its type")
	if code, ok := parseFlags(fs, args, runUsage, stderr); !ok {
		return nil, code
	}
	hint := func() { fmt.Fprintln(stderr, "run 'kiln run -h' for usage") }
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "kiln run: missing MODULE.wasm")
		hint()
		return nil, exitUsage
	}
	o.module = fs.Arg(0)
	o.args = fs.Args()[1:]
	warnGuestFlags(stderr, fs, o.module, o.args)
	if len(o.args) > 0 && o.args[0] == "--" {
		o.args = o.args[1:]
	}
	if _, err := lookupEngine(o.engine); err != nil {
		fmt.Fprintf(stderr, "kiln run: --engine: %v\n", err)
		return nil, exitUsage
	}
	if _, err := parseFeaturesFrom(runFeatures, o.enable); err != nil {
		fmt.Fprintf(stderr, "kiln run: --enable: %v\n", err)
		return nil, exitUsage
	}
	if o.traceOnly != "" {
		if o.trace == "" {
			fmt.Fprintln(stderr, "kiln run: --trace-filter needs --trace FILE (or - for stderr)")
			return nil, exitUsage
		}
		if _, err := wasi.ParseTraceGroups(o.traceOnly); err != nil {
			fmt.Fprintf(stderr, "kiln run: --trace-filter: %v\n", err)
			return nil, exitUsage
		}
	}
	if o.requireSig.set && o.requireSig.v && len(o.keys) == 0 {
		fmt.Fprintln(stderr, "kiln run: --require-signature needs at least one --trusted-key")
		return nil, exitUsage
	}
	return o, -1
}

// execute loads and runs the module and maps the outcome to an exit code.
func execute(o *runOptions, stdin io.Reader, stdout, stderr io.Writer) int {
	// A broken standard output or error must not kill kiln (Go's default
	// for fds 1 and 2, see os/signal): the guest sees EPIPE, and writing
	// again ends the run with exit code 141, audited (kernel.SIGPIPE).
	signal.Ignore(syscall.SIGPIPE)
	ctx, sigs := interruptible()
	defer sigs.stop()
	if o.timeout.set {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout.d)
		defer cancel()
	}
	features, _ := parseFeaturesFrom(runFeatures, o.enable)
	// --fuel and --max-memory are totals for the whole guest, charged to
	// the process's account (sys.ModuleConfig); the per-memory page cap
	// only makes a memory whose minimum alone is too large fail early.
	rtc := kiln.RuntimeConfig{Features: features, MaxMemoryPages: o.maxPages, MaxStackBytes: int64(min(o.maxStack, 1<<62)), PerfMap: o.perfMap}
	eng, _ := lookupEngine(o.engine)
	eng.configure(&rtc)
	if o.profile != "" {
		p, finish, err := startProfile(o.profile, filepath.Base(o.module), stderr)
		if err != nil {
			fmt.Fprintf(stderr, "kiln run: --profile: %v\n", err)
			return exitError
		}
		defer finish()
		rtc.Profiler = p
	}
	o.limits.Fuel = o.fuel
	o.limits.MemoryBytes = uint64(o.maxPages) * 65536
	bin, err := readModule(o.module, int64(o.maxModule))
	if err != nil {
		fmt.Fprintf(stderr, "kiln run: %v\n", err)
		return exitError
	}
	if err := verifyModule(o, bin); err != nil {
		fmt.Fprintf(stderr, "kiln run: %s: %v\n", o.module, err)
		return exitError
	}
	if rtc.CompilationCache, err = useCache(o.cache, bin); err != nil {
		fmt.Fprintf(stderr, "kiln run: %v\n", err)
		return exitError
	}
	rtc.CacheMachineCode = true // under --engine auto; not waited for at exit
	rt := kiln.NewRuntime(rtc)
	cm, err := compileOrLoad(ctx, rt, o.module, bin, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "kiln run: %s: %s\n", o.module, describeError(err))
		return exitError
	}
	pol, err := buildPolicy(o)
	if err != nil {
		fmt.Fprintf(stderr, "kiln run: %v\n", err)
		return exitUsage
	}
	cfg := wasi.Config{
		Name:   o.module,
		Args:   append([]string{filepath.Base(o.module)}, o.args...),
		Stdin:  stdin,
		Stdout: stdout,
		Stderr: stderr,
		MaxFDs: int(min(o.maxFDs, 1<<20)),
		Policy: pol,
		Limits: o.limits,
	}
	if o.trace != "" {
		tr, c, err := openTrace(o.trace, o.traceOnly, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "kiln run: %v\n", err)
			return exitUsage
		}
		if c != nil {
			defer c.Close()
		}
		cfg.Trace = tr
	}
	for _, addr := range o.listen {
		f, err := listenFile(addr)
		if err != nil {
			fmt.Fprintf(stderr, "kiln run: --tcplisten: %v\n", err)
			return exitError
		}
		defer f.Close()
		cfg.Sockets = append(cfg.Sockets, f)
	}
	if o.audit != "" {
		w, c, err := openAudit(o.audit, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "kiln run: %v\n", err)
			return exitError
		}
		if c != nil {
			defer c.Close()
		}
		cfg.Audit = sandbox.NewJSONAuditorLimits(w, sandbox.AuditLimits{MaxBytes: int64(o.auditMax)})
		// Last of all: the counts of rate-limited and dropped records.
		defer cfg.Audit.Flush(context.WithoutCancel(ctx))
	}
	sys, err := wasi.New(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "kiln run: %v\n", err)
		return exitError
	}
	defer sys.Close()
	defer reportQuotas(stderr, sys.Quota())
	if wasix.Imports(cm.Module()) {
		// A WASIX program: serve wasix_32v1 and wasix_64v1 too, and
		// forward SIGINT and SIGTERM to its process tree.
		if err := wasix.Define(ctx, rt, sys); err != nil {
			fmt.Fprintf(stderr, "kiln run: %v\n", err)
			return exitError
		}
		defer wasix.Wait(sys)
		sigs.forwardTo(sys)
	}
	if o.stub {
		stubbed, err := stubImports(ctx, rt, sys, cm.Module())
		if err != nil {
			fmt.Fprintf(stderr, "kiln run: %s: %v\n", o.module, err)
			return exitError
		}
		if len(stubbed) > 0 {
			fmt.Fprintf(stderr, "kiln run: %s: stand-ins for %d missing imports: %s\n", o.module, len(stubbed), strings.Join(stubbed, ", "))
		}
	}
	if err := sys.Link(ctx, rt, cm); err != nil {
		fmt.Fprintf(stderr, "kiln run: %v\n", err)
		return exitError
	}
	// mctx also ends when a thread of the guest ends the process.
	mctx, stop := sys.Enter(ctx)
	defer stop()
	inst, err := rt.Instantiate(mctx, cm, sys.ModuleConfig())
	if err != nil {
		code := finish(ctx, o, sys, err, stderr, "instantiate")
		if errors.Is(err, kiln.ErrLink) && !o.stub {
			fmt.Fprintln(stderr, "kiln run: to explore the module anyway, --stub-imports stands in for missing imports (a missing function traps when called)")
		}
		return code
	}
	defer inst.Close(ctx)
	if o.invoke != "" {
		return invoke(mctx, o, sys, inst, stdout, stderr)
	}
	start := inst.Func(wasi.StartFunc)
	if start == nil {
		// A module without _start runs by instantiation alone (its
		// start function, if any).
		describeReactor(stderr, o.module, inst)
		return 0
	}
	if t := start.Type(); len(t.Params) != 0 || len(t.Results) != 0 {
		fmt.Fprintf(stderr, "kiln run: %s: %s has type %v, want [] -> []\n", o.module, wasi.StartFunc, t)
		return exitError
	}
	return finish(ctx, o, sys, sys.CallStart(mctx, inst), stderr, wasi.StartFunc)
}

// finish ends the guest process after its main thread's call returned
// err (wasi.System.Finish: returning from _start is exit(0), a thread's
// proc_exit or trap ends the process, every thread stops) and maps the
// outcome to kiln run's exit code.
func finish(ctx context.Context, o *runOptions, sys *wasi.System, err error, stderr io.Writer, what string) int {
	code, err := sys.Finish(err)
	if err != nil {
		return outcome(ctx, o, sys.Outcome(ctx, err), stderr, what)
	}
	if code > 255 {
		return 1
	}
	return int(code)
}

// buildPolicy merges the --policy file with the flags: mounts, the
// environment and network rules are added to the file's.
func buildPolicy(o *runOptions) (*sandbox.Policy, error) {
	pol := &sandbox.Policy{}
	if o.policy != "" {
		var err error
		if pol, err = sandbox.LoadPolicy(o.policy); err != nil {
			return nil, fmt.Errorf("--policy: %w", err)
		}
	}
	pol.Mounts = append(pol.Mounts, o.dirs...)
	env, err := guestEnv(o, pol.Env)
	if err != nil {
		return nil, err
	}
	pol.Env = env
	pol.Network.Connect = append(pol.Network.Connect, o.connect...)
	pol.Network.Bind = append(pol.Network.Bind, o.bind...)
	pol.Network.Resolve = pol.Network.Resolve || o.resolve
	pol.Spawn.Allow = pol.Spawn.Allow || o.spawn || len(o.programs) > 0
	pol.Spawn.Programs = append(pol.Spawn.Programs, o.programs...)
	if err := pol.Validate(); err != nil {
		return nil, err
	}
	return pol, nil
}

// guestEnv builds the guest environment: kiln's own with --env-inherit,
// then the policy file's, then the --env entries, a later entry replacing
// an earlier one.
func guestEnv(o *runOptions, policyEnv []string) ([]string, error) {
	var list []string
	if o.envInherit {
		list = append(list, os.Environ()...)
	}
	list = append(list, policyEnv...)
	list = append(list, o.env...)
	index := map[string]int{}
	var out []string
	for _, kv := range list {
		k, _, ok := strings.Cut(kv, "=")
		if !ok {
			continue // inherited oddities without '='
		}
		if strings.IndexByte(kv, 0) >= 0 {
			return nil, fmt.Errorf("environment entry %q contains NUL", k)
		}
		if i, dup := index[k]; dup {
			out[i] = kv
			continue
		}
		index[k] = len(out)
		out = append(out, kv)
	}
	return out, nil
}

// outcome maps the end of a run to an exit code, reporting failures on
// stderr.
func outcome(ctx context.Context, o *runOptions, err error, stderr io.Writer, what string) int {
	if err == nil {
		return 0
	}
	if code, ok := wasi.ExitCode(err); ok {
		if code > 255 {
			return 1
		}
		return int(code)
	}
	var trap *kiln.Trap
	switch {
	case errors.As(err, &trap):
		printTrap(stderr, o.module, trap)
		return exitTrap
	case errors.Is(err, kiln.ErrFuelExhausted):
		fmt.Fprintf(stderr, "kiln run: %s: fuel exhausted (--fuel %d)\n", o.module, o.fuel)
		return exitFuel
	case isCPUQuota(err):
		fmt.Fprintf(stderr, "kiln run: %s: CPU time limit exceeded (--max-cpu-time %v)\n", o.module, o.limits.CPUTime)
		return exitFuel
	case errors.Is(err, context.DeadlineExceeded) && o.timeout.set && ctx.Err() != nil:
		fmt.Fprintf(stderr, "kiln run: %s: timed out after %v\n", o.module, o.timeout.d)
		return exitTimeout
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		fmt.Fprintf(stderr, "kiln run: %s: interrupted\n", o.module)
		return exitInterrupted
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, what+": ") { // kiln's own errors may say it already
		msg = what + ": " + msg
	}
	fmt.Fprintf(stderr, "kiln run: %s: %s\n", o.module, msg)
	return exitError
}

// isCPUQuota reports whether err is the end of a run at its CPU-time
// quota.
func isCPUQuota(err error) bool {
	var q *sandbox.QuotaExceeded
	return errors.As(err, &q) && q.Resource == sandbox.ResCPUTime
}

// printTrap writes the trap message and its wasm backtrace, innermost
// frame first, at most kiln.BacktraceFrames of them.
func printTrap(w io.Writer, module string, t *kiln.Trap) {
	fmt.Fprintf(w, "kiln run: %s: %v\n", module, t)
	if len(t.Frames) == 0 {
		return
	}
	fmt.Fprintln(w, "wasm backtrace:")
	t.WriteBacktrace(w, kiln.BacktraceFrames)
}
