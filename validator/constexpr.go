package validator

import (
	"errors"
	"fmt"
	"io"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/wasm"
)

// checkConst checks that e is a constant expression producing one value of
// type want. Only the first globalLimit globals may be read, and only if
// they are immutable. Like the reference interpreter, it reports a
// non-constant instruction before any type error.
func (mc *moduleChecker) checkConst(e *wasm.ConstExpr, want wasm.ValType, globalLimit uint32, where string) error {
	if mc.constReader == nil {
		mc.constReader = decoder.NewInstrReader(e.Code, e.Offset, mc.features)
	} else {
		mc.constReader.Reset(e.Code, e.Offset, mc.features)
	}
	stack := mc.constStack[:0]
	defer func() { mc.constStack = stack[:0] }()
	fail := func(in *wasm.Instr, format string, args ...any) error {
		return &Error{Func: -1, Where: where, Offset: in.Offset, Op: in.Op, HasOp: true, Msg: fmt.Sprintf(format, args...)}
	}
	var typeErr error // the first type error, reported after constness
	// apply pops operands of types ins (deepest first) and pushes outs.
	apply := func(in *wasm.Instr, ins []wasm.ValType, outs ...wasm.ValType) {
		n := len(stack)
		ok := n >= len(ins)
		for i := 0; ok && i < len(ins); i++ {
			ok = mc.matches(stack[n-len(ins)+i], ins[i])
		}
		if !ok {
			if typeErr == nil {
				typeErr = fail(in, "type mismatch: %s needs %s, stack has %s", in.Op, typeList(ins), typeList(stack))
			}
			stack = stack[:0]
		} else {
			stack = stack[:n-len(ins)]
		}
		stack = append(stack, outs...)
	}
	binop := func(in *wasm.Instr, t wasm.ValType) { apply(in, []wasm.ValType{t, t}, t) }
	gc := func(in *wasm.Instr) error {
		if !mc.features.Has(wasm.FeatureGC) {
			return fail(in, "constant expression required")
		}
		return nil
	}
	var in wasm.Instr
	ended := false
	for {
		err := mc.constReader.Next(&in)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if ended {
			return &malformedError{fail(&in, "operators remaining after end of constant expression")}
		}
		switch in.Op {
		case wasm.OpI32Const:
			stack = append(stack, wasm.I32)
		case wasm.OpI64Const:
			stack = append(stack, wasm.I64)
		case wasm.OpF32Const:
			stack = append(stack, wasm.F32)
		case wasm.OpF64Const:
			stack = append(stack, wasm.F64)
		case wasm.OpV128Const:
			stack = append(stack, wasm.V128)
		case wasm.OpRefNull:
			t, err := mc.heapRefType(in.Heap, true)
			if err != nil {
				return fail(&in, "%v", err)
			}
			stack = append(stack, t)
		case wasm.OpRefFunc:
			if mc.funcType(in.Index) == nil {
				return fail(&in, "unknown function %d", in.Index)
			}
			mc.declare(in.Index)
			stack = append(stack, mc.refFuncType(in.Index))
		case wasm.OpGlobalGet:
			if in.Index >= globalLimit || uint64(in.Index) >= uint64(len(mc.globals)) {
				return fail(&in, "unknown global %d", in.Index)
			}
			g := mc.globals[in.Index]
			if g.Mutable {
				return fail(&in, "constant expression required: global %d is mutable", in.Index)
			}
			stack = append(stack, g.Type)
		case wasm.OpI32Add, wasm.OpI32Sub, wasm.OpI32Mul, wasm.OpI64Add, wasm.OpI64Sub, wasm.OpI64Mul:
			if !mc.features.Has(wasm.FeatureExtendedConst) {
				return fail(&in, "constant expression required")
			}
			t := wasm.I32
			if in.Op >= wasm.OpI64Add {
				t = wasm.I64
			}
			binop(&in, t)
		case wasm.OpStructNew, wasm.OpStructNewDefault, wasm.OpArrayNew, wasm.OpArrayNewDefault, wasm.OpArrayNewFixed:
			if err := gc(&in); err != nil {
				return err
			}
			ins, out, err := mc.allocOperands(&in)
			if err != nil {
				return fail(&in, "%v", err)
			}
			apply(&in, ins, out)
		case wasm.OpRefI31:
			if err := gc(&in); err != nil {
				return err
			}
			apply(&in, []wasm.ValType{wasm.I32}, wasm.RefType(false, wasm.HeapI31))
		case wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
			if err := gc(&in); err != nil {
				return err
			}
			from, to := wasm.HeapExtern, wasm.HeapAny
			if in.Op == wasm.OpExternConvertAny {
				from, to = to, from
			}
			null := true
			if n := len(stack); n > 0 && stack[n-1].IsRef() {
				null = stack[n-1].Nullable()
			}
			apply(&in, []wasm.ValType{wasm.RefType(true, from)}, wasm.RefType(null, to))
		case wasm.OpEnd:
			ended = true
		default:
			return fail(&in, "constant expression required")
		}
	}
	if !ended {
		return &malformedError{moduleError(where, e.Offset+len(e.Code), "unexpected end of section or function")}
	}
	if typeErr != nil {
		return typeErr
	}
	if len(stack) != 1 || !mc.matches(stack[0], want) {
		return moduleError(where, e.Offset, "type mismatch: constant expression must produce [%s], it produces %s", want, typeList(stack))
	}
	return nil
}
