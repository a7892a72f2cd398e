package wasix

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// The asyncify protocol (binaryen's `wasm-opt --asyncify`, which
// wasix-libc's builds run) lets a host function capture the guest's call
// stack: it calls the module's asyncify_start_unwind(data) and returns;
// every instrumented function then saves its locals into the data buffer
// and returns, up to _start, which returns to the host. The host calls
// asyncify_stop_unwind, may copy or keep the buffer, and rewinds:
// asyncify_start_rewind(data) and _start again, which re-enters the
// saved calls down to the host function, whose second call (state
// rewinding) calls asyncify_stop_rewind and returns its result.
//
// kiln uses it for proc_fork (the child is a new instance with a copy of
// the memory and the exported mutable globals, both rewound) and for
// stack_checkpoint/stack_restore (setjmp/longjmp: the buffer of a
// checkpoint is kept and rewound again by a restore). The unwinding
// happens on the main thread only: CallStart's resume hook (proc.resume)
// does the work at the top.

// Names of the asyncify exports.
const (
	asyncifyStartUnwind = "asyncify_start_unwind"
	asyncifyStopUnwind  = "asyncify_stop_unwind"
	asyncifyStartRewind = "asyncify_start_rewind"
	asyncifyStopRewind  = "asyncify_stop_rewind"
	asyncifyGetState    = "asyncify_get_state"

	// stackPointer is the global holding the shadow stack pointer, which
	// asyncify does not save: a program that setjmps exports it
	// (wasix-libc does; -Wl,--export=__stack_pointer otherwise).
	stackPointer = "__stack_pointer"
)

// asyncify states (asyncify_get_state).
const (
	stateNormal    = 0
	stateUnwinding = 1
	stateRewinding = 2
)

// asyncBufferPages is the size of the buffer the saved locals go to,
// memory the runtime grows the guest's memory by (once per process) so
// that it belongs to no allocation of the guest.
const asyncBufferPages = 4

// asyncFuncs are an instance's asyncify exports.
type asyncFuncs struct {
	startUnwind, stopUnwind, startRewind, stopRewind, getState *kiln.Func
}

// asyncifyOf returns inst's asyncify exports, or false when the module
// was not built with asyncify.
func asyncifyOf(inst *kiln.Instance) (*asyncFuncs, bool) {
	if inst == nil {
		return nil, false
	}
	a := &asyncFuncs{
		startUnwind: inst.Func(asyncifyStartUnwind),
		stopUnwind:  inst.Func(asyncifyStopUnwind),
		startRewind: inst.Func(asyncifyStartRewind),
		stopRewind:  inst.Func(asyncifyStopRewind),
		getState:    inst.Func(asyncifyGetState),
	}
	ok := a.startUnwind != nil && a.stopUnwind != nil && a.startRewind != nil &&
		a.stopRewind != nil && a.getState != nil
	return a, ok
}

func (a *asyncFuncs) state(ctx context.Context) (int32, error) {
	r, err := a.getState.Call(ctx)
	if err != nil || len(r) != 1 {
		return 0, fmt.Errorf("wasix: asyncify_get_state: %w", err)
	}
	return int32(r[0]), nil
}

// asyncOp is what the resume hook does once the stack has unwound.
type asyncOp struct {
	kind asyncKind
	// fork: the child process, made before the unwind.
	child     *wasi.System
	childProc *proc
	// checkpoint: where the snapshot goes; restore: the snapshot and
	// the value stack_checkpoint returns.
	snapPtr uint64
	snap    *snapshot
	val     uint64
}

type asyncKind uint8

const (
	opFork asyncKind = iota + 1
	opCheckpoint
	opRestore
)

// asyncState is a process's asyncify state.
type asyncState struct {
	mu sync.Mutex
	// buf is the address of the data buffer in the guest's memory (its
	// 8-byte header, then the saved locals), 0 before the first use.
	buf uint32
	// op is pending between the unwind and the top; result is what the
	// host function returns when the rewind reaches it again.
	op     *asyncOp
	result uint64
	errno  kernel.Errno // an error for the rewound call instead of result
	// busy is set from the unwind until the rewind is over: no signal
	// handler runs then.
	busy bool
	// snapshots are the checkpoints of stack_checkpoint.
	snapshots snapshots
}

