package wasix

import (
	"context"
	"sync"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// Closures (closure_allocate, closure_prepare, closure_free) make a slot
// of the indirect function table call a guest "backing function"
// (values *u8, results *u8, user_data *u8) -> () with its arguments
// packed as call_dynamic packs them.
//
// The function kiln puts in the slot is a host-made trampoline, not a
// generated wasm module: it runs on behalf of whichever instance calls
// it, so it finds that instance's table, memory and shadow stack pointer
// (a thread of the process calls through its own instance), needs no
// compilation, and a bad backing function is found by a check rather
// than by a trap inside generated code. When called it reserves room
// for the packed arguments and results on the caller's shadow stack (the
// exported __stack_pointer global, as wasm-ld makes it, 16-byte aligned;
// closure_prepare is ENOTSUP without it), writes the arguments, zeroes
// the results, calls the backing function found at the backing index of
// the table at that moment, restores the stack pointer and returns the
// results. As the trampoline cannot return an errno, a backing function
// that is gone or has changed type, or a shadow stack too small, ends the
// calling thread with an error naming the closure.
//
// Closures belong to the instance that allocated them (a thread's own
// instance when its table is its own); a process holds at most
// maxClosures at a time (EAGAIN beyond); the table grows by one slot per closure unless a
// freed slot can be reused, so a table's maximum or the TableElements
// quota also bound them (ENOMEM).

// maxClosures is the most closures one process holds at a time.
const maxClosures = 1024

// maxClosureValues bounds the arguments and the results of a closure
// (the limit wasm validators put on a function type's parameters).
const maxClosureValues = 1000

// closures is the per-process closure state (a wasi.System extension).
type closures struct {
	mu     sync.Mutex
	live   int
	byInst map[*kiln.Instance]*instClosures
}

// instClosures are the closure slots of one instance's indirect table.
type instClosures struct {
	slots map[uint32]*kiln.Func // allocated slots: the trampoline, nil until prepared
	free  []uint32              // freed slots, reused by closure_allocate
}

type closuresKey struct{}

// closuresMu orders the lazy creation of every process's closures.
var closuresMu sync.Mutex

func closuresOf(t *wasi.Thread) *closures {
	sys := t.System()
	if c, ok := sys.Extension(closuresKey{}).(*closures); ok {
		return c
	}
	closuresMu.Lock()
	defer closuresMu.Unlock()
	if c, ok := sys.Extension(closuresKey{}).(*closures); ok {
		return c
	}
	c := &closures{byInst: map[*kiln.Instance]*instClosures{}}
	sys.SetExtension(closuresKey{}, c)
	return c
}

// isClosure reports whether id is a closure slot of the calling instance.
func isClosure(t *wasi.Thread, m wasi.Mem, id uint64) bool {
	inst := callerInstance(m)
	if inst == nil {
		return false
	}
	c := closuresOf(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	_, _, ok := c.slot(inst, id)
	return ok
}

// slot returns the closures of inst and id as a slot number when id is
// one of them (c.mu held).
func (c *closures) slot(inst *kiln.Instance, id uint64) (*instClosures, uint32, bool) {
	ic := c.byInst[inst]
	if ic == nil || id > 0xffffffff {
		return nil, 0, false
	}
	_, ok := ic.slots[uint32(id)]
	return ic, uint32(id), ok
}

// lockClosures returns the process's closures locked (the caller
// unlocks c.mu), with the calling instance and its indirect function
// table.
func lockClosures(t *wasi.Thread, m wasi.Mem) (*closures, *kiln.Instance, *kiln.Table, kernel.Errno) {
	inst, tab, e := funcTable(m)
	if e != kernel.ESUCCESS {
		return nil, nil, nil, e
	}
	c := closuresOf(t)
	c.mu.Lock()
	return c, inst, tab, kernel.ESUCCESS
}

// funcTable returns the caller's indirect function table if it holds
// funcrefs, with the calling instance.
func funcTable(m wasi.Mem) (*kiln.Instance, *kiln.Table, kernel.Errno) {
	inst := callerInstance(m)
	if inst == nil {
		return nil, nil, kernel.ENOTSUP
	}
	tab := inst.TableAt(0)
	if tab == nil || tab.Type().Elem != wasm.FuncRef {
		return nil, nil, kernel.ENOTSUP
	}
	return inst, tab, kernel.ESUCCESS
}

// closureAllocate is closure_allocate(*id): reserve a slot of the
// indirect function table (null until prepared) for a closure.
func closureAllocate(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if _, e := m.Bytes(a[0], m.PtrSize()); e != kernel.ESUCCESS {
		return e, nil
	}
	c, inst, tab, e := lockClosures(t, m)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	defer c.mu.Unlock()
	if c.live >= maxClosures {
		return kernel.EAGAIN, nil
	}
	ic := c.byInst[inst]
	if ic == nil {
		ic = &instClosures{slots: map[uint32]*kiln.Func{}}
		c.byInst[inst] = ic
	}
	var id uint32
	if n := len(ic.free); n > 0 {
		id, ic.free = ic.free[n-1], ic.free[:n-1]
	} else {
		old, ok := tab.Grow(1, kiln.ValueNullRef(wasm.FuncRef))
		if !ok {
			return kernel.ENOMEM, nil
		}
		id = old
	}
	ic.slots[id] = nil
	c.live++
	return m.PutPtr(a[0], uint64(id)), nil
}

// closureFree is closure_free(id): empty a closure's slot (calls through
// it trap as calls of a null entry do) and make it reusable. An id that
// is not a closure of the calling instance is EINVAL.
func closureFree(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	c, inst, tab, e := lockClosures(t, m)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	defer c.mu.Unlock()
	ic, id, ok := c.slot(inst, a[0])
	if !ok {
		return kernel.EINVAL, nil
	}
	if err := tab.Set(id, kiln.ValueNullRef(wasm.FuncRef)); err != nil {
		return kernel.EINVAL, nil
	}
	delete(ic.slots, id)
	ic.free = append(ic.free, id)
	c.live--
	return kernel.ESUCCESS, nil
}

// readValueTypes reads n wasm_value_type codes at ptr.
func readValueTypes(m wasi.Mem, ptr, n uint64) ([]wasm.ValType, kernel.Errno) {
	if n > maxClosureValues {
		return nil, kernel.EINVAL
	}
	b, e := m.Bytes(ptr, n)
	if e != kernel.ESUCCESS {
		return nil, e
	}
	types := make([]wasm.ValType, n)
	for i, code := range b {
		if int(code) >= len(wasmOfValueType) {
			return nil, kernel.EINVAL
		}
		types[i] = wasmOfValueType[code]
	}
	return types, kernel.ESUCCESS
}

// pointerType is the wasm type of a guest pointer.
func pointerType(m wasi.Mem) wasm.ValType {
	if m.Is64() {
		return wasm.I64
	}
	return wasm.I32
}

// isBackingType reports whether ft is (ptr, ptr, ptr) -> ().
func isBackingType(ft *wasm.FuncType, p wasm.ValType) bool {
	return len(ft.Params) == 3 && len(ft.Results) == 0 &&
		ft.Params[0] == p && ft.Params[1] == p && ft.Params[2] == p
}

// closurePrepare is closure_prepare(backing_function_id, closure_id,
// argument_types, argument_types_len, result_types, result_types_len,
// user_data): put in the closure's slot a function of the given type
// that calls the backing function (see the comment at the top).
// EINVAL for a closure_id that is not a closure of the calling instance,
// an unknown type code, more than maxClosureValues types, or a backing
// function that is missing or not (ptr, ptr, ptr) -> (); ENOTSUP without
// an exported mutable __stack_pointer of the pointer type.
func closurePrepare(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	backingID, closureID, userData := a[0], a[1], a[6]
	inst, tab, e := funcTable(m)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	params, e := readValueTypes(m, a[2], a[3])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	results, e := readValueTypes(m, a[4], a[5])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	p := pointerType(m)
	backing, e := tableFunc(m, backingID)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if !isBackingType(backing.Type(), p) {
		return kernel.EINVAL, nil
	}
	if sp := inst.Global(stackPointer); sp == nil || sp.Type().Type != p || !sp.Type().Mutable {
		return kernel.ENOTSUP, nil
	}
	c := closuresOf(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	ic, id, ok := c.slot(inst, closureID)
	if !ok {
		return kernel.EINVAL, nil
	}
	tr := &trampoline{owner: inst, ownerMem: callerMemory(m), closure: id, backing: uint32(backingID), userData: userData, ptr: p,
		params: params, results: results}
	tr.argBytes, _ = packable(params)
	tr.resBytes, _ = packable(results)
	typ := wasm.FuncType{Params: params, Results: results}
	hm, err := inst.Runtime().NewHostModule("wasix-closure").RawFunc("closure", typ, tr.call).Build(ctx)
	if err != nil {
		return kernel.ENOMEM, nil
	}
	f := hm.Func("closure")
	if err := tab.Set(id, kiln.ValueFunc(f)); err != nil {
		return kernel.EINVAL, nil
	}
	ic.slots[id] = f
	return kernel.ESUCCESS, nil
}

// trampoline is a prepared closure's function.
type trampoline struct {
	owner              *kiln.Instance // the instance that prepared it, and its memory
	ownerMem           *kiln.Memory
	closure, backing   uint32
	userData           uint64
	ptr                wasm.ValType
	params, results    []wasm.ValType
	argBytes, resBytes uint64
}

// call runs the closure for the calling instance: see the comment at the
// top. Errors panic, which RawFunc turns into the call's error.
func (tr *trampoline) call(ctx context.Context, c *kiln.Caller, stack []uint64) {
	inst, mem0 := c.Instance(), c.Memory()
	if inst == nil { // called by the host: call_dynamic
		inst, mem0 = tr.owner, tr.ownerMem
	}
	if mem0 == nil {
		panic(errDynamic("closure %d: the calling instance has no memory", tr.closure))
	}
	var backing *kiln.Func
	if tab := inst.TableAt(0); tab != nil {
		if v, ok := tab.Get(tr.backing); ok {
			backing, _ = v.Ref.(*kiln.Func)
		}
	}
	if backing == nil || !isBackingType(backing.Type(), tr.ptr) {
		panic(errDynamic("closure %d: backing function %d is missing or not (ptr, ptr, ptr) -> ()", tr.closure, tr.backing))
	}
	sp := inst.Global(stackPointer)
	if sp == nil {
		panic(errDynamic("closure %d: the caller exports no %s", tr.closure, stackPointer))
	}
	old := sp.Get()
	top := old.Lo
	if tr.ptr == wasm.I32 {
		top = uint64(uint32(top))
	}
	need := (tr.argBytes + tr.resBytes + 15) &^ 15
	if top < need {
		panic(errDynamic("closure %d: shadow stack exhausted", tr.closure))
	}
	base := (top - need) &^ 15
	mem := mem0.Bytes()
	if base+tr.argBytes+tr.resBytes > uint64(len(mem)) {
		panic(errDynamic("closure %d: shadow stack pointer %#x outside memory", tr.closure, top))
	}
	pack(mem[base:base+tr.argBytes], tr.params, stack)
	clear(mem[base+tr.argBytes : base+tr.argBytes+tr.resBytes])
	lowered := old
	lowered.Lo = base
	if err := sp.Set(lowered); err != nil {
		panic(errDynamic("closure %d: %v", tr.closure, err))
	}
	_, err := backing.Call(ctx, base, base+tr.argBytes, tr.userData)
	_ = sp.Set(old)
	if err != nil {
		panic(err)
	}
	mem = mem0.Bytes()
	unpack(mem[base+tr.argBytes:base+tr.argBytes+tr.resBytes], tr.results, stack)
}
