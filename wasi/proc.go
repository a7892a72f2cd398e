package wasi

import (
	"context"
	"runtime"

	"github.com/kilnrt/kiln/kernel"
)

// procExit ends the process with the guest's exit code.
func procExit(s *System, a []uint64) (kernel.Errno, error) {
	code := uint32(a[0])
	s.proc.Exit(code)
	return kernel.ESUCCESS, &ExitError{Code: code}
}

// Signals (WASI numbering) whose default action is to ignore them, or to
// stop or continue, which a single-process sandbox treats the same way.
var ignoredSignals = map[uint8]bool{
	0:  true, // none
	13: true, // pipe
	16: true, // chld
	17: true, // cont
	18: true, // stop
	19: true, // tstp
	20: true, // ttin
	21: true, // ttou
	22: true, // urg
	26: true, // winch
}

// lastSignal is the highest WASI signal number (sys).
const lastSignal = 30

// procRaise delivers a signal to the process itself: ignored signals
// return success, terminating ones end the run with exit code 128+signal,
// as a POSIX shell reports a process killed by a signal.
func procRaise(s *System, a []uint64) (kernel.Errno, error) {
	sig, ok := u8arg(a[0])
	if !ok || sig > lastSignal {
		return kernel.EINVAL, nil
	}
	if ignoredSignals[sig] {
		return kernel.ESUCCESS, nil
	}
	code := 128 + uint32(sig)
	s.proc.Exit(code)
	return kernel.ESUCCESS, &ExitError{Code: code, Signal: sig}
}

func schedYield(*System, context.Context, guest, []uint64) kernel.Errno {
	runtime.Gosched()
	return kernel.ESUCCESS
}

func randomGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	buf, e := g.bytes(uint32(a[0]), uint32(a[1]))
	if e != kernel.ESUCCESS {
		return e
	}
	return s.proc.RandomGet(buf)
}

// maxSubscriptions bounds one poll_oneoff call, so that a guest cannot make
// the host allocate in proportion to its whole memory.
const maxSubscriptions = 1 << 16

// pollOneoff reads nsubs subscriptions at in, waits until at least one is
// ready and stores the events at out and their count at neventsPtr.
func pollOneoff(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	in, out, nsubs, neventsPtr := uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3])
	if nsubs == 0 {
		return kernel.EINVAL
	}
	if uint64(in)+uint64(nsubs)*sizeSubscription > uint64(len(g)) ||
		uint64(out)+uint64(nsubs)*sizeEvent > uint64(len(g)) || !g.check(neventsPtr, 4) {
		return kernel.EFAULT
	}
	if nsubs > maxSubscriptions {
		return kernel.EINVAL
	}
	// In range (checked above) and small enough not to overflow.
	subBytes, _ := g.bytes(in, nsubs*sizeSubscription)
	evBytes, _ := g.bytes(out, nsubs*sizeEvent)
	subs := make([]kernel.Subscription, 0, nsubs)
	var bad []kernel.Event // subscriptions that cannot be decoded
	for i := uint32(0); i < nsubs; i++ {
		sub, e := readSubscription(subBytes[i*sizeSubscription:])
		if e != kernel.ESUCCESS {
			bad = append(bad, kernel.Event{Userdata: sub.Userdata, Type: sub.Type, Errno: e})
			continue
		}
		subs = append(subs, sub)
	}
	events := bad
	if len(bad) == 0 {
		var e kernel.Errno
		events, e = s.proc.PollOneoff(ctx, subs)
		if e != kernel.ESUCCESS {
			return e
		}
	}
	if len(events) > int(nsubs) {
		events = events[:nsubs]
	}
	for i, ev := range events {
		putEvent(evBytes[i*sizeEvent:], ev)
	}
	return g.putU32(neventsPtr, uint32(len(events)))
}
