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

// Foreign calls (call_dynamic, reflect_signature; closures in
// closure.go): a guest names a function by its index in its indirect
// function table (table 0, wasm-ld's __indirect_function_table, whether
// imported or defined, exported or not) and passes values through memory
// buffers in which each value follows the previous one unpadded, little
// endian: i32 and f32 take 4 bytes, i64 and f64 8, v128 16. Signatures
// with reference types cannot be packed that way and are refused
// (EINVAL). Every bad index, type or length is an errno; only a trap of
// the called function itself ends the thread, as any trap would.

// WASIX wasm_value_type codes.
const (
	valueI32  = 0
	valueI64  = 1
	valueF32  = 2
	valueF64  = 3
	valueV128 = 4
)

// wasmOfValueType maps wasm_value_type codes to wasm types.
var wasmOfValueType = [...]wasm.ValType{
	valueI32: wasm.I32, valueI64: wasm.I64, valueF32: wasm.F32, valueF64: wasm.F64, valueV128: wasm.V128,
}

// valueTypeOf returns the wasm_value_type code of t, or false for a type
// the buffers cannot hold (references).
func valueTypeOf(t wasm.ValType) (uint8, bool) {
	for code, w := range wasmOfValueType {
		if w == t {
			return uint8(code), true
		}
	}
	return 0, false
}

// packable reports whether every type can be packed (each value takes
// its ByteSize, one after the other), and their total size.
func packable(types []wasm.ValType) (uint64, bool) {
	var n uint64
	for _, t := range types {
		s := uint64(t.ByteSize())
		if s == 0 {
			return 0, false
		}
		n += s
	}
	return n, true
}

// slotCount is the stack slots of types (a v128 takes two).
func slotCount(types []wasm.ValType) int {
	n := len(types)
	for _, t := range types {
		if t == wasm.V128 {
			n++
		}
	}
	return n
}

// unpack reads values of types from buf into stack slots; the values
// past the end of buf (non-strict calls) are zero.
func unpack(buf []byte, types []wasm.ValType, slots []uint64) {
	j := 0
	var off uint64
	for _, t := range types {
		s := uint64(t.ByteSize())
		var v [16]byte
		if off < uint64(len(buf)) {
			copy(v[:], buf[off:min(off+s, uint64(len(buf)))])
		}
		off += s
		switch s {
		case 4:
			slots[j] = uint64(binary.LittleEndian.Uint32(v[:]))
		case 8:
			slots[j] = binary.LittleEndian.Uint64(v[:])
		case 16:
			slots[j] = binary.LittleEndian.Uint64(v[:])
			slots[j+1] = binary.LittleEndian.Uint64(v[8:])
			j++
		}
		j++
	}
}

// pack writes the values of types in stack slots into buf, as many whole
// values as fit (non-strict calls drop the others).
func pack(buf []byte, types []wasm.ValType, slots []uint64) {
	j := 0
	var off uint64
	for _, t := range types {
		s := uint64(t.ByteSize())
		if off+s > uint64(len(buf)) {
			return
		}
		switch s {
		case 4:
			binary.LittleEndian.PutUint32(buf[off:], uint32(slots[j]))
		case 8:
			binary.LittleEndian.PutUint64(buf[off:], slots[j])
		case 16:
			binary.LittleEndian.PutUint64(buf[off:], slots[j])
			binary.LittleEndian.PutUint64(buf[off+8:], slots[j+1])
			j++
		}
		off += s
		j++
	}
}

// indirectTable returns table 0 of the calling instance, or nil.
func indirectTable(m wasi.Mem) *kiln.Table {
	inst := callerInstance(m)
	if inst == nil {
		return nil
	}
	return inst.TableAt(0)
}

// tableFunc returns the function at index id of the caller's indirect
// function table: EINVAL for an index outside it (or beyond 32 bits), a
// null or non-function element, or a caller without a table.
func tableFunc(m wasi.Mem, id uint64) (*kiln.Func, kernel.Errno) {
	tab := indirectTable(m)
	if tab == nil || id > 0xffffffff {
		return nil, kernel.EINVAL
	}
	v, ok := tab.Get(uint32(id))
	if !ok {
		return nil, kernel.EINVAL
	}
	f, _ := v.Ref.(*kiln.Func)
	if f == nil {
		return nil, kernel.EINVAL
	}
	return f, kernel.ESUCCESS
}

// freshMem is m after a call back into the guest, which may have grown
// the memory: the bytes are taken again.
func freshMem(m wasi.Mem) wasi.Mem {
	if c := m.Caller(); c != nil && c.Memory() != nil {
		return wasi.NewMem(c.Memory().Bytes(), m.Is64())
	}
	return m
}

