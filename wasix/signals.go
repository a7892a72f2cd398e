package wasix

import (
	"context"
	"sync"
	"time"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// Signal delivery. A signal sent to a process (proc_signal, thread_signal,
// proc_raise, an alarm of proc_raise_interval, kiln run's forwarding)
// either runs the guest's handler, when the guest named one with
// callback_signal (wasix-libc names __wasm_signal at startup and applies
// dispositions, default actions included, itself), or takes its default
// action in the runtime: terminate (the parent's proc_join reports
// EXIT_SIGNAL), ignore, or, for the stop and continue signals, nothing
// (kiln does not stop processes). SIGKILL always terminates.
//
// The handler runs at a safe point: when a host call of the process
// returns to the guest, on the thread that made it, before the guest
// resumes. A pending handled signal interrupts the blocking calls that
// watch for it (thread_sleep, proc_join, futex_wait) with EINTR, so
// that a thread blocked there reaches the safe point at once. A thread
// that computes without host calls runs its handler at its next call.

// disposition is one entry of proc_signals_get and of proc_spawn2's
// signal dispositions: {u8 signal; u8 disposition}.
type disposition struct {
	sig  Signal
	disp uint8
}

// The dispositions a parent hands its child.
const (
	dispDefault = 0
	dispIgnore  = 1
)

// signalState is the signal state of one process.
type signalState struct {
	mu sync.Mutex
	// handler is the export callback_signal named ("" for none).
	handler string
	// inherited are the dispositions proc_signals_get reports: those the
	// spawner passed (proc_spawn2) or the parent had (fork).
	inherited []disposition
	// ignored marks signals ignored by inherited disposition, which the
	// runtime's default action honours when the guest has no handler.
	ignored uint32
	// pending are the signals waiting for the handler.
	pending uint32
	// wake is closed when a signal becomes pending: blocking calls that
	// watch it return EINTR. A new channel replaces it once delivered.
	wake chan struct{}
	// delivering is set while the handler runs (no nested delivery).
	delivering bool
	// timers are the alarms of proc_raise_interval, by signal.
	timers map[Signal]*time.Timer
}

func (s *signalState) init() { s.wake = make(chan struct{}) }

// inherit sets the dispositions of a new process: those its parent had
// inherited, then those the spawner lists (later entries win).
func (s *signalState) inherit(parent *signalState, extra []disposition) {
	parent.mu.Lock()
	list := append([]disposition(nil), parent.inherited...)
	parent.mu.Unlock()
	list = append(list, extra...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inherited, s.ignored = nil, 0
	seen := map[Signal]int{}
	for _, d := range list {
		if i, ok := seen[d.sig]; ok {
			s.inherited[i] = d
		} else {
			seen[d.sig] = len(s.inherited)
			s.inherited = append(s.inherited, d)
		}
	}
	for _, d := range s.inherited {
		if d.disp == dispIgnore {
			s.ignored |= 1 << d.sig
		} else {
			s.ignored &^= 1 << d.sig
		}
	}
}

// exec resets what does not survive exec: the handler, pending signals
// and alarms (ignored dispositions stay, as in POSIX).
func (s *signalState) exec() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler, s.pending = "", 0
	for sig, t := range s.timers {
		t.Stop()
		delete(s.timers, sig)
	}
}

// interrupt returns the channel that is closed when a signal for the
// guest's handler is pending (the calls of any thread of the process
// watch it: a process-directed signal may interrupt any of them).
func (s *signalState) interrupt(kernel.TID) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.wake
}

// send delivers sig to the process p: to the guest's handler if it has
// one (not for SIGKILL), else the default action. sig is valid and not 0.
func (p *proc) send(sig Signal) {
	k := p.sys.Process()
	s := &p.sig
	s.mu.Lock()
	if s.handler != "" && sig != SIGKILL && sig != SIGSTOP {
		if s.pending == 0 {
			close(s.wake)
		}
		s.pending |= 1 << sig
		s.mu.Unlock()
		return
	}
	ignored := s.ignored&(1<<sig) != 0 && sig != SIGKILL
	s.mu.Unlock()
	if !ignored && sig.DefaultAction() == ActTerminate {
		k.Kill(uint8(sig))
	}
}

