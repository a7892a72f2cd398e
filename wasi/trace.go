package wasi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/kilnrt/kiln/kernel"
)

// TraceGroups selects the calls a Tracer prints, by what they act on.
type TraceGroups uint8

// Trace groups. A function belongs to one, by its name: fd_* and path_*
// are files; sock_*, addr_*, port_*, resolve and getaddrinfo the network;
// proc_*, thread_*, futex_*, getpid, tty_* processes; clock_*,
// poll_oneoff and sched_yield time; random_get random; args_*,
// environ_* and chdir/getcwd the environment; anything else other.
const (
	TraceFiles TraceGroups = 1 << iota
	TraceNetwork
	TraceProcesses
	TraceTime
	TraceRandom
	TraceEnv
	TraceOther
	TraceAll = TraceFiles | TraceNetwork | TraceProcesses | TraceTime | TraceRandom | TraceEnv | TraceOther
)

var traceGroupNames = []struct {
	name string
	g    TraceGroups
}{
	{"files", TraceFiles}, {"network", TraceNetwork}, {"processes", TraceProcesses},
	{"time", TraceTime}, {"random", TraceRandom}, {"env", TraceEnv}, {"other", TraceOther},
	{"all", TraceAll},
}

// ParseTraceGroups parses a comma-separated list of group names (files,
// network, processes, time, random, env, other, all).
func ParseTraceGroups(list string) (TraceGroups, error) {
	var g TraceGroups
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		found := false
		for _, n := range traceGroupNames {
			if n.name == name {
				g, found = g|n.g, true
			}
		}
		if !found {
			names := make([]string, len(traceGroupNames))
			for i, n := range traceGroupNames {
				names[i] = n.name
			}
			return 0, fmt.Errorf("unknown trace group %q (groups: %s)", name, strings.Join(names, ", "))
		}
	}
	return g, nil
}

// traceGroup returns the group of the function called name.
func traceGroup(name string) TraceGroups {
	has := func(prefixes ...string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
		return false
	}
	switch {
	case has("fd_", "path_"):
		return TraceFiles
	case has("sock_", "addr_", "port_", "resolve", "getaddrinfo", "http_", "ws_"):
		return TraceNetwork
	case has("proc_", "thread_", "futex_", "getpid", "tty_", "callback_", "stack_", "call_dynamic"):
		return TraceProcesses
	case has("clock_", "poll_oneoff", "sched_yield", "epoll_"):
		return TraceTime
	case has("random_"):
		return TraceRandom
	case has("args_", "environ_", "chdir", "getcwd"):
		return TraceEnv
	}
	return TraceOther
}

// A Tracer writes one line for each WASI call of the processes whose
// Config.Trace it is, in the style of strace: the function, its decoded
// arguments, and its result errno (or how the call ended the thread or
// process), with the values it returned through pointers:
//
//	path_open(3, 0x1, "data/in.txt", 0x0, 0x1fffffff, 0x1fffffff, 0x0, [5]) = 0
//	path_open(3, 0x1, "missing", 0x0, 0x1fffffff, 0x1fffffff, 0x0, [0]) = 44 ENOENT
//	fd_write(1, "hello\n", [6]) = 0
//	proc_exit(0) = ? <exit 0>
//
// Lines of threads other than the main one start with [tid N]. It is
// called in the single dispatch path every WASI and WASIX function goes
// through, so it sees every call exactly once; without a Tracer the path
// does nothing more.
type Tracer struct {
	groups TraceGroups
	mu     sync.Mutex
	w      io.Writer
	err    error
}

// NewTracer returns a tracer writing to w the calls of the given groups
// (0 means TraceAll).
func NewTracer(w io.Writer, groups TraceGroups) *Tracer {
	if groups == 0 {
		groups = TraceAll
	}
	return &Tracer{w: w, groups: groups}
}

// Err returns the first error writing to the tracer's writer.
func (tr *Tracer) Err() error {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.err
}

