package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// signalCall reads a signal number argument (EINVAL beyond SIGSYS) and
// finds the caller's WASIX process (ENOTSUP for an instance Define never
// saw).
func signalCall(t *wasi.Thread, v uint64) (*proc, Signal, kernel.Errno) {
	if v >= uint64(numSignals) {
		return nil, 0, kernel.EINVAL
	}
	p := procOf(t)
	if p == nil {
		return nil, 0, kernel.ENOTSUP
	}
	return p, Signal(v), kernel.ESUCCESS
}

// procSignal is proc_signal(pid, sig): kill. The target is a process of
// the caller's tree (ESRCH otherwise); signal 0 only checks that it
// exists. The signal is audited.
func procSignal(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p, sig, e := signalCall(t, a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	target := p.tree.lookup(kernel.PID(uint32(a[0])))
	if target == nil {
		return kernel.ESRCH, nil
	}
	if sig != SIGNONE {
		t.Process().AuditSignal(ctx, target.sys.Process().PID(), uint8(sig))
		target.send(sig)
	}
	return kernel.ESUCCESS, nil
}

// threadSignal is thread_signal(tid, sig): signal a thread of the
// caller's process (raise() uses it with its own thread). kiln delivers
// it to the process: the handler runs on the thread whose host call
// returns first, for raise the caller itself before raise returns.
func threadSignal(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p, sig, e := signalCall(t, a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if t.Process().Thread(kernel.TID(uint32(a[0]))) == nil {
		return kernel.ESRCH, nil
	}
	if sig != SIGNONE {
		p.send(sig)
	}
	return kernel.ESUCCESS, nil
}

// procRaise is proc_raise(sig) as WASIX numbers it (Linux's): the
// signal is sent to the caller's own process.
func procRaise(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p, sig, e := signalCall(t, a[0])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if sig != SIGNONE {
		p.send(sig)
	}
	return kernel.ESUCCESS, nil
}

// procRaiseInterval is proc_raise_interval(sig, interval, repeat):
// setitimer/alarm. After interval nanoseconds (and every interval after
// that when repeat is set) sig is sent to the caller's process; interval
// 0 cancels the timer of sig.
func procRaiseInterval(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p, sig, e := signalCall(t, a[0])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if sig == SIGNONE {
		return kernel.EINVAL, nil
	}
	p.alarm(sig, duration(a[1]), uint32(a[2]) != 0)
	return kernel.ESUCCESS, nil
}

// maxHandlerName bounds callback_signal's export name.
const maxHandlerName = 1024

// callbackSignal is callback_signal(name): the export the runtime calls
// with the signal number to deliver a signal (wasix-libc names
// __wasm_signal). It has no result: a name that cannot be read is
// ignored.
func callbackSignal(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p := procOf(t)
	if p == nil || a[1] > maxHandlerName {
		return kernel.ESUCCESS, nil
	}
	name, e := str(m, a[0], a[1])
	if e != kernel.ESUCCESS {
		return kernel.ESUCCESS, nil
	}
	p.sig.mu.Lock()
	p.sig.handler = name
	p.sig.mu.Unlock()
	return kernel.ESUCCESS, nil
}

// procSignalsSizesGet is proc_signals_sizes_get(n *size): the number of
// signal dispositions the process inherited.
func procSignalsSizesGet(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	n := 0
	if p := procOf(t); p != nil {
		p.sig.mu.Lock()
		n = len(p.sig.inherited)
		p.sig.mu.Unlock()
	}
	return m.PutPtr(a[0], uint64(n)), nil
}

// procSignalsGet is proc_signals_get(buf): the inherited dispositions,
// {u8 signal; u8 disposition} each (0 default, 1 ignore).
func procSignalsGet(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p := procOf(t)
	if p == nil {
		return kernel.ESUCCESS, nil
	}
	p.sig.mu.Lock()
	list := append([]disposition(nil), p.sig.inherited...)
	p.sig.mu.Unlock()
	out, e := m.Bytes(a[0], uint64(2*len(list)))
	if e != kernel.ESUCCESS {
		return e, nil
	}
	for i, d := range list {
		out[2*i], out[2*i+1] = uint8(d.sig), d.disp
	}
	return kernel.ESUCCESS, nil
}
