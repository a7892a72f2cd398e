package wasi

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
)

// Config describes the process a WASI module runs as. Anything not given
// is absent: no mounts means no files, no Env means an empty environment.
type Config struct {
	// Name identifies the program in audit records.
	Name string
	// Args are the program arguments; Args[0] is the program name by
	// convention. Env holds "KEY=value" strings.
	Args []string
	Env  []string
	// Stdin, Stdout and Stderr back descriptors 0, 1 and 2. Nil reads end
	// of file and discards writes. *os.File values are used through their
	// host descriptors (so polling works); anything else through a stream.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Mounts are preopened directories, descriptors 3, 4, ... in order.
	Mounts []Mount
	// Sockets are preopened host sockets (for example a listener's
	// (*net.TCPListener).File()), numbered after the mounts. The guest
	// gets duplicates; the caller keeps and closes its own.
	Sockets []*os.File
	// MaxFDs limits open descriptors (kernel.DefaultMaxFDs when zero).
	MaxFDs int
	// Random is the source of random_get (crypto/rand when nil).
	Random io.Reader
	// Sandbox hooks, all optional (see package kernel). Set, they take
	// precedence over what Policy and Audit would install.
	Auditor    kernel.Auditor
	FilePolicy kernel.FilePolicy
	NetPolicy  kernel.NetPolicy
	// SpawnPolicy decides which programs the guest may start (WASIX
	// processes); without it and without Policy none (EPERM).
	SpawnPolicy kernel.SpawnPolicy

	// Policy grants what it lists on top of the fields above: its mounts
	// are preopened after Mounts, its environment follows Env, its
	// network rules become the NetPolicy (connect, bind, listen, UDP
	// send/receive, name resolution), and every open and path mutation is
	// checked against the mount points (kernel.SandboxFiles) before the
	// file system's own confinement. Nil grants nothing more. It must be valid
	// (sandbox.Policy.Validate).
	Policy *sandbox.Policy
	// Limits are the process's quotas (zero fields are unlimited). The
	// kernel enforces Descriptors (with MaxFDs, the smaller wins: EMFILE),
	// Sockets (EMFILE), FileWriteBytes, NetSendBytes, NetRecvBytes and
	// FileEntries (files, directories and links created)
	// (EDQUOT); Run enforces WallTime. MemoryBytes, TableElements and
	// Fuel are engine limits charged to the same account: Run (or an
	// instantiation with System.ModuleConfig) makes the engine consult
	// it at every memory and table creation and growth (the total of all
	// memories, all tables) and draw the fuel of every call from it.
	// Threads caps the live threads (the main thread included): a spawn
	// beyond it fails with EAGAIN, audited. Processes counts the process
	// itself. CPUTime caps the CPU time of every thread of every process
	// charging the account (on Linux; see cpumeter.go): at the limit they
	// are all terminated with a *sandbox.QuotaExceeded, audited once.
	Limits sandbox.Limits
	// Quota is the account the process charges; nil with any limit in
	// Limits makes New create one (several processes of one guest may
	// share an Account).
	Quota *sandbox.Account
	// Audit, when set and Auditor is not, records every sensitive
	// operation, every denial and every quota hit (see kernel.Auditor).
	Audit *sandbox.Auditor
	// Trace, when set, prints every WASI (and WASIX) call of the process
	// with its arguments and result (see Tracer).
	Trace *Tracer

	// ProcTable is the process table of the guest's process tree (a new
	// one when nil: the process is PID 1), and Parent the PID of the
	// process creating this one (0 for none). A process tree shares one
	// table and one Quota.
	ProcTable *kernel.ProcTable
	Parent    kernel.PID
}

// RuntimeLimits returns cfg with MemoryBytes of l applied as the cap of
// every single linear memory, in whole 64 KiB pages (at least one page;
// the smaller of two nonzero caps wins), so that a memory whose minimum
// alone exceeds it fails at once. The total over all memories, the table
// elements and the fuel are enforced by the account (see
// Config.Limits), not by the runtime's configuration.
func RuntimeLimits(cfg kiln.RuntimeConfig, l sandbox.Limits) kiln.RuntimeConfig {
	if l.MemoryBytes != 0 {
		pages := uint32(min(max(l.MemoryBytes/(64<<10), 1), 1<<16))
		if cfg.MaxMemoryPages == 0 || pages < cfg.MaxMemoryPages {
			cfg.MaxMemoryPages = pages
		}
	}
	return cfg
}

