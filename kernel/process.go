package kernel

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// Config describes a guest process. Everything not given is absent: no
// mounts means no files, no NetPolicy means no network.
type Config struct {
	// Name identifies the program in audit records.
	Name string
	// Args are the program arguments (Args[0] is the program name by
	// convention). Env holds "KEY=value" strings.
	Args []string
	Env  []string
	// Stdin, Stdout and Stderr back descriptors 0, 1 and 2. A value with
	// an Fd() uintptr method (such as *os.File) is used through a
	// duplicate of its host descriptor; any other reader or writer through
	// a vfs.Stream. Nil leaves the descriptor reading EOF / discarding.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Mounts are preopened in order from descriptor 3.
	Mounts *vfs.MountTable
	// Cwd is the initial guest working directory ("/" when empty).
	Cwd string
	// MaxFDs limits open descriptors (DefaultMaxFDs when zero).
	MaxFDs int
	// Random is the source of random_get (crypto/rand when nil).
	Random io.Reader
	// Sandbox hooks, all optional.
	Auditor    Auditor
	FilePolicy FilePolicy
	NetPolicy  NetPolicy
	// SpawnPolicy decides which programs the process may start or exec
	// (nil: none, EPERM).
	SpawnPolicy SpawnPolicy
	// Quota is charged for what the kernel controls: sockets
	// (sandbox.ResSockets), bytes written to files opened by the guest
	// (ResFileWrite) and bytes sent and received on sockets (ResNetSend,
	// ResNetRecv). Nil means no quotas beyond MaxFDs. A process tree
	// shares one Account. Processes (sandbox.ResProcesses) and threads
	// (ResThreads, the main thread included) are charged to it too.
	Quota *sandbox.Account
	// Table is the process table the process is listed in (a new one
	// when nil: the process is then PID 1 of its own tree). Parent is
	// the PID of the process that created it, 0 for none.
	Table  *ProcTable
	Parent PID

	// fds and mounts, set by ChildConfig, are the inherited descriptor
	// table (instead of standard I/O and preopens) and mounts.
	fds    *FDTable
	mounts []vfs.Mount
}

// Process is the kernel state of one guest process. Its methods are safe
// for concurrent use by the guest's threads.
type Process struct {
	ctx     context.Context
	name    string
	args    []string
	env     []string
	fds     *FDTable
	mounts  []vfs.Mount
	random  io.Reader
	auditor Auditor
	files   FilePolicy
	net     NetPolicy
	spawn   SpawnPolicy
	quota   *sandbox.Account
	start   time.Time
	// realtimeOffset is added to the host's realtime clock (WASIX
	// clock_time_set moves the process's clock, never the host's).
	realtimeOffset atomic.Int64
	// tty restores the terminal's modes that TTYSet changed.
	tty ttyRestore

	table   *ProcTable
	pid     PID
	parent  PID
	threads threads

	// life is cancelled by Exit, Terminate and Close (done is its Done
	// channel): blocking operations of other threads end with ECANCELED
	// and the ABI layer stops the threads still running guest code.
	life    context.Context
	endLife context.CancelFunc
	done    <-chan struct{}
	endOnce sync.Once

	mu       sync.Mutex // guards cwd, exitCode, exited, failure, signal, name, args, env
	cwd      string
	exitCode uint32
	exited   bool
	failure  error
	signal   uint8 // the signal that ended the process (Kill), 0 for none
}

