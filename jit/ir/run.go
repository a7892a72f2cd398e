package ir

import (
	"errors"
	"fmt"
)

// Env is what Run needs from outside the function: calls and globals.
type Env interface {
	Call(fn uint32, args []uint64) ([]uint64, error)
	GlobalGet(index uint32) (uint64, error)
	GlobalSet(index uint32, v uint64) error
}

// MemoryEnv is implemented by an Env that gives Run a linear memory
// (memory 0) for the memory instructions.
type MemoryEnv interface {
	// Memory is the memory's current contents.
	Memory() []byte
	// GrowMemory grows the memory by delta pages and returns the old
	// size in pages, or -1 when it cannot.
	GrowMemory(delta uint32) int32
}

// TableEnv is implemented by an Env that gives Run tables for
// OpCallIndirect.
type TableEnv interface {
	// CallIndirect calls element elem of table with args, trapping as
	// call_indirect does when it is missing or not of type typeIndex.
	CallIndirect(table, typeIndex, elem uint32, args []uint64) ([]uint64, error)
}

// ErrNoTable is returned by Run for OpCallIndirect when the Env is not a
// TableEnv.
var ErrNoTable = errors.New("ir: call_indirect without a TableEnv")

// ErrNoMemory is returned by Run for a memory instruction when the Env is
// not a MemoryEnv.
var ErrNoMemory = errors.New("ir: memory instruction without a MemoryEnv")

// TrapError is a trap raised while running IR.
type TrapError struct{ Message string }

func (e *TrapError) Error() string { return e.Message }

// ErrFuel is returned by Run when the step budget runs out.
var ErrFuel = errors.New("ir: step budget exhausted")

// Run interprets f: a reference semantics for the IR, against which the
// front end and every pass are tested. Values are raw bits (i32 in the
// low 32). *budget bounds the number of blocks entered; it is shared with
// nested calls made through env, and Run decrements it.
func Run(f *Func, env Env, args []uint64, budget *int) ([]uint64, error) {
	if len(args) != SlotCount(f.Sig.Params) {
		return nil, fmt.Errorf("ir: %s takes %d argument slots, got %d", f.Name, SlotCount(f.Sig.Params), len(args))
	}
	vals := make([]uint64, f.NumValues())
	hi := make([]uint64, f.NumValues()) // the high halves of v128 values
	b := f.Entry()
	unflatten(b.Params, args, vals, hi)
	var scratch, results []uint64
	for ; *budget > 0; *budget-- {
		for _, v := range b.Insts {
			var r uint64
			var err error
			if isSIMD(v) {
				r, hi[v.ID], err = stepSIMD(v, vals, hi, env)
			} else {
				r, err = step(v, vals, hi, env, &scratch, &results)
			}
			if err != nil {
				return nil, err
			}
			vals[v.ID] = r
		}
		var e Edge
		t := &b.Term
		switch t.Kind {
		case TermJump:
			e = t.Succs[0]
		case TermBranch:
			if uint32(vals[t.Cond.ID]) != 0 {
				e = t.Succs[0]
			} else {
				e = t.Succs[1]
			}
		case TermBrTable:
			i := uint64(uint32(vals[t.Cond.ID]))
			if i >= uint64(len(t.Succs)-1) {
				i = uint64(len(t.Succs) - 1)
			}
			e = t.Succs[i]
		case TermReturn:
			return flatten(nil, t.Rets, vals, hi), nil
		case TermTrap:
			return nil, &TrapError{Message: t.Trap.String()}
		default:
			return nil, fmt.Errorf("ir: %s: b%d has no terminator", f.Name, b.ID)
		}
		// Edge arguments are read before any parameter is written.
		scratch = scratch[:0]
		for _, a := range e.Args {
			scratch = append(scratch, vals[a.ID], hi[a.ID])
		}
		for i, p := range e.To.Params {
			vals[p.ID], hi[p.ID] = scratch[2*i], scratch[2*i+1]
		}
		b = e.To
	}
	return nil, ErrFuel
}