// traceArgs spells the arguments of the preview 1 functions, one letter
// per argument (s, w, r and S take a pointer and a length):
//
//	d  decimal    x  hex flags or rights    p  pointer
//	s  string (pointer, length)             S  string written by the call
//	w  bytes written: iovecs (pointer, count), shown as data
//	r  iovecs to read into (pointer, count), shown as their count
//	o  u32 the call stores (shown [value] after the call)
//	O  u64 the call stores
//
// Functions not listed (WASIX) show their arguments by type.
var traceArgs = map[string]string{
	"args_get": "pp", "args_sizes_get": "oo", "environ_get": "pp", "environ_sizes_get": "oo",
	"clock_res_get": "dO", "clock_time_get": "ddO",
	"fd_advise": "dddd", "fd_allocate": "ddd", "fd_close": "d", "fd_datasync": "d",
	"fd_fdstat_get": "dp", "fd_fdstat_set_flags": "dx", "fd_fdstat_set_rights": "dxx",
	"fd_filestat_get": "dp", "fd_filestat_set_size": "dd", "fd_filestat_set_times": "dddx",
	"fd_pread": "drdo", "fd_prestat_get": "dp", "fd_prestat_dir_name": "dS", "fd_pwrite": "dwdo",
	"fd_read": "dro", "fd_readdir": "dpddo", "fd_renumber": "dd", "fd_seek": "dddO",
	"fd_sync": "d", "fd_tell": "dO", "fd_write": "dwo",
	"path_create_directory": "ds", "path_filestat_get": "dxsp", "path_filestat_set_times": "dxsddx",
	"path_link": "dxsds", "path_open": "dxsxxxxo", "path_readlink": "dspdo",
	"path_remove_directory": "ds", "path_rename": "dsds", "path_symlink": "sds", "path_unlink_file": "ds",
	"poll_oneoff": "ppdo", "proc_exit": "d", "proc_raise": "d", "sched_yield": "", "random_get": "pd",
	"sock_accept": "dxo", "sock_recv": "drxoo", "sock_send": "dwxo", "sock_shutdown": "dx",
}

// pairKinds take two parameters.
const pairKinds = "swrS"

// traceString is how many bytes of a string or buffer a line shows.
const traceString = 64

// call runs f through the dispatch path, writing its trace line.
func (tr *Tracer) call(ctx context.Context, f *Function, t *Thread, m Mem, stack []uint64) error {
	args := append([]uint64(nil), stack[:len(f.Params)]...)
	spec, ok := traceArgs[f.Name]
	if !ok || !specFits(spec, len(args)) {
		spec = ""
		for _, c := range f.Params {
			if c == 'p' {
				spec += "p"
			} else {
				spec += "d"
			}
		}
	}
	var b strings.Builder
	if t != nil && t.ID() != 1 {
		fmt.Fprintf(&b, "[tid %d] ", t.ID())
	}
	b.WriteString(f.Name)
	b.WriteByte('(')
	var before strings.Builder
	outs := tr.formatArgs(&before, spec, f.Params, m, args, false)
	err := f.run(ctx, t, m, stack)
	// Values the call stored: the output arguments, now.
	var after strings.Builder
	tr.formatArgs(&after, spec, f.Params, m, args, true)
	b.WriteString(mergeOuts(outs, after.String()))
	b.WriteString(") = ")
	var exit *ExitError
	switch {
	case errors.As(err, &exit):
		fmt.Fprintf(&b, "? <exit %d>", exit.Code)
	case errors.Is(err, ErrThreadExit):
		b.WriteString("? <thread exit>")
	case err != nil:
		fmt.Fprintf(&b, "? <%v>", err)
	case f.NoResult:
		b.WriteString("?")
	default:
		if e := kernel.Errno(stack[0]); e == kernel.ESUCCESS {
			b.WriteString("0")
		} else {
			fmt.Fprintf(&b, "%d E%s", uint16(e), strings.ToUpper(e.String()))
		}
	}
	b.WriteByte('\n')
	tr.mu.Lock()
	if tr.err == nil {
		_, tr.err = io.WriteString(tr.w, b.String())
	}
	tr.mu.Unlock()
	return err
}