// afterCall is the safe point (wasi.System.SetAfterCall): run the
// guest's handler for every pending signal.
func (p *proc) afterCall(ctx context.Context, t *wasi.Thread, m wasi.Mem) error {
	if p.async.isBusy() {
		return nil // the stack is unwinding or rewinding (fork, setjmp)
	}
	s := &p.sig
	for {
		s.mu.Lock()
		if s.pending == 0 || s.delivering {
			s.mu.Unlock()
			return nil
		}
		var sig Signal
		for sig = 1; s.pending&(1<<sig) == 0; sig++ {
		}
		s.pending &^= 1 << sig
		if s.pending == 0 {
			s.wake = make(chan struct{})
		}
		name := s.handler
		s.delivering = true
		s.mu.Unlock()
		err := p.runHandler(ctx, m, name, sig)
		s.mu.Lock()
		s.delivering = false
		s.mu.Unlock()
		if err != nil {
			return err
		}
	}
}

// runHandler calls the guest's handler export with sig; an instance
// without such an export (or with another type) takes the default
// action instead.
func (p *proc) runHandler(ctx context.Context, m wasi.Mem, name string, sig Signal) error {
	var fn interface {
		Call(context.Context, ...uint64) ([]uint64, error)
	}
	if c := m.Caller(); c != nil && c.Instance() != nil {
		if f := c.Instance().Func(name); f != nil {
			if ft := f.Type(); len(ft.Params) == 1 && ft.Params[0] == wasm.I32 && len(ft.Results) == 0 {
				fn = f
			}
		}
	}
	if fn == nil {
		if sig.DefaultAction() == ActTerminate {
			k := p.sys.Process()
			k.Kill(uint8(sig))
			return &wasi.ExitError{Code: 128 + uint32(sig)}
		}
		return nil
	}
	_, err := fn.Call(ctx, uint64(sig))
	return err
}

// alarm arms (interval > 0) or cancels the timer of sig: after interval,
// and every interval after that when repeat is set, sig is sent to p.
func (p *proc) alarm(sig Signal, interval time.Duration, repeat bool) {
	s := &p.sig
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.timers[sig]; t != nil {
		t.Stop()
		delete(s.timers, sig)
	}
	if interval <= 0 {
		return
	}
	if s.timers == nil {
		s.timers = map[Signal]*time.Timer{}
	}
	life := p.sys.Process().Lifetime()
	var t *time.Timer
	t = time.AfterFunc(interval, func() {
		if life.Err() != nil {
			return
		}
		p.send(sig)
		if repeat {
			s.mu.Lock()
			if s.timers[sig] == t {
				t.Reset(interval)
			}
			s.mu.Unlock()
		}
	})
	s.timers[sig] = t
	context.AfterFunc(life, func() { t.Stop() })
}

// readDispositions reads n signal dispositions at ptr.
func readDispositions(m wasi.Mem, ptr, n uint64) ([]disposition, kernel.Errno) {
	b, e := m.Bytes(ptr, 2*n)
	if e != kernel.ESUCCESS {
		return nil, e
	}
	out := make([]disposition, 0, n)
	for i := 0; i+1 < len(b); i += 2 {
		sig := Signal(b[i])
		if !sig.Valid() || sig == SIGNONE || b[i+1] > dispIgnore {
			return nil, kernel.EINVAL
		}
		out = append(out, disposition{sig, b[i+1]})
	}
	return out, kernel.ESUCCESS
}

// interruptible returns a context for a blocking call of thread t that
// also ends when a signal for the guest's handler is pending, a function
// reporting whether that is what ended it, and the function releasing
// the context. Without a handler it is ctx itself.
func interruptible(ctx context.Context, t *wasi.Thread) (context.Context, func() bool, func()) {
	p := procOf(t)
	if p == nil {
		return ctx, func() bool { return false }, func() {}
	}
	p.sig.mu.Lock()
	handled, wake := p.sig.handler != "", p.sig.wake
	p.sig.mu.Unlock()
	if !handled {
		return ctx, func() bool { return false }, func() {}
	}
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		select {
		case <-wake:
			cancel()
		case <-done:
		}
	}()
	interrupted := func() bool {
		select {
		case <-wake:
			return ctx.Err() == nil
		default:
			return false
		}
	}
	return wctx, interrupted, func() {
		close(done)
		cancel()
	}
}
