package difftest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
)

// Outcome is what one export call observed.
type Outcome struct {
	Export string
	// Values are the results as exact text ("i32:4294967295",
	// "v128 i32x4:0x00000001 0x00000002 0x00000003 0x00000004").
	Values []string
	// Trap is the kind of trap ("" when the call returned): one of the
	// trap* constants.
	Trap string
	// Inconclusive is set when the engine gave up for a reason the
	// specification leaves to the engine (fuel, resource limits).
	Inconclusive string
}

func (o Outcome) String() string {
	switch {
	case o.Inconclusive != "":
		return fmt.Sprintf("%s() => inconclusive: %s", o.Export, o.Inconclusive)
	case o.Trap != "":
		return fmt.Sprintf("%s() => trap: %s", o.Export, o.Trap)
	}
	return fmt.Sprintf("%s() => %s", o.Export, strings.Join(o.Values, ", "))
}

// Trap kinds shared by every engine's report.
const (
	trapUnreachable   = "unreachable"
	trapDivZero       = "integer divide by zero"
	trapOverflow      = "integer overflow"
	trapConversion    = "invalid conversion to integer"
	trapMemory        = "out of bounds memory access"
	trapTable         = "out of bounds table access"
	trapIndirectType  = "indirect call type mismatch"
	trapUndefined     = "undefined element"
	trapUninitialized = "uninitialized element"
	trapStack         = "call stack exhausted"
)

var kilnTraps = map[kiln.TrapCode]string{
	kiln.TrapUnreachable:                trapUnreachable,
	kiln.TrapIntegerDivideByZero:        trapDivZero,
	kiln.TrapIntegerOverflow:            trapOverflow,
	kiln.TrapInvalidConversionToInteger: trapConversion,
	kiln.TrapOutOfBoundsMemoryAccess:    trapMemory,
	kiln.TrapOutOfBoundsTableAccess:     trapTable,
	kiln.TrapIndirectCallTypeMismatch:   trapIndirectType,
	kiln.TrapUndefinedElement:           trapUndefined,
	kiln.TrapUninitializedElement:       trapUninitialized,
	kiln.TrapCallStackExhausted:         trapStack,
}

// FormatValue renders a result value exactly.
func FormatValue(v kiln.Value) string {
	switch v.Type {
	case wasm.I32:
		return fmt.Sprintf("i32:%d", uint32(v.Lo))
	case wasm.I64:
		return fmt.Sprintf("i64:%d", v.Lo)
	case wasm.F32:
		return fmt.Sprintf("f32:%#08x", uint32(v.Lo))
	case wasm.F64:
		return fmt.Sprintf("f64:%#016x", v.Lo)
	case wasm.V128:
		return fmt.Sprintf("v128 i32x4:0x%08x 0x%08x 0x%08x 0x%08x",
			uint32(v.Lo), uint32(v.Lo>>32), uint32(v.Hi), uint32(v.Hi>>32))
	}
	if v.IsNull() {
		return v.Type.String() + ":null"
	}
	return v.Type.String() + ":non-null"
}

// CallError classifies the error of a kiln call: it returns the trap kind,
// or an inconclusive reason, or an error when err is neither (a bug).
func CallError(err error) (trap, inconclusive string, bug error) {
	var tr *kiln.Trap
	switch {
	case err == nil:
		return "", "", nil
	case errors.Is(err, kiln.ErrFuelExhausted):
		return "", "fuel exhausted", nil
	case errors.As(err, &tr):
		if kind, ok := kilnTraps[tr.Code]; ok {
			return kind, "", nil
		}
		return "", "", fmt.Errorf("trap of unexpected kind: %w", err)
	}
	return "", "", fmt.Errorf("call failed with an error that is no trap: %w", err)
}

// RunKiln compiles and instantiates bin once and calls every exported
// function in export order with args(i, export) as arguments, the way
// wasm-interp --run-all-exports does. It returns an error only for
// failures that are kiln bugs for a valid module (compile or instantiate
// errors, non-trap call errors, results that do not match the signature).
func RunKiln(ctx context.Context, rt *kiln.Runtime, bin []byte, args func(fn *kiln.Func) []kiln.Value) ([]Outcome, error) {
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("valid module rejected: %w", err)
	}
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		return nil, fmt.Errorf("instantiate: %w", err)
	}
	var out []Outcome
	for _, x := range inst.Exports() {
		fn := inst.Func(x.Name)
		if fn == nil {
			continue
		}
		var a []kiln.Value
		if args != nil {
			a = args(fn)
		}
		res, err := fn.CallValues(ctx, a)
		o := Outcome{Export: x.Name}
		var bug error
		o.Trap, o.Inconclusive, bug = CallError(err)
		if bug != nil {
			return out, fmt.Errorf("%s: %w", x.Name, bug)
		}
		if err == nil {
			ft := fn.Type()
			if len(res) != len(ft.Results) {
				return out, fmt.Errorf("%s: %d results for %s", x.Name, len(res), ft)
			}
			for i, v := range res {
				if v.Type != ft.Results[i] {
					return out, fmt.Errorf("%s: result %d has type %v, want %v", x.Name, i, v.Type, ft.Results[i])
				}
				o.Values = append(o.Values, FormatValue(v))
			}
		}
		out = append(out, o)
	}
	return out, nil
}
