package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// proc_join's flags and join_status (6 bytes: {u8 tag; union at 2}; the
// union is an exit code (u16) or {u16 exit_code; u8 signal} or a signal).
const (
	joinNonBlocking = 1
	joinWakeStopped = 2

	joinNothing    = 0
	joinExitNormal = 1
	joinExitSignal = 2

	joinStatusSize = 6
)

// procJoin is proc_join(pid *option_pid, flags, status *join_status):
// waitpid. option_pid is {u8 tag; u32 pid at 4}: tag 0 waits for any
// child and receives the PID of the one that ended. A child ended by a
// signal (SIGTERM from proc_signal, say) is reported as EXIT_SIGNAL with
// that signal, as POSIX does; a child that trapped as EXIT_SIGNAL with
// SIGABRT. NON_BLOCKING with no child ended yet reports NOTHING; no such
// child is ECHILD. A signal delivered to the waiting thread interrupts
// the wait with EINTR.
func procJoin(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	optPtr, flags, out := a[0], uint32(a[1]), a[2]
	opt, e := m.Bytes(optPtr, 8)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	status, e := m.Bytes(out, joinStatusSize)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if flags&^(joinNonBlocking|joinWakeStopped) != 0 {
		return kernel.EINVAL, nil
	}
	var pid kernel.PID
	switch opt[0] {
	case 0:
	case 1:
		pid = kernel.PID(le32(opt[4:]))
		if pid == 0 {
			return kernel.ECHILD, nil
		}
	default:
		return kernel.EINVAL, nil
	}
	var intr <-chan struct{}
	if p := procOf(t); p != nil {
		intr = p.sig.interrupt(t.ID())
	}
	got, st, e := t.Process().WaitChild(ctx, pid, flags&joinNonBlocking == 0, intr)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	clear(status)
	if got == 0 {
		status[0] = joinNothing
		return kernel.ESUCCESS, nil
	}
	if opt[0] == 0 {
		opt[0] = 1
		putLE32(opt[4:], uint32(got))
	}
	switch {
	case st.Signal != 0:
		status[0] = joinExitSignal
		putLE16(status[2:], uint16(st.Code))
		status[4] = st.Signal
	case st.Err != nil:
		status[0] = joinExitSignal
		putLE16(status[2:], 128+uint16(SIGABRT))
		status[4] = uint8(SIGABRT)
	default:
		status[0] = joinExitNormal
		putLE16(status[2:], uint16(st.Code))
	}
	return kernel.ESUCCESS, nil
}

func putLE16(b []byte, v uint16) { b[0], b[1] = byte(v), byte(v>>8) }
func putLE32(b []byte, v uint32) {
	putLE16(b, uint16(v))
	putLE16(b[2:], uint16(v>>16))
}