// New creates a process: descriptors 0-2 for standard I/O and one
// preopened directory per mount from descriptor 3. On error nothing stays
// open.
func New(ctx context.Context, cfg Config) (p *Process, err error) {
	if cfg.fds != nil {
		defer func() {
			if err != nil {
				cfg.fds.CloseAll()
			}
		}()
	}
	if ctx == nil {
		ctx = context.Background()
	}
	for _, s := range append(append([]string(nil), cfg.Args...), cfg.Env...) {
		if strings.IndexByte(s, 0) >= 0 {
			return nil, fmt.Errorf("kernel: argument or environment string contains NUL: %q", s)
		}
	}
	for _, kv := range cfg.Env {
		if !strings.Contains(kv, "=") {
			return nil, fmt.Errorf("kernel: environment entry %q is not KEY=value", kv)
		}
	}
	p = &Process{
		ctx:     ctx,
		name:    cfg.Name,
		args:    append([]string(nil), cfg.Args...),
		env:     append([]string(nil), cfg.Env...),
		fds:     NewFDTable(cfg.MaxFDs),
		random:  cfg.Random,
		auditor: cfg.Auditor,
		files:   cfg.FilePolicy,
		net:     cfg.NetPolicy,
		spawn:   cfg.SpawnPolicy,
		quota:   cfg.Quota,
		start:   time.Now(),
		cwd:     "/",
		table:   cfg.Table,
		parent:  cfg.Parent,
	}
	p.life, p.endLife = context.WithCancel(context.Background())
	p.done = p.life.Done()
	if p.table == nil {
		p.table = NewProcTable()
	}
	if p.quota != nil {
		if err := p.quota.Acquire(sandbox.ResProcesses, 1); err != nil {
			return nil, fmt.Errorf("kernel: new process: %w", err)
		}
	}
	if err := p.newMainThread(); err != nil {
		p.quota.Release(sandbox.ResProcesses, 1)
		return nil, fmt.Errorf("kernel: new process: %w", err)
	}
	p.pid = p.table.add(p)
	if a, ok := p.auditor.(interface{ forProcess(PID, string) Auditor }); ok {
		p.auditor = a.forProcess(p.pid, p.name)
	}
	if cfg.Cwd != "" {
		if !strings.HasPrefix(cfg.Cwd, "/") {
			return nil, fmt.Errorf("kernel: working directory %q is not absolute", cfg.Cwd)
		}
		p.cwd = path.Clean(cfg.Cwd)
	}
	if p.random == nil {
		p.random = rand.Reader
	}
	if cfg.Mounts != nil {
		p.mounts = cfg.Mounts.Mounts()
	}
	if cfg.fds != nil {
		// A child: the inherited descriptors, preopens among them.
		p.fds, p.mounts = cfg.fds, cfg.mounts
		return p, nil
	}
	if err := p.openStdio(ctx, cfg); err != nil {
		p.Close()
		return nil, err
	}
	for _, m := range p.mounts {
		root, err := m.FS.OpenRoot()
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("kernel: preopen %q: %w", m.Path, err)
		}
		d := &Descriptor{Node: root, Type: vfs.TypeDirectory, Rights: RightsDir,
			Inheriting: RightsDir | RightsFile, Preopen: m.Path, GuestPath: m.Path, mounted: true}
		if _, e := p.insert(ctx, d); e != ESUCCESS {
			root.Close()
			p.Close()
			return nil, fmt.Errorf("kernel: preopen %q: %w", m.Path, e)
		}
	}
	return p, nil
}

// hostFder is implemented by *os.File and similar.
type hostFder interface{ Fd() uintptr }

func (p *Process) openStdio(ctx context.Context, cfg Config) error {
	streams := []struct {
		r io.Reader
		w io.Writer
	}{{r: cfg.Stdin}, {w: cfg.Stdout}, {w: cfg.Stderr}}
	for i, s := range streams {
		var v any
		if s.r != nil {
			v = s.r
		} else if s.w != nil {
			v = s.w
		}
		var f vfs.File
		if h, ok := v.(hostFder); ok {
			hf, err := vfs.NewHostFile(int(h.Fd()))
			switch {
			case err == nil:
				f = hf
			case !errors.Is(err, unix.ENOSYS): // ENOSYS: use a stream below
				return fmt.Errorf("kernel: standard descriptor %d: %w", i, err)
			}
		}
		if f == nil {
			f = vfs.NewStream(s.r, s.w)
			if i == 0 && s.r == nil {
				f = vfs.NewStream(strings.NewReader(""), nil)
			} else if i > 0 && s.w == nil {
				f = vfs.NewStream(nil, io.Discard)
			}
		}
		d := newFileDescriptor(f, RightsStream, fmt.Sprintf("<std%d>", i))
		if i > 0 {
			d.stream = &stdStream{}
		}
		if _, e := p.insert(ctx, d); e != ESUCCESS {
			f.Close()
			return fmt.Errorf("kernel: standard descriptor %d: %w", i, e)
		}
	}
	return nil
}

