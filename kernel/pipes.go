package kernel

import (
	"context"
	"errors"

	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// pipeChunk is the most a blocking write hands the host at once: a pipe
// that polls writable has room for PIPE_BUF bytes, so a write of at most
// this much does not block, and a large write to a pipe nobody reads
// waits in cancellable polls instead of one write(2) that outlasts every
// deadline.
const pipeChunk = 4096

// blockingWrite writes iovs to a pipe or terminal (h from mayBlock) in
// chunks of pipeChunk, each after a cancellable wait for room. It returns
// when everything is written, with what was written so far when a chunk
// fails (the error comes with the next write), or with ECANCELED when ctx
// ends or the process closes, which ends the run.
func (p *Process) blockingWrite(ctx context.Context, h vfs.HostDescriptor, f vfs.File, iovs [][]byte) (int, Errno) {
	total := 0
	for {
		chunk := trimIovs(iovs, pipeChunk)
		n, e := p.blockingIO(ctx, h, unix.POLLOUT, func() (int, error) { return f.Writev(chunk) })
		total += max(n, 0)
		switch {
		case e == ECANCELED:
			return total, e // the run ends (its context or the process did)
		case e != ESUCCESS && total > 0:
			return total, ESUCCESS // the error comes with the next write
		case e != ESUCCESS:
			return 0, e
		}
		iovs = advanceIovs(iovs, n)
		if len(iovs) == 0 || n == 0 {
			return total, ESUCCESS
		}
	}
}

// Broken pipes on the standard streams. A native program writing to a
// pipe whose reader is gone is killed by SIGPIPE (exit status 141), which
// is what makes `prog | head` end. A WASI guest has no signals, so it
// sees EPIPE once, as a native program that ignores SIGPIPE would (and
// may exit cleanly); if it writes to a broken standard output or error
// again, the process ends as SIGPIPE would have ended it: exit code
// 128+SIGPIPE, with an audit record. A guest that ignores EPIPE can
// therefore never loop on it.

// SIGPIPE is the WASI (and Linux) number of the broken-pipe signal.
const SIGPIPE = 13

// ErrBrokenPipe is the Err of the audit record of a process ended for
// writing to a broken standard stream again.
var ErrBrokenPipe = errors.New("wrote again to a standard stream whose reader is gone: ended as by SIGPIPE")

// brokenStream applies the rule to a write on standard output or error
// that got EPIPE: the first one is returned, a later one ends the process
// with exit code 128+SIGPIPE and returns ECANCELED, which makes the ABI
// layer unwind the guest.
func (p *Process) brokenStream(ctx context.Context, d *Descriptor) Errno {
	if !d.stream.broken.Swap(true) {
		return EPIPE
	}
	p.audit(ctx, AuditEvent{Op: OpSignal, Path: d.GuestPath, Signal: SIGPIPE, Errno: EPIPE, Err: ErrBrokenPipe})
	p.Exit(128 + SIGPIPE)
	return ECANCELED
}
