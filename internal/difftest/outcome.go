package difftest

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
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
	// Message is the trap's full message (Trap.Error, with its detail),
	// with RunOptions.Detail only.
	Message string
	// Backtrace is the trap's frames, innermost first, as "func@offset"
	// and the count of omitted ones, with RunOptions.Detail only.
	Backtrace string
	// Fuel is the fuel the call consumed, with RunOptions.Fuel only.
	Fuel uint64
	// State is the instance's exported memories (size and hash), tables
	// and globals after the call, with RunOptions.Detail only.
	State string
}

func (o Outcome) String() string {
	var s string
	switch {
	case o.Inconclusive != "":
		s = fmt.Sprintf("%s() => inconclusive: %s", o.Export, o.Inconclusive)
	case o.Trap != "":
		s = fmt.Sprintf("%s() => trap: %s", o.Export, o.Trap)
	default:
		s = fmt.Sprintf("%s() => %s", o.Export, strings.Join(o.Values, ", "))
	}
	if o.Message != "" {
		s += fmt.Sprintf(" (%q)", o.Message)
	}
	if o.Backtrace != "" {
		s += " at " + o.Backtrace
	}
	if o.Fuel != 0 {
		s += fmt.Sprintf(" fuel %d", o.Fuel)
	}
	if o.State != "" {
		s += " state " + o.State
	}
	return s
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

// RunOptions says how RunKiln calls the exports.
type RunOptions struct {
	// Args returns the arguments of a call (nil: none).
	Args func(fn *kiln.Func) []kiln.Value
	// Raw calls functions without reference parameters or results through
	// Func.Call (raw slots) instead of Func.CallValues.
	Raw bool
	// BeforeCall, when set, runs before each export call.
	BeforeCall func()
	// Fuel, when set, is the instance's fuel source: each Outcome
	// records the fuel its call consumed.
	Fuel *kiln.FuelTank
	// Detail records each trap's message and, after each call, the
	// instance's exported state (Outcome.Message, Outcome.State).
	Detail bool
}

// RunKiln compiles and instantiates bin once and calls every exported
// function in export order, the way wasm-interp --run-all-exports does.
// It returns an error only for failures that are kiln bugs for a valid
// module (compile or instantiate errors, non-trap call errors, results
// that do not match the signature).
func RunKiln(ctx context.Context, rt *kiln.Runtime, bin []byte, opts RunOptions) ([]Outcome, error) {
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("valid module rejected: %w", err)
	}
	return RunCompiled(ctx, rt, cm, opts)
}

// RunCompiled is RunKiln for a module compiled by rt.
func RunCompiled(ctx context.Context, rt *kiln.Runtime, cm *kiln.CompiledModule, opts RunOptions) ([]Outcome, error) {
	mc := kiln.ModuleConfig{}
	if opts.Fuel != nil {
		mc.FuelSource = opts.Fuel
	}
	inst, err := rt.Instantiate(ctx, cm, mc)
	if err != nil {
		return nil, fmt.Errorf("instantiate: %w", err)
	}
	var out []Outcome
	for _, x := range inst.Exports() {
		fn := inst.Func(x.Name)
		if fn == nil {
			continue
		}
		var args []kiln.Value
		if opts.Args != nil {
			args = opts.Args(fn)
		}
		if opts.BeforeCall != nil {
			opts.BeforeCall()
		}
		var res []kiln.Value
		var fuel0 uint64
		if opts.Fuel != nil {
			fuel0 = opts.Fuel.Consumed()
		}
		if opts.Raw && !hasRefs(fn.Type()) {
			res, err = callRaw(ctx, fn, args)
		} else {
			res, err = fn.CallValues(ctx, args)
		}
		o := Outcome{Export: x.Name}
		var bug error
		o.Trap, o.Inconclusive, bug = CallError(err)
		if bug != nil {
			return out, fmt.Errorf("%s: %w", x.Name, bug)
		}
		if opts.Fuel != nil {
			o.Fuel = opts.Fuel.Consumed() - fuel0
		}
		if opts.Detail {
			if o.Trap != "" {
				o.Message = err.Error()
				o.Backtrace = backtrace(err)
			}
			o.State = exportedState(inst)
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

func hasRefs(ft *wasm.FuncType) bool {
	for _, t := range append(append([]wasm.ValType(nil), ft.Params...), ft.Results...) {
		if t.IsRef() {
			return true
		}
	}
	return false
}

// callRaw calls fn through Func.Call: arguments and results as raw slots.
func callRaw(ctx context.Context, fn *kiln.Func, args []kiln.Value) ([]kiln.Value, error) {
	var slots []uint64
	for _, a := range args {
		slots = append(slots, a.Lo)
		if a.Type == wasm.V128 {
			slots = append(slots, a.Hi)
		}
	}
	raw, err := fn.Call(ctx, slots...)
	if err != nil {
		return nil, err
	}
	var res []kiln.Value
	for _, t := range fn.Type().Results {
		if len(raw) == 0 {
			return nil, fmt.Errorf("kiln.Func.Call returned too few slots for %s", fn.Type())
		}
		v := kiln.Value{Type: t, Lo: raw[0]}
		raw = raw[1:]
		if t == wasm.V128 {
			if len(raw) == 0 {
				return nil, fmt.Errorf("kiln.Func.Call returned too few slots for %s", fn.Type())
			}
			v.Hi, raw = raw[0], raw[1:]
		}
		res = append(res, v)
	}
	if len(raw) != 0 {
		return nil, fmt.Errorf("kiln.Func.Call returned %d extra slots for %s", len(raw), fn.Type())
	}
	return res, nil
}

// exportedState describes an instance's exported memories (pages and a
// CRC-32 of the contents), tables (size and each element's
// nullness) and globals (exact values), in export order.
func exportedState(inst *kiln.Instance) string {
	var sb strings.Builder
	for _, x := range inst.Exports() {
		switch {
		case inst.Memory(x.Name) != nil:
			m := inst.Memory(x.Name)
			fmt.Fprintf(&sb, "%s=%dp:%08x ", x.Name, m.Size(), crc32.ChecksumIEEE(m.Bytes()))
		case inst.Table(x.Name) != nil:
			t := inst.Table(x.Name)
			fmt.Fprintf(&sb, "%s=%d:", x.Name, t.Size())
			for i := uint32(0); i < t.Size(); i++ {
				v, _ := t.Get(i)
				if v.IsNull() {
					sb.WriteByte('0')
				} else {
					sb.WriteByte('1')
				}
			}
			sb.WriteByte(' ')
		case inst.Global(x.Name) != nil:
			fmt.Fprintf(&sb, "%s=%s ", x.Name, FormatValue(inst.Global(x.Name).Get()))
		}
	}
	return strings.TrimSpace(sb.String())
}

// backtrace renders the frames of a trap error: "f3@0x2a f0@0x11 +2"
// (function index, byte offset; the omitted-frame count last).
func backtrace(err error) string {
	var tr *kiln.Trap
	if !errors.As(err, &tr) {
		return ""
	}
	var b strings.Builder
	for i, f := range tr.Frames {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "f%d@%#x", f.FuncIndex, f.Offset)
	}
	if tr.OmittedFrames > 0 {
		fmt.Fprintf(&b, " +%d", tr.OmittedFrames)
	}
	return b.String()
}