// step runs v; *results keeps the results of the last call for
// OpCallResult (a v128 in two slots).
func step(v *Value, vals, hi []uint64, env Env, scratch, results *[]uint64) (uint64, error) {
	switch v.Op {
	case OpCallResult:
		i := SlotCount(v.Args[0].Sig.Results[:v.Aux])
		if v.Type == V128 {
			hi[v.ID] = (*results)[i+1]
		}
		return (*results)[i], nil
	case OpMemoryFill, OpMemoryCopy:
		return 0, bulkStep(v, vals, env)
	case OpConst:
		return uint64(v.Aux), nil
	case OpGlobalGet:
		if v.Type == V128 {
			return v128GlobalGet(v, hi, env)
		}
		return env.GlobalGet(uint32(v.Aux))
	case OpGlobalSet:
		if v.Args[0].Type == V128 {
			return 0, v128GlobalSet(v, vals, hi, env)
		}
		return 0, env.GlobalSet(uint32(v.Aux), vals[v.Args[0].ID])
	case OpSelect:
		if v.Type == V128 {
			pick := v.Args[1]
			if uint32(vals[v.Args[2].ID]) != 0 {
				pick = v.Args[0]
			}
			hi[v.ID] = hi[pick.ID]
			return vals[pick.ID], nil
		}
	case OpLoad, OpStore, OpMemorySize, OpMemoryGrow:
		return memoryStep(v, vals, env)
	case OpCallIndirect:
		tenv, ok := env.(TableEnv)
		if !ok {
			return 0, ErrNoTable
		}
		n := len(v.Args) - 1
		res, err := tenv.CallIndirect(uint32(v.Aux>>32), uint32(v.Aux), uint32(vals[v.Args[n].ID]), flatten(nil, v.Args[:n], vals, hi))
		*results = res
		if err != nil || len(res) == 0 {
			return 0, err
		}
		if len(res) > 1 {
			hi[v.ID] = res[1]
		}
		return res[0], nil
	case OpCall:
		res, err := env.Call(uint32(v.Aux), flatten(nil, v.Args, vals, hi))
		*results = res
		if err != nil || len(res) == 0 {
			return 0, err
		}
		if len(res) > 1 {
			hi[v.ID] = res[1]
		}
		return res[0], nil
	}
	if v.Op.IsRuntime() { // tables, segments and references: no Env for them
		return 0, fmt.Errorf("%w: %v", ErrNoTable, v.Op)
	}
	args := (*scratch)[:0]
	for _, a := range v.Args {
		args = append(args, vals[a.ID])
	}
	*scratch = args
	argType := v.Type
	if len(v.Args) > 0 {
		argType = v.Args[0].Type
	}
	r, ok := EvalOp(v.Op, argType, v.Type, args...)
	if ok {
		return r, nil
	}
	switch v.Op {
	case OpTruncS, OpTruncU:
		if argType == F32 && f32(args[0]) != f32(args[0]) || argType == F64 && f64(args[0]) != f64(args[0]) {
			return 0, &TrapError{Message: "invalid conversion to integer"}
		}
		return 0, &TrapError{Message: "integer overflow"}
	case OpDivS, OpDivU, OpRemS, OpRemU:
		if args[1] == 0 || argType == I32 && uint32(args[1]) == 0 {
			return 0, &TrapError{Message: "integer divide by zero"}
		}
		return 0, &TrapError{Message: "integer overflow"}
	}
	return 0, fmt.Errorf("ir: cannot run v%d = %v on %v", v.ID, v.Op, argType)
}

// errOutOfBounds is the trap of a memory access outside the memory.
var errOutOfBounds = &TrapError{Message: "out of bounds memory access"}

// ErrUncheckedAccess is returned by Run when an access marked unchecked
// (see Value.BoundsCheck) falls outside the memory: a pass's proof was
// wrong. It is not a trap.
var ErrUncheckedAccess = errors.New("ir: unchecked memory access out of bounds")

func memoryStep(v *Value, vals []uint64, env Env) (uint64, error) {
	menv, ok := env.(MemoryEnv)
	if !ok {
		return 0, fmt.Errorf("%w: %v", ErrNoMemory, v.Op)
	}
	mem := menv.Memory()
	switch v.Op {
	case OpMemorySize:
		return uint64(len(mem) / 65536), nil
	case OpMemoryGrow:
		return uint64(uint32(menv.GrowMemory(uint32(vals[v.Args[0].ID])))), nil
	}
	off, size, signed := v.Access()
	addr := uint64(uint32(vals[v.Args[0].ID]))
	ea := addr + uint64(off)
	if unchecked, _ := v.BoundsCheck(); unchecked {
		if ea+uint64(size) > uint64(len(mem)) {
			return 0, fmt.Errorf("%w: v%d at %#x", ErrUncheckedAccess, v.ID, ea)
		}
	} else if addr+v.CheckEnd() > uint64(len(mem)) {
		return 0, errOutOfBounds
	}
	b := mem[ea : ea+uint64(size)]
	if v.Op == OpStore {
		x := vals[v.Args[1].ID]
		for i := range b {
			b[i] = byte(x >> (8 * i))
		}
		return 0, nil
	}
	var x uint64
	for i := range b {
		x |= uint64(b[i]) << (8 * i)
	}
	if signed {
		shift := 64 - 8*size
		x = uint64(int64(x<<shift) >> shift)
	}
	if v.Type == I32 || v.Type == F32 {
		x = uint64(uint32(x))
	}
	return x, nil
}

// bulkStep runs memory.fill or memory.copy: the bounds are checked before
// anything is written, and copy moves overlapping bytes as memmove does.
func bulkStep(v *Value, vals []uint64, env Env) error {
	menv, ok := env.(MemoryEnv)
	if !ok {
		return fmt.Errorf("%w: %v", ErrNoMemory, v.Op)
	}
	mem := menv.Memory()
	d, x, n := uint64(uint32(vals[v.Args[0].ID])), uint64(uint32(vals[v.Args[1].ID])), uint64(uint32(vals[v.Args[2].ID]))
	if d+n > uint64(len(mem)) || v.Op == OpMemoryCopy && x+n > uint64(len(mem)) {
		return errOutOfBounds
	}
	if v.Op == OpMemoryCopy {
		copy(mem[d:d+n], mem[x:x+n])
		return nil
	}
	for i := range mem[d : d+n] {
		mem[d+uint64(i)] = byte(x)
	}
	return nil
}