// newFileDescriptor builds a descriptor for a non-directory, with rights
// suited to its type, at most max.
func newFileDescriptor(f vfs.File, max Rights, guestPath string) *Descriptor {
	typ := vfs.TypeUnknown
	if st, err := f.Stat(); err == nil {
		typ = st.Type
	}
	rights := RightsStream
	switch typ {
	case vfs.TypeRegular, vfs.TypeBlockDevice:
		rights = RightsFile
	case vfs.TypeSocketStream, vfs.TypeSocketDgram:
		rights = RightsSocket
	}
	return &Descriptor{Node: f, Type: typ, Rights: rights & max, GuestPath: guestPath}
}

// Name returns the program name used in audit records.
func (p *Process) Name() string { return p.name }

// Args returns the program arguments (not to be modified).
func (p *Process) Args() []string { return p.args }

// Environ returns the environment as KEY=value strings (not to be modified).
func (p *Process) Environ() []string { return p.env }

// FDs returns the descriptor table, for embedders and WASIX extensions.
func (p *Process) FDs() *FDTable { return p.fds }

// Mounts returns the mounts the process was created with.
func (p *Process) Mounts() []vfs.Mount { return p.mounts }

// Context returns the process context (used for audit records).
func (p *Process) Context() context.Context { return p.ctx }

// PID returns the process's ID in its table.
func (p *Process) PID() PID { return p.pid }

// Parent returns the PID of the process's parent, 0 for none.
func (p *Process) Parent() PID { return p.parent }

// Table returns the process table the process is listed in.
func (p *Process) Table() *ProcTable { return p.table }

// Lifetime returns a context that is cancelled when the process ends
// (Exit, Terminate or Close): threads of the process run under it.
func (p *Process) Lifetime() context.Context { return p.life }

// Exit records the exit code and closes every descriptor. The ABI layer
// then unwinds the guest (proc_exit does not return) and stops its other
// threads. Only the first end (Exit or Terminate) counts.
func (p *Process) Exit(code uint32) {
	p.mu.Lock()
	if !p.exited && p.failure == nil {
		p.exitCode, p.exited = code, true
	}
	p.mu.Unlock()
	p.end()
}

// Terminate ends the process abnormally with err (a trap in one of its
// threads, for example): like Exit, but the status carries err instead
// of an exit code. Only the first end (Exit or Terminate) counts.
func (p *Process) Terminate(err error) {
	p.mu.Lock()
	if !p.exited && p.failure == nil {
		p.failure = err
	}
	p.mu.Unlock()
	p.end()
}

// end wakes blocked operations, stops the threads and closes every
// descriptor.
func (p *Process) end() {
	p.endLife()
	p.tty.run()
	p.fds.CloseAll()
	p.table.notify()
}

// ExitCode reports the code given to Exit and whether Exit was called.
func (p *Process) ExitCode() (uint32, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exitCode, p.exited
}

// ExitStatus is how a process ended.
type ExitStatus struct {
	// Code is the exit code given to Exit (0 after Close alone).
	Code uint32
	// Err is the error given to Terminate, nil after Exit or Close.
	Err error
	// Signal is the signal that ended the process (Kill), 0 for none;
	// Code is then 128+Signal.
	Signal uint8
}

// Status reports how the process ended and whether it has.
func (p *Process) Status() (ExitStatus, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return ExitStatus{Code: p.exitCode, Err: p.failure, Signal: p.signal}, p.closed()
}

// Close ends the process if it has not ended, closes every descriptor,
// ends blocked operations (they return ECANCELED) and every thread, and
// gives back its process and thread quotas. A process without parent
// leaves the process table; a child stays until its parent reaps it. It
// is safe to call more than once.
func (p *Process) Close() error {
	p.end()
	p.endOnce.Do(func() {
		p.threads.mu.Lock()
		live := make([]*Thread, 0, len(p.threads.live))
		for _, t := range p.threads.live {
			live = append(live, t)
		}
		p.threads.mu.Unlock()
		for _, t := range live {
			t.Exit()
		}
		if p.quota != nil {
			p.quota.Release(sandbox.ResProcesses, 1)
		}
		if p.parent == 0 {
			p.table.remove(p.pid)
		}
	})
	return nil
}

// Quota returns the account the process charges (nil: no quotas).
func (p *Process) Quota() *sandbox.Account { return p.quota }

// RandomGet fills buf with random bytes (WASI random_get).
func (p *Process) RandomGet(buf []byte) Errno {
	if _, err := io.ReadFull(p.random, buf); err != nil {
		return EIO
	}
	return ESUCCESS
}