// Mount preopens a directory for the guest.
type Mount struct {
	// HostDir is a host directory; the guest cannot leave it (paths are
	// resolved beneath it with openat2). Ignored when FS or IOFS is set.
	HostDir string
	// FS is any file system (for example vfs.NewMemFS()).
	FS vfs.FS
	// IOFS is any io/fs file system (an embed.FS, a zip archive's
	// *zip.Reader), mounted read-only through vfs.FromIOFS. Ignored when
	// FS is set.
	IOFS fs.FS
	// GuestPath is the name the guest sees for the preopen ("/data", ".").
	GuestPath string
	// ReadOnly refuses every write beneath the mount with EROFS.
	ReadOnly bool
}

// mountTable builds the kernel's mount table from the configuration.
func mountTable(ms []Mount) (*vfs.MountTable, error) {
	t := &vfs.MountTable{}
	for _, m := range ms {
		fs := m.FS
		if fs == nil && m.IOFS != nil {
			fs = vfs.FromIOFS(m.IOFS)
		}
		if fs == nil {
			if m.HostDir == "" {
				return nil, fmt.Errorf("wasi: mount %q: no host directory or file system", m.GuestPath)
			}
			h, err := vfs.NewHostFS(m.HostDir)
			if err != nil {
				return nil, fmt.Errorf("wasi: mount %q: %w", m.GuestPath, err)
			}
			fs = h
		}
		if err := t.Add(m.GuestPath, fs, m.ReadOnly); err != nil {
			return nil, fmt.Errorf("wasi: %w", err)
		}
	}
	return t, nil
}

// System is one WASI guest process: the kernel state behind the
// wasi_snapshot_preview1 functions. Its functions may be called from the
// guest's threads concurrently (the kernel serialises what it must).
type System struct {
	proc *kernel.Process
	main *Thread
	// linker resolves the imports of the process's instances (the host
	// modules and memories made for it) before the runtime's registry.
	linker *kiln.Linker
	// threads are the spawned threads' goroutines (see threads.go).
	threads threadGroup
	quota   *sandbox.Account
	audit   *sandbox.Auditor
	who     sandbox.Subject
	// auditor receives the engine's quota refusals (memory and table
	// growth), like the kernel's.
	auditor kernel.Auditor
	// tracer, when set, prints every call (Config.Trace).
	tracer *Tracer
	// ext holds the state extensions (package wasix) keep per process.
	ext sync.Map
	// afterCall, when set, runs after every host call of the process
	// returns, before the guest resumes (see SetAfterCall).
	afterCall func(ctx context.Context, t *Thread, m Mem) error
	// resume, when set, runs when _start returns (see SetResume).
	resume func(ctx context.Context, inst *kiln.Instance) (bool, error)
}

// New creates the process described by cfg. ctx is kept for audit
// records. The caller must Close the System.
func New(ctx context.Context, cfg Config) (*System, error) {
	kc, err := kernelConfig(cfg)
	if err != nil {
		return nil, err
	}
	p, err := kernel.New(ctx, kc)
	if err != nil {
		return nil, fmt.Errorf("wasi: %w", err)
	}
	for _, f := range cfg.Sockets {
		if _, err := p.InsertSocket(ctx, int(f.Fd())); err != nil {
			p.Close()
			return nil, fmt.Errorf("wasi: socket %s: %w", f.Name(), err)
		}
	}
	sys := &System{proc: p, quota: kc.Quota, audit: cfg.Audit, who: sandbox.Subject{Module: cfg.Name, PID: 1}, auditor: kc.Auditor,
		linker: kiln.NewLinker(), tracer: cfg.Trace}
	sys.main = &Thread{sys: sys, k: p.MainThread()}
	if cfg.Auditor != nil {
		sys.audit = nil // the embedder's auditor has the records
	}
	return sys, nil
}

