package wasix

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// setjmp/longjmp for modules built with asyncify (wasix-libc's default
// flavour): stack_checkpoint unwinds the stack and rewinds it at once,
// keeping a copy of the asyncify buffer (the locals of every frame) and
// of the shadow stack pointer; stack_restore unwinds the current stack
// and rewinds the kept one, so that the checkpoint returns again with
// the restore's value. The guest's snapshot (24 bytes: {u64 user; u128
// hash}) names a checkpoint the process keeps and authenticates it: a
// forged or stale one ends the process. The shadow stack's memory is not
// restored: variables the program changed after setjmp keep their last
// values (C makes only volatile ones defined).

// maxSnapshots bounds the checkpoints a process keeps (the oldest go
// first: a longjmp to one of them then ends the process).
const maxSnapshots = 256

const snapshotSize = 24

// snapshot is one kept checkpoint.
type snapshot struct {
	id   uint64
	tag  [16]byte
	data []byte // the buffer from its header to the end of the saved locals
	sp   kiln.Value
	// Without asyncify (sjlj_native.go): the interpreter's checkpoint,
	// the address of stack_checkpoint's result and the stack pointer
	// global (nil when the module has none kiln recognises).
	native   *kiln.Checkpoint
	ret      uint64
	spGlobal *kiln.Global
}

// snapshots are a process's checkpoints, in the order they were made.
type snapshots struct {
	key   [32]byte // authenticates the tags, made on first use
	next  uint64
	order []*snapshot
}

func (s *snapshots) tag(id uint64) [16]byte {
	if s.key == ([32]byte{}) {
		rand.Read(s.key[:])
	}
	var b [40]byte
	copy(b[:], s.key[:])
	binary.LittleEndian.PutUint64(b[32:], id)
	sum := sha256.Sum256(b[:])
	var t [16]byte
	copy(t[:], sum[:16])
	return t
}

func (s *snapshots) add(sn *snapshot) {
	s.next++
	sn.id, sn.tag = s.next, s.tag(s.next)
	if len(s.order) == maxSnapshots {
		s.order = s.order[1:]
	}
	s.order = append(s.order, sn)
}

func (s *snapshots) find(raw []byte) *snapshot {
	id := binary.LittleEndian.Uint64(raw)
	for _, sn := range s.order {
		if sn.id == id && string(sn.tag[:]) == string(raw[8:24]) {
			return sn
		}
	}
	return nil
}

// errBadSnapshot ends a process whose longjmp names no checkpoint.
var errBadSnapshot = errors.New("wasix: stack_restore: the snapshot names no checkpoint of this process")

// stackCheckpoint is stack_checkpoint(snapshot *, ret *u64): setjmp. It
// returns with *ret 0 after recording the checkpoint, and again with the
// value of each stack_restore of it. ENOEXEC without asyncify, ENOTSUP
// without an exported __stack_pointer, on a thread other than the main
// one or in wasix_64v1.
func stackCheckpoint(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if p, inst := nativeSjlj(t, m); p != nil {
		return p.nativeCheckpoint(ctx, m, a, inst)
	}
	p, as, inst, e, err := sjljCall(ctx, t, m)
	if e != kernel.ESUCCESS || err != nil {
		return e, err
	}
	st, err := as.state(ctx)
	if err != nil {
		return 0, err
	}
	if st == stateRewinding {
		v, err := p.rewound(ctx, as)
		if err != nil {
			return 0, err
		}
		return m.PutU64(a[1], v), nil
	}
	if _, e := m.Bytes(a[0], snapshotSize); e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(a[1], 8); e != kernel.ESUCCESS {
		return e, nil
	}
	if inst.Global(stackPointer) == nil {
		return kernel.ENOTSUP, nil
	}
	return p.unwind(ctx, as, callerMemory(m), &asyncOp{kind: opCheckpoint, snapPtr: a[0]}), nil
}

