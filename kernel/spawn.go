package kernel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
)

// SpawnPolicy decides which programs a guest may start as new processes
// (OpSpawn; program "" is a fork, which runs the same program) or run in
// place of its own (OpExec). A non-nil error refuses: its Errno, if it
// carries one, is what the guest sees, EACCES otherwise. Without a
// SpawnPolicy no process may be created (EPERM).
type SpawnPolicy interface {
	CheckSpawn(op Op, program string) error
}

// ErrSpawnDisabled is the refusal of process creation by a process
// configured without a SpawnPolicy.
var ErrSpawnDisabled = errors.New("process creation is not allowed (no spawn policy)")

// SandboxSpawn returns a SpawnPolicy applying the spawn rules of p
// (sandbox.Policy.CheckSpawn): creation switched off is EPERM, a program
// outside the list EACCES.
func SandboxSpawn(p *sandbox.Policy) SpawnPolicy { return sandboxSpawn{p} }

type sandboxSpawn struct{ p *sandbox.Policy }

func (s sandboxSpawn) CheckSpawn(op Op, program string) error {
	sop := sandbox.OpSpawn
	if op == OpExec {
		sop = sandbox.OpExec
	}
	err := s.p.CheckSpawn(sop, program)
	if err == nil {
		return nil
	}
	e := EACCES
	var d *sandbox.Denied
	if errors.As(err, &d) && d.Code == sandbox.DenyDisabled {
		e = EPERM
	}
	return &policyError{err: err, errno: e}
}

// CheckSpawn asks the spawn policy whether the process may start program
// (op OpSpawn, "" for a fork) or replace its own with it (OpExec), and
// audits the decision. With no policy the answer is EPERM.
func (p *Process) CheckSpawn(ctx context.Context, op Op, program string) Errno {
	err := ErrSpawnDisabled
	if p.spawn != nil {
		err = p.spawn.CheckSpawn(op, program)
	}
	if err != nil {
		e := EPERM
		if p.spawn != nil {
			e = denialErrno(err)
		}
		p.audit(ctx, AuditEvent{Op: op, Program: program, Errno: e, Err: err})
		return e
	}
	p.audit(ctx, AuditEvent{Op: op, Program: program, Allowed: true})
	return ESUCCESS
}

// ChildConfig returns the configuration of a process that p creates
// (spawn or fork) to run program name with args and env: the child
// inherits p's hooks (policies, auditor), quota account, process table,
// mounts, descriptor limit, source of randomness and working directory,
// and starts with a copy of p's descriptor table, sharing the open
// objects. With fork set every descriptor is copied with its
// close-on-exec flag; otherwise (spawn) close-on-exec descriptors are
// left out. Pass the result to NewChild, which owns the copied table.
func (p *Process) ChildConfig(name string, args, env []string, fork bool) Config {
	return Config{
		Name:        name,
		Args:        args,
		Env:         env,
		Cwd:         p.Getcwd(),
		MaxFDs:      p.fds.max,
		Random:      p.random,
		Auditor:     p.auditor,
		FilePolicy:  p.files,
		NetPolicy:   p.net,
		SpawnPolicy: p.spawn,
		Quota:       p.quota,
		Table:       p.table,
		Parent:      p.pid,
		fds:         p.fds.inherit(fork),
		mounts:      p.mounts,
	}
}

// NewChild creates the process cfg (from ChildConfig) describes. Beyond
// the process quota (sandbox.Limits.Processes) it fails with EAGAIN,
// audited as a quota hit, as fork does; bad arguments are EINVAL. On
// failure the copied descriptors are released. ctx is the context of the
// call that creates the child (its thread is named in the audit record of
// a refusal); the child's own context, for its records made outside any
// call, is p's.
func (p *Process) NewChild(ctx context.Context, cfg Config) (*Process, Errno) {
	c, err := New(p.ctx, cfg)
	switch {
	case err == nil:
		return c, ESUCCESS
	case errors.Is(err, sandbox.ErrQuotaExceeded):
		return nil, p.quotaErrno(ctx, err, EAGAIN, AuditEvent{Path: "process"})
	}
	return nil, EINVAL
}

// Exec replaces the program the process runs (exec): name, args and env
// become the new program's and every close-on-exec descriptor is closed;
// the PID, the other descriptors, the working directory and the quotas
// stay; audit records name the new program. The caller has checked the
// spawn policy (CheckSpawn with OpExec) and that no other thread runs.
func (p *Process) Exec(name string, args, env []string) Errno {
	for _, s := range append(append([]string(nil), args...), env...) {
		if hasNUL(s) {
			return EINVAL
		}
	}
	p.mu.Lock()
	p.name = name
	p.args = append([]string(nil), args...)
	p.env = append([]string(nil), env...)
	p.mu.Unlock()
	if a, ok := p.auditor.(interface{ forProcess(PID, string) Auditor }); ok {
		p.auditor = a.forProcess(p.pid, name) // records name the new program
	}
	p.fds.closeOnExec()
	return ESUCCESS
}

func hasNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}

// Kill ends the process as the default action of signal sig does
// (termination): its status then reports the signal (ExitStatus.Signal)
// and exit code 128+sig. Only the first end counts.
func (p *Process) Kill(sig uint8) {
	p.mu.Lock()
	if !p.exited && p.failure == nil {
		p.exitCode, p.exited, p.signal = 128+uint32(sig), true, sig
	}
	p.mu.Unlock()
	p.end()
}