func (s *asyncState) setErrno(e kernel.Errno) {
	s.mu.Lock()
	s.errno = e
	s.mu.Unlock()
}

// takeErrno returns the errno the rewound call is to return, and clears it.
func (s *asyncState) takeErrno() kernel.Errno {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.errno
	s.errno = kernel.ESUCCESS
	return e
}

func (s *asyncState) isBusy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busy
}

// errAsyncify is the error of a guest that breaks the protocol.
var errAsyncify = errors.New("wasix: asyncify protocol broken")

// memoryOf returns the memory of inst (a process of sys): the memory it
// imports (from sys's linker) or exports.
func memoryOf(sys *wasi.System, inst *kiln.Instance) *kiln.Memory {
	m := inst.Module().Module()
	for _, imp := range m.Imports {
		if imp.Kind == wasm.ExternMemory {
			if def := sys.Linker().Lookup(imp.Module); def != nil {
				return def.Memory(imp.Name)
			}
			return nil
		}
	}
	for _, e := range m.Exports {
		if e.Kind == wasm.ExternMemory {
			return inst.Memory(e.Name)
		}
	}
	return nil
}

// unwind starts unwinding the calling instance's stack towards the top,
// where the resume hook runs op. The buffer is made on first use.
func (p *proc) unwind(ctx context.Context, a *asyncFuncs, mem *kiln.Memory, op *asyncOp) kernel.Errno {
	s := &p.async
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.buf == 0 {
		if mem == nil {
			return kernel.ENOTSUP
		}
		old, ok := mem.Grow(asyncBufferPages)
		if !ok || uint64(old)+asyncBufferPages > 1<<16 {
			return kernel.ENOMEM
		}
		s.buf = old * 65536
	}
	if !mem.WriteUint32(s.buf, s.buf+8) || !mem.WriteUint32(s.buf+4, s.buf+asyncBufferPages*65536) {
		return kernel.EFAULT
	}
	if _, err := a.startUnwind.Call(ctx, uint64(s.buf)); err != nil {
		return kernel.EFAULT
	}
	s.op, s.busy = op, true
	return kernel.ESUCCESS
}

// rewound ends the rewind in the host function that started the unwind
// (its second call) and returns the result the resume hook set.
func (p *proc) rewound(ctx context.Context, a *asyncFuncs) (uint64, error) {
	if _, err := a.stopRewind.Call(ctx); err != nil {
		return 0, err
	}
	s := &p.async
	s.mu.Lock()
	defer s.mu.Unlock()
	s.busy = false
	return s.result, nil
}

// resume is the resume hook of CallStart (wasi.System.SetResume): when
// _start returned because of an unwind, do the pending operation and
// rewind.
func (p *proc) resume(ctx context.Context, inst *kiln.Instance) (bool, error) {
	s := &p.async
	s.mu.Lock()
	op := s.op
	s.op = nil
	s.mu.Unlock()
	if op == nil {
		return false, nil
	}
	a, ok := asyncifyOf(inst)
	if !ok {
		return false, errAsyncify
	}
	if st, err := a.state(ctx); err != nil || st != stateUnwinding {
		return false, fmt.Errorf("%w: _start returned in state %d during an unwind", errAsyncify, st)
	}
	if _, err := a.stopUnwind.Call(ctx); err != nil {
		return false, err
	}
	mem := memoryOf(p.sys, inst)
	if mem == nil {
		return false, fmt.Errorf("%w: no memory", errAsyncify)
	}
	var result uint64
	var err error
	switch op.kind {
	case opFork:
		result, err = p.forkChild(ctx, inst, op)
	case opCheckpoint:
		result, err = p.checkpoint(inst, mem, op)
	case opRestore:
		result, err = p.restore(inst, mem, op)
	}
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	s.result = result
	buf := s.buf
	s.mu.Unlock()
	if _, err := a.startRewind.Call(ctx, uint64(buf)); err != nil {
		return false, err
	}
	return true, nil
}
