package ir

import (
	"encoding/binary"
	"fmt"

	"github.com/kilnrt/kiln/internal/numeric"
	"github.com/kilnrt/kiln/internal/simdops"
	"github.com/kilnrt/kiln/wasm"
)

// SlotCount is the number of 8-byte slots values of types ts take in
// argument and result lists (Run's, Env's and the engines'): a v128 takes
// two, its low half first.
func SlotCount(ts []Type) int {
	n := len(ts)
	for _, t := range ts {
		if t == V128 {
			n++
		}
	}
	return n
}

// flatten appends the slots of vs to out.
func flatten(out []uint64, vs []*Value, vals, hi []uint64) []uint64 {
	if out == nil {
		out = []uint64{}
	}
	for _, v := range vs {
		out = append(out, vals[v.ID])
		if v.Type == V128 {
			out = append(out, hi[v.ID])
		}
	}
	return out
}

// unflatten assigns slots to vs.
func unflatten(vs []*Value, slots []uint64, vals, hi []uint64) {
	i := 0
	for _, v := range vs {
		vals[v.ID] = slots[i]
		i++
		if v.Type == V128 {
			hi[v.ID] = slots[i]
			i++
		}
	}
}

// V128GlobalEnv is implemented by an Env whose globals may be v128.
type V128GlobalEnv interface {
	GlobalGetV128(index uint32) (numeric.V128, error)
	GlobalSetV128(index uint32, v numeric.V128) error
}

func v128GlobalGet(v *Value, hi []uint64, env Env) (uint64, error) {
	genv, ok := env.(V128GlobalEnv)
	if !ok {
		return 0, fmt.Errorf("ir: v128 global %d without a V128GlobalEnv", v.Aux)
	}
	x, err := genv.GlobalGetV128(uint32(v.Aux))
	hi[v.ID] = x.Hi
	return x.Lo, err
}

func v128GlobalSet(v *Value, vals, hi []uint64, env Env) error {
	genv, ok := env.(V128GlobalEnv)
	if !ok {
		return fmt.Errorf("ir: v128 global %d without a V128GlobalEnv", v.Aux)
	}
	a := v.Args[0]
	return genv.GlobalSetV128(uint32(v.Aux), numeric.V128{Lo: vals[a.ID], Hi: hi[a.ID]})
}

func isSIMD(v *Value) bool {
	return v.Op == OpV128Make || v.Op == OpSIMD || v.Op == OpSIMDLoad || v.Op == OpSIMDStore
}

// stepSIMD runs one SIMD operation: its result's low and high halves.
func stepSIMD(v *Value, vals, hi []uint64, env Env) (lo, high uint64, err error) {
	arg := func(i int) numeric.V128 {
		a := v.Args[i]
		return numeric.V128{Lo: vals[a.ID], Hi: hi[a.ID]}
	}
	switch v.Op {
	case OpV128Make:
		return vals[v.Args[0].ID], vals[v.Args[1].ID], nil
	case OpSIMD:
		op, lane := v.SIMDOp()
		var args [3]numeric.V128
		for i := range v.Args {
			args[i] = arg(i)
		}
		r := EvalSIMD(op, lane, args[:len(v.Args)]...)
		return r.Lo, r.Hi, nil
	}
	menv, ok := env.(MemoryEnv)
	if !ok {
		return 0, 0, fmt.Errorf("%w: %v", ErrNoMemory, v.Op)
	}
	mem := menv.Memory()
	op, lane := v.SIMDOp()
	off, size, _ := v.Access()
	ea := uint64(uint32(vals[v.Args[0].ID])) + uint64(off)
	if ea+uint64(size) > uint64(len(mem)) {
		return 0, 0, errOutOfBounds
	}
	p := mem[ea : ea+uint64(size)]
	var buf [16]byte
	switch {
	case op == wasm.OpV128Store:
		x := arg(1)
		binary.LittleEndian.PutUint64(p, x.Lo)
		binary.LittleEndian.PutUint64(p[8:], x.Hi)
		return 0, 0, nil
	case IsSIMDLaneMem(op):
		x := arg(1)
		binary.LittleEndian.PutUint64(buf[:], x.Lo)
		binary.LittleEndian.PutUint64(buf[8:], x.Hi)
		at := buf[int(lane)*size%16:][:size]
		if v.Op == OpSIMDStore {
			copy(p, at)
			return 0, 0, nil
		}
		copy(at, p)
	case op == wasm.OpV128Load:
		copy(buf[:], p)
	default:
		copy(buf[:], p)
		r := simdops.Load[op](binary.LittleEndian.Uint64(buf[:8]))
		return r.Lo, r.Hi, nil
	}
	return binary.LittleEndian.Uint64(buf[:8]), binary.LittleEndian.Uint64(buf[8:]), nil
}

// EvalSIMD computes the v128 instruction op (lane: its lane immediate) on
// args, scalars as raw bits in Lo; a scalar result is in Lo. Shuffle's
// third argument holds its lane indices. op must satisfy SIMDSupported.
func EvalSIMD(op wasm.Opcode, lane uint8, args ...numeric.V128) numeric.V128 {
	b2v := func(b bool) numeric.V128 {
		if b {
			return numeric.V128{Lo: 1}
		}
		return numeric.V128{}
	}
	switch op {
	case wasm.OpI8x16Shuffle:
		return numeric.I8x16Shuffle(args[0], args[1], args[2])
	case wasm.OpV128Bitselect:
		return numeric.V128Bitselect(args[0], args[1], args[2])
	}
	if f := simdops.Binary[op]; f != nil {
		return f(args[0], args[1])
	}
	if f := simdops.Unary[op]; f != nil {
		return f(args[0])
	}
	if f := simdops.Shift[op]; f != nil {
		return f(args[0], uint32(args[1].Lo))
	}
	if f := simdops.Test[op]; f != nil {
		return b2v(f(args[0]))
	}
	if f := simdops.Bitmask[op]; f != nil {
		return numeric.V128{Lo: uint64(f(args[0]))}
	}
	if f := simdops.Ternary[op]; f != nil {
		return f(args[0], args[1], args[2])
	}
	if f := simdops.Splat[op]; f != nil {
		return f(args[0].Lo)
	}
	if f := simdops.Extract[op]; f != nil {
		return numeric.V128{Lo: f(args[0], lane)}
	}
	if f := simdops.Replace[op]; f != nil {
		return f(args[0], lane, args[1].Lo)
	}
	panic(fmt.Sprintf("ir: EvalSIMD of %v", op))
}

func simdString(v *Value) string {
	op, lane := v.SIMDOp()
	s := " " + op.String()
	switch {
	case v.Op != OpSIMD:
		off, _, _ := v.Access()
		s += fmt.Sprintf(" offset=%d", off)
		if IsSIMDLaneMem(op) {
			s += fmt.Sprintf(" lane=%d", lane)
		}
	case simdops.Extract[op] != nil || simdops.Replace[op] != nil:
		s += fmt.Sprintf(" lane=%d", lane)
	}
	return s
}
