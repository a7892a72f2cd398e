package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// invoke calls the export o.invoke with o.args as parameters (after the
// reactor initialiser _initialize, when exported) and prints the results.
func invoke(ctx context.Context, o *runOptions, sys *wasi.System, inst *kiln.Instance, stdout, stderr io.Writer) int {
	f := inst.Func(o.invoke)
	if f == nil {
		fmt.Fprintf(stderr, "kiln run: %s: no exported function %q\n", o.module, o.invoke)
		return exitUsage
	}
	typ := f.Type()
	if len(o.args) != len(typ.Params) {
		fmt.Fprintf(stderr, "kiln run: %s takes %d arguments (%v), got %d\n", o.invoke, len(typ.Params), typ, len(o.args))
		return exitUsage
	}
	slots := make([]uint64, len(o.args))
	for i, a := range o.args {
		v, err := parseValue(a, typ.Params[i])
		if err != nil {
			fmt.Fprintf(stderr, "kiln run: %s argument %d: %v\n", o.invoke, i+1, err)
			return exitUsage
		}
		slots[i] = v
	}
	for _, r := range typ.Results {
		if !r.IsNum() {
			fmt.Fprintf(stderr, "kiln run: %s returns %v, which cannot be printed\n", o.invoke, r)
			return exitUsage
		}
	}
	if o.invoke != wasi.InitializeFunc {
		if initf := inst.Func(wasi.InitializeFunc); initf != nil {
			if _, err := initf.Call(ctx); err != nil {
				return finish(ctx, o, sys, err, stderr, wasi.InitializeFunc)
			}
		}
	}
	res, err := f.Call(ctx, slots...)
	if err != nil {
		return finish(ctx, o, sys, err, stderr, o.invoke)
	}
	for i, r := range typ.Results {
		fmt.Fprintln(stdout, formatValue(res[i], r))
	}
	return 0
}

// parseValue parses a command-line argument as a wasm value of type t:
// integers in decimal or 0x hex, signed or unsigned; floats as Go
// float syntax (including inf and nan).
func parseValue(s string, t wasm.ValType) (uint64, error) {
	switch t {
	case wasm.I32:
		if v, err := strconv.ParseInt(s, 0, 32); err == nil {
			return uint64(uint32(v)), nil
		}
		v, err := strconv.ParseUint(s, 0, 32)
		if err != nil {
			return 0, fmt.Errorf("%q is not an i32", s)
		}
		return v, nil
	case wasm.I64:
		if v, err := strconv.ParseInt(s, 0, 64); err == nil {
			return uint64(v), nil
		}
		v, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not an i64", s)
		}
		return v, nil
	case wasm.F32:
		v, err := strconv.ParseFloat(s, 32)
		if err != nil {
			return 0, fmt.Errorf("%q is not an f32", s)
		}
		return uint64(math.Float32bits(float32(v))), nil
	case wasm.F64:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not an f64", s)
		}
		return math.Float64bits(v), nil
	}
	return 0, fmt.Errorf("parameters of type %v cannot be given on the command line", t)
}

// formatValue prints a result: integers signed decimal, floats in the
// shortest form that reads back exactly.
func formatValue(v uint64, t wasm.ValType) string {
	switch t {
	case wasm.I32:
		return strconv.FormatInt(int64(int32(uint32(v))), 10)
	case wasm.I64:
		return strconv.FormatInt(int64(v), 10)
	case wasm.F32:
		return strconv.FormatFloat(float64(math.Float32frombits(uint32(v))), 'g', -1, 32)
	case wasm.F64:
		return strconv.FormatFloat(math.Float64frombits(v), 'g', -1, 64)
	}
	return fmt.Sprintf("%#x", v)
}
