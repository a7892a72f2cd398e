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
	binop := func(in *wasm.Instr, t wasm.ValType) {
		n := len(stack)
		if n < 2 || stack[n-1] != t || stack[n-2] != t {
			if typeErr == nil {
				typeErr = fail(in, "type mismatch: %s needs two %s operands, stack has %s", in.Op, t, typeList(stack))
			}
			stack = stack[:0]
			return
		}
		stack = stack[:n-1]
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
			switch {
			case in.Heap == wasm.HeapFunc:
				stack = append(stack, wasm.FuncRef)
			case in.Heap == wasm.HeapExtern:
				stack = append(stack, wasm.ExternRef)
			case in.Heap >= 0 && uint64(in.Heap) < uint64(len(mc.m.Types)):
				stack = append(stack, wasm.RefType(true, in.Heap))
			default:
				return fail(&in, "unknown type %s", in.Heap)
			}
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
