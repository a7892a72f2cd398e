package wasix

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// setjmp/longjmp for modules not built with asyncify: stack_checkpoint
// records the interpreter's frame that calls it (kiln.Caller.Checkpoint:
// its depth, program counter and slots) and the shadow stack pointer;
// stack_restore drops the frames above it, gives it its slots back and
// makes its stack_checkpoint return again. The snapshot names the
// checkpoint as in the asyncify flavour (sjlj.go). A checkpoint belongs
// to the call it was made in: a longjmp to one whose frame has returned,
// made by another thread, or made before a fork (in the child) ends the
// process.

// nativeCheckpoint is stack_checkpoint without asyncify.
func (p *proc) nativeCheckpoint(ctx context.Context, m wasi.Mem, a []uint64, inst *kiln.Instance) (kernel.Errno, error) {
	if _, e := m.Bytes(a[0], snapshotSize); e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(a[1], 8); e != kernel.ESUCCESS {
		return e, nil
	}
	cp, err := m.Caller().Checkpoint(ctx)
	if err != nil {
		return kernel.ENOTSUP, nil
	}
	sn := &snapshot{native: cp, ret: a[1]}
	if g := stackPointerOf(inst, m.Is64()); g != nil {
		sn.sp, sn.spGlobal = g.Get(), g
	}
	s := &p.async
	s.mu.Lock()
	s.snapshots.add(sn)
	var raw [snapshotSize]byte
	binary.LittleEndian.PutUint64(raw[:], sn.id)
	copy(raw[8:], sn.tag[:])
	s.mu.Unlock()
	b, _ := m.Bytes(a[0], snapshotSize)
	copy(b, raw[:])
	return m.PutU64(a[1], 0), nil
}

// nativeRestore is stack_restore without asyncify: the error it returns
// makes the interpreter return to the checkpoint.
func (p *proc) nativeRestore(m wasi.Mem, a []uint64) error {
	raw, e := m.Bytes(a[0], snapshotSize)
	if e != kernel.ESUCCESS {
		return fmt.Errorf("wasix: stack_restore: %w", e)
	}
	p.async.mu.Lock()
	sn := p.async.snapshots.find(raw)
	p.async.mu.Unlock()
	if sn == nil || sn.native == nil {
		return errBadSnapshot
	}
	val := a[1]
	if val == 0 {
		val = 1
	}
	if e := m.PutU64(sn.ret, val); e != kernel.ESUCCESS {
		return fmt.Errorf("wasix: stack_restore: %w", e)
	}
	if sn.spGlobal != nil {
		if err := sn.spGlobal.Set(sn.sp); err != nil {
			return fmt.Errorf("wasix: stack_restore: %w", err)
		}
	}
	return sn.native.Jump(uint64(kernel.ESUCCESS))
}

// stackPointerOf returns the global holding inst's shadow stack pointer:
// the exported __stack_pointer, or else the module's first global when
// it is defined, mutable and of the pointer type (wasm-ld makes the stack
// pointer its first global), or nil.
func stackPointerOf(inst *kiln.Instance, is64 bool) *kiln.Global {
	if g := inst.Global(stackPointer); g != nil {
		return g
	}
	mod := inst.Module().Module()
	want := wasm.I32
	if is64 {
		want = wasm.I64
	}
	if mod.NumImportedGlobals != 0 || len(mod.Globals) == 0 {
		return nil
	}
	if t := mod.Globals[0].Type; !t.Mutable || t.Type != want {
		return nil
	}
	return inst.GlobalAt(0)
}
