package kiln

import (
	"fmt"
	"math"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Value is a typed WebAssembly value. Numbers live in Lo: an i32 as its
// 32 bits zero-extended, f32 and f64 as IEEE bits. A v128 uses Lo for its
// low 8 bytes (lanes in memory order) and Hi for the high 8 bytes.
// References use Ref: a funcref is a *Func or nil, an externref is any Go
// value, nil meaning null. Values of the GC and exception proposals hold
// the engine's objects: *store.Struct, *store.Array, store.I31 and
// *store.Exception (see package store).
type Value struct {
	Type   wasm.ValType
	Lo, Hi uint64
	Ref    any
}

// ValueI32 returns an i32 value.
func ValueI32(v int32) Value { return Value{Type: wasm.I32, Lo: uint64(uint32(v))} }

// ValueI64 returns an i64 value.
func ValueI64(v int64) Value { return Value{Type: wasm.I64, Lo: uint64(v)} }

// ValueF32 returns an f32 value.
func ValueF32(v float32) Value { return Value{Type: wasm.F32, Lo: uint64(math.Float32bits(v))} }

// ValueF64 returns an f64 value.
func ValueF64(v float64) Value { return Value{Type: wasm.F64, Lo: math.Float64bits(v)} }

// ValueV128 returns a v128 value from its low and high 8 bytes.
func ValueV128(lo, hi uint64) Value { return Value{Type: wasm.V128, Lo: lo, Hi: hi} }

// ValueExtern returns an externref holding v (nil is the null reference).
func ValueExtern(v any) Value { return Value{Type: wasm.ExternRef, Ref: v} }

// ValueFunc returns a funcref to f (nil is the null reference).
func ValueFunc(f *Func) Value {
	if f == nil {
		return Value{Type: wasm.FuncRef}
	}
	return Value{Type: wasm.FuncRef, Ref: f}
}

// ValueNullRef returns the null reference of reference type t.
func ValueNullRef(t wasm.ValType) Value { return Value{Type: t} }

// I32 returns the value as an int32.
func (v Value) I32() int32 { return int32(uint32(v.Lo)) }

// I64 returns the value as an int64.
func (v Value) I64() int64 { return int64(v.Lo) }

// F32 returns the value as a float32.
func (v Value) F32() float32 { return math.Float32frombits(uint32(v.Lo)) }

// F64 returns the value as a float64.
func (v Value) F64() float64 { return math.Float64frombits(v.Lo) }

// IsNull reports whether a reference value is null.
func (v Value) IsNull() bool { return v.Ref == nil }

func (v Value) String() string {
	switch v.Type {
	case wasm.I32:
		return fmt.Sprintf("i32:%d", v.I32())
	case wasm.I64:
		return fmt.Sprintf("i64:%d", v.I64())
	case wasm.F32:
		return fmt.Sprintf("f32:%v", v.F32())
	case wasm.F64:
		return fmt.Sprintf("f64:%v", v.F64())
	case wasm.V128:
		return fmt.Sprintf("v128:%#016x:%#016x", v.Hi, v.Lo)
	}
	if v.Ref == nil {
		return v.Type.String() + ":null"
	}
	return fmt.Sprintf("%s:%v", v.Type, v.Ref)
}

// toRef converts a Value's reference to the store representation.
func (rt *Runtime) toRef(v Value) any {
	switch r := v.Ref.(type) {
	case nil:
		return nil
	case *Func:
		if r == nil {
			return nil
		}
		return r.f
	}
	return v.Ref
}

// fromRef converts a store reference of type t to a Value.
func (rt *Runtime) fromRef(t wasm.ValType, r any) Value {
	if f, ok := r.(*store.Function); ok && f != nil {
		return Value{Type: t, Ref: rt.wrapFunc(f)}
	}
	return Value{Type: t, Ref: r}
}

// checkValue reports whether v can be passed where type t is expected;
// types resolves the concrete type indices of t (nil when t has none).
// A reference is checked by its value: null only where t is nullable, and
// a non-null reference must belong to t's heap type.
func (rt *Runtime) checkValue(v Value, t wasm.ValType, types []*store.Type) error {
	if !t.IsRef() {
		if v.Type != t {
			return fmt.Errorf("kiln: value of type %s where %s is expected", v.Type, t)
		}
		return nil
	}
	if !v.Type.IsRef() {
		return fmt.Errorf("kiln: value of type %s where %s is expected", v.Type, t)
	}
	if h := t.Heap(); (h == wasm.HeapFunc || (h >= 0 && int(h) < len(types) && types[h].Kind == wasm.CompFunc)) && v.Ref != nil {
		if _, ok := v.Ref.(*Func); !ok {
			return fmt.Errorf("kiln: funcref holding %T, want *kiln.Func", v.Ref)
		}
	}
	r := rt.toRef(v)
	if r == nil {
		if !t.Nullable() {
			return fmt.Errorf("kiln: null where %s is expected", t)
		}
		return nil
	}
	if h := t.Heap(); h < 0 || int(h) < len(types) {
		if !store.HeapMatches(r, h, types) {
			return fmt.Errorf("kiln: reference %T is not a %s", v.Ref, t)
		}
	}
	return nil
}