// specFits reports whether spec takes n parameters.
func specFits(spec string, n int) bool {
	for _, c := range spec {
		n--
		if strings.ContainsRune(pairKinds, c) {
			n--
		}
	}
	return n == 0
}

// outMark stands for an output argument in the line before the call; the
// pass after the call fills it in.
const outMark = "\x00"

// formatArgs writes the arguments by spec. Before the call (after false)
// outputs are written as outMark; after it, only outputs are written, one
// per line, for mergeOuts.
func (tr *Tracer) formatArgs(b *strings.Builder, spec, params string, m Mem, a []uint64, after bool) string {
	i := 0
	for n, c := range spec {
		if n > 0 && !after {
			b.WriteString(", ")
		}
		v := a[i]
		typ := byte('i')
		if i < len(params) {
			typ = params[i]
		}
		var v2 uint64
		if strings.ContainsRune(pairKinds, c) && i+1 < len(a) {
			v2 = a[i+1]
			i++
		}
		i++
		switch {
		case after && c == 'o':
			if x, e := m.U32(v); e == kernel.ESUCCESS {
				fmt.Fprintf(b, "[%d]\n", x)
			} else {
				fmt.Fprintf(b, "%#x\n", v)
			}
		case after && c == 'O':
			if x, e := m.U64(v); e == kernel.ESUCCESS {
				fmt.Fprintf(b, "[%d]\n", x)
			} else {
				fmt.Fprintf(b, "%#x\n", v)
			}
		case after && c == 'S':
			b.WriteString(quoteGuest(m, v, v2))
			b.WriteByte('\n')
		case after:
		case c == 'o' || c == 'O' || c == 'S':
			b.WriteString(outMark)
		case c == 'd' && typ == 'I':
			b.WriteString(strconv.FormatInt(int64(v), 10))
		case c == 'd':
			b.WriteString(strconv.FormatUint(v, 10))
		case c == 'x' || c == 'p':
			fmt.Fprintf(b, "%#x", v)
		case c == 's':
			b.WriteString(quoteGuest(m, v, v2))
		case c == 'w':
			b.WriteString(quoteIovecs(m, v, v2))
		case c == 'r':
			fmt.Fprintf(b, "[%d iovecs]", v2)
		}
	}
	return b.String()
}

// mergeOuts replaces each outMark of before with the next line of after.
func mergeOuts(before, after string) string {
	lines := strings.Split(strings.TrimSuffix(after, "\n"), "\n")
	var b strings.Builder
	for _, part := range strings.SplitAfter(before, outMark) {
		if strings.HasSuffix(part, outMark) {
			b.WriteString(strings.TrimSuffix(part, outMark))
			if len(lines) > 0 {
				b.WriteString(lines[0])
				lines = lines[1:]
			}
			continue
		}
		b.WriteString(part)
	}
	return b.String()
}

// quoteGuest quotes up to traceString bytes of guest memory.
func quoteGuest(m Mem, ptr, n uint64) string {
	shown := min(n, traceString)
	buf, e := m.Bytes(ptr, shown)
	if e != kernel.ESUCCESS {
		return fmt.Sprintf("%#x", ptr)
	}
	s := strconv.Quote(string(buf))
	if shown < n {
		s += "..."
	}
	return s
}

// quoteIovecs quotes the start of the data an iovec array names.
func quoteIovecs(m Mem, ptr, n uint64) string {
	bufs, e := m.Iovecs(ptr, n)
	if e != kernel.ESUCCESS {
		return fmt.Sprintf("%#x", ptr)
	}
	var data []byte
	total := 0
	for _, buf := range bufs {
		total += len(buf)
		if room := traceString - len(data); room > 0 {
			data = append(data, buf[:min(len(buf), room)]...)
		}
	}
	s := strconv.Quote(string(data))
	if total > len(data) {
		s += "..."
	}
	return s
}
