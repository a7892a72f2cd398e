package wasi

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/kilnrt/kiln/kernel"
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
	// Sandbox hooks, all optional (see package kernel).
	Auditor    kernel.Auditor
	FilePolicy kernel.FilePolicy
	NetPolicy  kernel.NetPolicy
}

// Mount preopens a directory for the guest.
type Mount struct {
	// HostDir is a host directory; the guest cannot leave it (paths are
	// resolved beneath it with openat2). Ignored when FS is set.
	HostDir string
	// FS is any file system (for example vfs.NewMemFS()).
	FS vfs.FS
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
}

// New creates the process described by cfg. ctx is kept for audit
// records. The caller must Close the System.
func New(ctx context.Context, cfg Config) (*System, error) {
	mounts, err := mountTable(cfg.Mounts)
	if err != nil {
		return nil, err
	}
	p, err := kernel.New(ctx, kernel.Config{
		Name:       cfg.Name,
		Args:       cfg.Args,
		Env:        cfg.Env,
		Stdin:      cfg.Stdin,
		Stdout:     cfg.Stdout,
		Stderr:     cfg.Stderr,
		Mounts:     mounts,
		MaxFDs:     cfg.MaxFDs,
		Random:     cfg.Random,
		Auditor:    cfg.Auditor,
		FilePolicy: cfg.FilePolicy,
		NetPolicy:  cfg.NetPolicy,
	})
	if err != nil {
		return nil, fmt.Errorf("wasi: %w", err)
	}
	for _, f := range cfg.Sockets {
		if _, err := p.InsertSocket(int(f.Fd())); err != nil {
			p.Close()
			return nil, fmt.Errorf("wasi: socket %s: %w", f.Name(), err)
		}
	}
	return &System{proc: p}, nil
}

// Process returns the kernel process (for embedders and extensions).
func (s *System) Process() *kernel.Process { return s.proc }

// Close releases every descriptor of the process.
func (s *System) Close() error { return s.proc.Close() }

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