// WaitChild waits until child pid of p (any child of p when pid is 0)
// has ended, removes it from the process table and returns its PID and
// status (waitpid). With block false it returns PID 0 at once when no
// such child has ended yet. ECHILD: p has no such child. The wait ends
// with ECANCELED when ctx ends or p ends, and with EINTR when intr (which
// may be nil) is closed or receives.
func (p *Process) WaitChild(ctx context.Context, pid PID, block bool, intr <-chan struct{}) (PID, ExitStatus, Errno) {
	for {
		found, changed, got, st := p.table.reapChild(p.pid, pid)
		if got != 0 {
			return got, st, ESUCCESS
		}
		if !found {
			return 0, ExitStatus{}, ECHILD
		}
		if !block {
			return 0, ExitStatus{}, ESUCCESS
		}
		select {
		case <-changed:
		case <-intr:
			return 0, ExitStatus{}, EINTR
		case <-ctx.Done():
			return 0, ExitStatus{}, ECANCELED
		case <-p.done:
			return 0, ExitStatus{}, ECANCELED
		}
	}
}

// reapChild looks for an ended child of parent (pid, or any when pid is
// 0): found reports whether such a child is listed at all, got is the
// PID of the one reaped (0 if none has ended), and changed is closed at
// the next end of a process of the table.
func (t *ProcTable) reapChild(parent, pid PID) (found bool, changed <-chan struct{}, got PID, st ExitStatus) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, c := range t.procs {
		if c.parent != parent || (pid != 0 && id != pid) {
			continue
		}
		found = true
		if s, ended := c.Status(); ended {
			delete(t.procs, id)
			return true, nil, id, s
		}
	}
	if t.changed == nil {
		t.changed = make(chan struct{})
	}
	return found, t.changed, 0, ExitStatus{}
}

// notify wakes the waiters of reapChild: a process of the table ended.
func (t *ProcTable) notify() {
	t.mu.Lock()
	if t.changed != nil {
		close(t.changed)
		t.changed = nil
	}
	t.mu.Unlock()
}

// inherit returns a copy of t for a new process: the descriptors at the
// same numbers, sharing their open objects; close-on-exec descriptors
// are left out unless all is set (fork keeps them, with their flag).
func (t *FDTable) inherit(all bool) *FDTable {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := &FDTable{max: t.max, entries: make([]*Descriptor, len(t.entries))}
	c.dup2.Store(t.dup2.Load())
	for i, d := range t.entries {
		if d == nil || d.cloexec && !all {
			continue
		}
		c.entries[i] = d.share(d.cloexec)
		c.count++
	}
	return c
}

// closeOnExec closes every close-on-exec descriptor.
func (t *FDTable) closeOnExec() {
	t.mu.Lock()
	var gone []*Descriptor
	for i, d := range t.entries {
		if d != nil && d.cloexec {
			gone = append(gone, d)
			t.entries[i] = nil
			t.count--
		}
	}
	t.mu.Unlock()
	for _, d := range gone {
		d.release()
	}
}

// String describes a status for messages ("exit code 3", "signal 15").
func (s ExitStatus) String() string {
	switch {
	case s.Err != nil:
		return s.Err.Error()
	case s.Signal != 0:
		return fmt.Sprintf("terminated by signal %d", s.Signal)
	}
	return fmt.Sprintf("exit code %d", s.Code)
}

// MaxProgramBytes bounds the size of a program file ReadProgram reads.
const MaxProgramBytes = 256 << 20

// ReadProgram reads the file at guestPath (absolute, or relative to the
// working directory) through the process's mounts and file policy, for
// spawn and exec: ENOENT when no mount holds it, EACCES when it is not a
// regular file, EFBIG beyond MaxProgramBytes. The descriptor it opens is
// closed before it returns.
func (p *Process) ReadProgram(ctx context.Context, guestPath string) ([]byte, Errno) {
	dir, rest, e := p.PreopenFor(guestPath)
	if e != ESUCCESS {
		return nil, e
	}
	fd, e := p.PathOpen(ctx, dir, vfs.FollowSymlinks, rest, 0, RightFDRead|RightFDFilestatGet, 0, 0)
	if e != ESUCCESS {
		return nil, e
	}
	defer p.FDClose(fd)
	st, e := p.FDFilestatGet(fd)
	switch {
	case e != ESUCCESS:
		return nil, e
	case st.Type != vfs.TypeRegular:
		return nil, EACCES
	case st.Size > MaxProgramBytes:
		return nil, EFBIG
	}
	buf := make([]byte, st.Size)
	for off := 0; off < len(buf); {
		n, e := p.FDRead(ctx, fd, [][]byte{buf[off:]})
		if e != ESUCCESS {
			return nil, e
		}
		if n == 0 {
			return buf[:off], ESUCCESS // shrank while read
		}
		off += n
	}
	return buf, ESUCCESS
}

// Abs makes a guest path absolute against the working directory.
func (p *Process) Abs(guestPath string) string { return p.abs(guestPath) }

// Max returns the descriptor limit of the table.
func (t *FDTable) Max() int { return t.max }

// AuditSignal records that the process sent signal sig to process target.
func (p *Process) AuditSignal(ctx context.Context, target PID, sig uint8) {
	p.audit(ctx, AuditEvent{Op: OpSignal, Signal: int(sig), Target: target, Allowed: true})
}

// SetNull makes fd a stream that reads end of file and discards what is
// written (/dev/null), closing what fd held.
func (p *Process) SetNull(fd FD) Errno {
	d := newFileDescriptor(vfs.NewStream(strings.NewReader(""), io.Discard), RightsStream, "<null>")
	t := p.fds
	t.mu.Lock()
	if t.closed || int64(fd) >= int64(t.max) {
		t.mu.Unlock()
		return EBADF
	}
	for FD(len(t.entries)) <= fd {
		t.entries = append(t.entries, nil)
	}
	old := t.entries[fd]
	t.entries[fd] = d
	if old == nil {
		t.count++
	}
	t.mu.Unlock()
	if old != nil {
		old.release()
	}
	return ESUCCESS
}