// kernelConfig merges the configuration with its policy and limits.
func kernelConfig(cfg Config) (kernel.Config, error) {
	mounts := append([]Mount(nil), cfg.Mounts...)
	for i, m := range mounts {
		if m.FS == nil && m.IOFS != nil {
			mounts[i].ReadOnly = true // so the file policy says so too
		}
	}
	env := append([]string(nil), cfg.Env...)
	if pol := cfg.Policy; pol != nil {
		for _, m := range pol.Mounts {
			mounts = append(mounts, Mount{HostDir: m.HostPath, GuestPath: m.GuestPath, ReadOnly: m.ReadOnly})
		}
		env = append(env, pol.Env...)
	}
	table, err := mountTable(mounts)
	if err != nil {
		return kernel.Config{}, err
	}
	kc := kernel.Config{
		Name:        cfg.Name,
		Args:        cfg.Args,
		Env:         env,
		Stdin:       cfg.Stdin,
		Stdout:      cfg.Stdout,
		Stderr:      cfg.Stderr,
		Mounts:      table,
		MaxFDs:      cfg.MaxFDs,
		Random:      cfg.Random,
		Auditor:     cfg.Auditor,
		FilePolicy:  cfg.FilePolicy,
		NetPolicy:   cfg.NetPolicy,
		SpawnPolicy: cfg.SpawnPolicy,
		Quota:       cfg.Quota,
		Table:       cfg.ProcTable,
		Parent:      cfg.Parent,
	}
	if d := cfg.Limits.Descriptors; d != 0 && (kc.MaxFDs <= 0 || d < uint64(kc.MaxFDs)) {
		kc.MaxFDs = int(min(d, 1<<20))
	}
	if kc.Quota == nil && cfg.Limits != (sandbox.Limits{}) {
		kc.Quota = sandbox.NewAccount(cfg.Limits)
	}
	if cfg.Policy != nil {
		if kc.NetPolicy == nil {
			kc.NetPolicy = cfg.Policy.Net()
		}
		if kc.SpawnPolicy == nil {
			kc.SpawnPolicy = kernel.SandboxSpawn(cfg.Policy)
		}
		if kc.FilePolicy == nil {
			// Every mount point, whether it came from Mounts or from the
			// policy, is granted; paths outside all of them are not.
			files := &sandbox.Policy{}
			for _, m := range mounts {
				files.Mounts = append(files.Mounts, sandbox.Mount{HostPath: "/", GuestPath: m.GuestPath, ReadOnly: m.ReadOnly})
			}
			kc.FilePolicy = kernel.SandboxFiles(files)
		}
	}
	if kc.Auditor == nil && cfg.Audit != nil {
		kc.Auditor = kernel.SandboxAuditor(cfg.Audit, sandbox.Subject{Module: cfg.Name, PID: 1})
	}
	return kc, nil
}

// Quota returns the account the process charges (nil without limits).
func (s *System) Quota() *sandbox.Account { return s.quota }

// Process returns the kernel process (for embedders and extensions).
func (s *System) Process() *kernel.Process { return s.proc }

// MainThread returns the thread the process starts with (ID 1).
func (s *System) MainThread() *Thread { return s.main }

// Linker returns the process's linker: the imports of its instances
// resolve there before the runtime's registry. Run defines the host
// modules and memories a command needs in it; an extension (package
// wasix) defines its modules there too.
func (s *System) Linker() *kiln.Linker { return s.linker }

// Close ends the process if it is running, stops its threads and waits
// for them, releases every descriptor and writes what the audit log
// (Config.Audit) still holds back: the counts of rate-limited records.
func (s *System) Close() error {
	err := s.proc.Close()
	s.threads.wait()
	// The audit log's pending counts (rate-limited and dropped records).
	s.audit.Flush(s.proc.Context())
	return err
}

// ExitError ends a run when the guest calls proc_exit (or raises a
// terminating signal). It is a clean end, not a trap.
type ExitError struct {
	// Code is the exit status given to proc_exit (128+signal for
	// proc_raise).
	Code uint32
	// Signal is the WASI signal number for proc_raise, 0 otherwise.
	Signal uint8
}

func (e *ExitError) Error() string {
	if e.Signal != 0 {
		return fmt.Sprintf("wasi: terminated by signal %d (exit code %d)", e.Signal, e.Code)
	}
	return fmt.Sprintf("wasi: exit code %d", e.Code)
}