// stackRestore is stack_restore(snapshot *, val): longjmp to the
// checkpoint, whose stack_checkpoint returns val (1 for 0).
func stackRestore(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if p, _ := nativeSjlj(t, m); p != nil {
		return kernel.ESUCCESS, p.nativeRestore(m, a)
	}
	p, as, _, e, err := sjljCall(ctx, t, m)
	if err != nil {
		return 0, err
	}
	if e != kernel.ESUCCESS {
		return 0, fmt.Errorf("wasix: stack_restore: %w", e)
	}
	raw, e := m.Bytes(a[0], snapshotSize)
	if e != kernel.ESUCCESS {
		return 0, fmt.Errorf("wasix: stack_restore: %w", e)
	}
	p.async.mu.Lock()
	sn := p.async.snapshots.find(raw)
	p.async.mu.Unlock()
	if sn == nil {
		return 0, errBadSnapshot
	}
	val := a[1]
	if val == 0 {
		val = 1
	}
	if e := p.unwind(ctx, as, callerMemory(m), &asyncOp{kind: opRestore, snap: sn, val: val}); e != kernel.ESUCCESS {
		return 0, fmt.Errorf("wasix: stack_restore: %w", e)
	}
	return kernel.ESUCCESS, nil
}

// nativeSjlj returns the process and instance of a call of
// stack_checkpoint or stack_restore from a module without asyncify, or
// nil.
func nativeSjlj(t *wasi.Thread, m wasi.Mem) (*proc, *kiln.Instance) {
	p, inst := procOf(t), callerInstance(m)
	if p == nil || inst == nil {
		return nil, nil
	}
	if _, ok := asyncifyOf(inst); ok {
		return nil, nil
	}
	return p, inst
}

// sjljCall finds what stack_checkpoint and stack_restore need.
func sjljCall(ctx context.Context, t *wasi.Thread, m wasi.Mem) (*proc, *asyncFuncs, *kiln.Instance, kernel.Errno, error) {
	p := procOf(t)
	inst := callerInstance(m)
	as, ok := asyncifyOf(inst)
	switch {
	case p == nil || !ok:
		return nil, nil, nil, kernel.ENOEXEC, nil
	case t.ID() != 1 || m.Is64():
		return nil, nil, nil, kernel.ENOTSUP, nil
	}
	if st, err := as.state(ctx); err != nil || st == stateUnwinding {
		return nil, nil, nil, 0, errAsyncify
	}
	return p, as, inst, kernel.ESUCCESS, nil
}

// checkpoint keeps the unwound stack of a stack_checkpoint and writes
// its name into the guest's snapshot; the checkpoint returns 0.
func (p *proc) checkpoint(inst *kiln.Instance, mem *kiln.Memory, op *asyncOp) (uint64, error) {
	s := &p.async
	s.mu.Lock()
	defer s.mu.Unlock()
	end, ok := mem.ReadUint32(s.buf)
	if !ok || end < s.buf+8 || end > s.buf+asyncBufferPages*65536 {
		return 0, errAsyncify
	}
	data, _ := mem.Read(s.buf, end-s.buf)
	sn := &snapshot{data: append([]byte(nil), data...), sp: inst.Global(stackPointer).Get()}
	s.snapshots.add(sn)
	var raw [snapshotSize]byte
	binary.LittleEndian.PutUint64(raw[:], sn.id)
	copy(raw[8:], sn.tag[:])
	if !mem.Write(uint32(op.snapPtr), raw[:]) {
		return 0, fmt.Errorf("wasix: stack_checkpoint: %w", kernel.EFAULT)
	}
	return 0, nil
}

// restore puts a checkpoint's stack back for the rewind; the checkpoint
// returns the restore's value.
func (p *proc) restore(inst *kiln.Instance, mem *kiln.Memory, op *asyncOp) (uint64, error) {
	s := &p.async
	s.mu.Lock()
	defer s.mu.Unlock()
	if !mem.Write(s.buf, op.snap.data) {
		return 0, errAsyncify
	}
	if err := inst.Global(stackPointer).Set(op.snap.sp); err != nil {
		return 0, err
	}
	return op.val, nil
}