// callDynamic is call_dynamic(function_id, values, values_len, results,
// results_len, strict): call the function at function_id of the indirect
// function table with the arguments packed in values and pack its
// results into results. Strict calls want both lengths exact (EINVAL
// before anything runs, where the reference runtime checks the results'
// length after the call); otherwise missing arguments are zero and
// results that do not fit are dropped. A buffer outside memory is EFAULT,
// also checked before the call.
func callDynamic(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	values, valuesLen, results, resultsLen, strict := a[1], a[2], a[3], a[4], uint32(a[5]) != 0
	f, e := tableFunc(m, a[0])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	ft := f.Type()
	argBytes, ok1 := packable(ft.Params)
	resBytes, ok2 := packable(ft.Results)
	if !ok1 || !ok2 {
		return kernel.EINVAL, nil
	}
	if strict && (valuesLen != argBytes || resultsLen != resBytes) {
		return kernel.EINVAL, nil
	}
	in, e := m.Bytes(values, min(valuesLen, argBytes))
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(results, min(resultsLen, resBytes)); e != kernel.ESUCCESS {
		return e, nil
	}
	stack := make([]uint64, max(slotCount(ft.Params), slotCount(ft.Results)))
	unpack(in, ft.Params, stack)
	if err := f.CallInto(ctx, stack); err != nil {
		return 0, err
	}
	out, e := freshMem(m).Bytes(results, min(resultsLen, resBytes))
	if e != kernel.ESUCCESS {
		return e, nil // the memory cannot shrink; kept for safety
	}
	pack(out, ft.Results, stack)
	return kernel.ESUCCESS, nil
}

// reflectSignature is reflect_signature(function_id, argument_types,
// argument_types_len, result_types, result_types_len, result): the type
// of a table entry as wasm_value_type codes and a reflection_result
// {u8 cacheable; u16 arguments; u16 results} (6 bytes). As in the
// reference runtime the counts are written even when the type buffers
// are too short (EOVERFLOW, buffers untouched), and zero counts with
// EINVAL for an index outside the table or a null entry; cacheable is 0
// for a closure slot, whose function may change, 1 otherwise. A
// signature with reference types is EINVAL.
func reflectSignature(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	argTypes, argCap, resTypes, resCap, out := a[1], uint16(a[2]), a[3], uint16(a[4]), a[5]
	if _, e := m.Bytes(out, 6); e != kernel.ESUCCESS {
		return e, nil
	}
	write := func(cacheable uint8, nargs, nres int) {
		b, _ := m.Bytes(out, 6)
		b[0], b[1] = cacheable, 0
		binary.LittleEndian.PutUint16(b[2:], uint16(nargs))
		binary.LittleEndian.PutUint16(b[4:], uint16(nres))
	}
	cacheable := uint8(1)
	if isClosure(t, m, a[0]) {
		cacheable = 0
	}
	f, e := tableFunc(m, a[0])
	if e != kernel.ESUCCESS {
		write(cacheable, 0, 0)
		return e, nil
	}
	ft := f.Type()
	if len(ft.Params) > 0xffff || len(ft.Results) > 0xffff {
		write(cacheable, 0, 0)
		return kernel.EINVAL, nil
	}
	write(cacheable, len(ft.Params), len(ft.Results))
	if len(ft.Params) > int(argCap) || len(ft.Results) > int(resCap) {
		return kernel.EOVERFLOW, nil
	}
	codes := func(types []wasm.ValType) ([]byte, bool) {
		b := make([]byte, len(types))
		for i, t := range types {
			c, ok := valueTypeOf(t)
			if !ok {
				return nil, false
			}
			b[i] = c
		}
		return b, true
	}
	pc, ok1 := codes(ft.Params)
	rc, ok2 := codes(ft.Results)
	if !ok1 || !ok2 {
		return kernel.EINVAL, nil
	}
	pb, e := m.Bytes(argTypes, uint64(len(pc)))
	if e != kernel.ESUCCESS {
		return e, nil
	}
	rb, e := m.Bytes(resTypes, uint64(len(rc)))
	if e != kernel.ESUCCESS {
		return e, nil
	}
	copy(pb, pc)
	copy(rb, rc)
	return kernel.ESUCCESS, nil
}

// errDynamic wraps the errors of a closure's trampoline, which cannot
// return an errno.
func errDynamic(format string, args ...any) error {
	return fmt.Errorf("wasix closure: "+format, args...)
}
