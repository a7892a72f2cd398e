package wasix

import (
	"context"
	"math"
	"runtime"
	"time"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
)

// thread_start, the argument of thread_spawn_v2: fourteen pointer-size
// words {stack_upper, tls_base, start_funct, start_args, reserved[10]}
// then stack_size and guard_size (64 bytes in wasm32, 128 in wasm64).
// kiln reads the stack bounds only to check them: the guest's
// wasi_thread_start sets up its own stack from the struct.
const (
	threadStartStackUpper = 0
	threadStartStackSize  = 14
	threadStartWords      = 16
)

// threadSpawn is thread_spawn_v2(start *thread_start, tid *u32): start a
// thread whose instance calls wasi_thread_start(tid, start).
func threadSpawn(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	start, tidPtr := a[0], a[1]
	ps := m.PtrSize()
	if _, e := m.Bytes(start, threadStartWords*ps); e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(tidPtr, 4); e != kernel.ESUCCESS {
		return e, nil
	}
	upper, _ := m.Ptr(start + threadStartStackUpper*ps)
	size, _ := m.Ptr(start + threadStartStackSize*ps)
	if size > upper {
		return kernel.EINVAL, nil // the stack would begin below address 0
	}
	if start > math.MaxUint32 {
		return kernel.EOVERFLOW, nil // wasi_thread_start takes it as an i32
	}
	inst := callerInstance(m)
	if inst == nil {
		return kernel.ENOTSUP, nil
	}
	tid, e := t.System().Spawn(ctx, inst, uint32(start))
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32(tidPtr, uint32(tid)), nil
}

// threadSleep is thread_sleep(ns): sleep, or yield for 0. The end of the
// process ends the sleep (ECANCELED, which unwinds the thread); a signal
// for the guest's handler interrupts it (EINTR).
func threadSleep(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if a[0] == 0 {
		runtime.Gosched()
		return kernel.ESUCCESS, nil
	}
	var intr <-chan struct{}
	if p := procOf(t); p != nil {
		intr = p.sig.interrupt(t.ID())
	}
	timer := time.NewTimer(duration(a[0]))
	defer timer.Stop()
	select {
	case <-timer.C:
		return kernel.ESUCCESS, nil
	case <-intr:
		return kernel.EINTR, nil
	case <-ctx.Done():
	case <-t.Process().Lifetime().Done():
	}
	return kernel.ECANCELED, nil
}

// duration converts nanoseconds from the guest, saturating at the
// longest time.Duration (292 years).
func duration(ns uint64) time.Duration {
	if ns > math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(ns)
}

// threadID is thread_id(tid *u32): the main thread is 1, spawned threads
// 2, 3, ... as in the reference runtime.
func threadID(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return m.PutU32(a[0], uint32(t.ID())), nil
}

// threadJoin is thread_join(tid): wait until thread tid of the caller's
// process has ended. A thread that has ended (or never existed) is
// forgotten, so joining it returns at once, as in the reference runtime;
// joining oneself is EDEADLK.
func threadJoin(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	id := kernel.TID(uint32(a[0]))
	if id == t.ID() {
		return kernel.EDEADLK, nil
	}
	other := t.Process().Thread(id)
	if other == nil {
		return kernel.ESUCCESS, nil
	}
	select {
	case <-other.Done():
		return kernel.ESUCCESS, nil
	case <-ctx.Done():
	case <-t.Process().Lifetime().Done():
	}
	return kernel.ECANCELED, nil
}

// threadParallelism is thread_parallelism(n *size): the host CPUs this
// process may use, at most its thread quota (sandbox.Limits.Threads) so
// that a guest sizing a pool from it can create the pool.
func threadParallelism(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	n := uint64(runtime.NumCPU())
	if q := t.Process().Quota(); q != nil {
		if limit := q.Limit(sandbox.ResThreads); limit > 0 && limit < n {
			n = limit
		}
	}
	return m.PutPtr(a[0], n), nil
}

// threadExit is thread_exit(code): end the calling thread only. When the
// last thread ends, the process ends with exit code 0 (the reference
// runtime's behaviour; the code is not carried).
func threadExit(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return kernel.ESUCCESS, wasi.ErrThreadExit
}
