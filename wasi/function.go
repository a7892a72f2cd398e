package wasi

import (
	"context"
	"errors"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasm"
)

// Function is one host function of a WASI-family import module. WASI
// preview 1 (Preview1) and the WASIX modules (package wasix) are tables
// of Functions, turned into host modules by NewModule and run through one
// dispatch path: find the calling thread (ThreadOf), wrap the caller's
// memory (Mem), call Fn, store its errno, and end the run on its error.
type Function struct {
	Name string
	// Params spells the wasm parameter types: 'i' i32, 'I' i64, 'p' a
	// pointer or size, i32 in a 32-bit module and i64 in a 64-bit one
	// (wasix_64v1).
	Params string
	// NoResult marks a function without result (proc_exit): it does not
	// return to the guest. Every other function returns an i32 errno.
	NoResult bool
	// Fn runs the call for thread t: a holds the parameters (an i32
	// zero-extended to 64 bits). The errno is the function's result. A
	// non-nil error ends the calling thread's run with it: an *ExitError
	// when the process exits (after t.Process().Exit), ErrThreadExit
	// when only the thread ends.
	Fn func(ctx context.Context, t *Thread, m Mem, a []uint64) (kernel.Errno, error)
}

// Type returns the function's wasm type in a 32-bit or 64-bit module.
func (f *Function) Type(is64 bool) wasm.FuncType {
	var t wasm.FuncType
	for _, c := range f.Params {
		if c == 'I' || c == 'p' && is64 {
			t.Params = append(t.Params, wasm.I64)
		} else {
			t.Params = append(t.Params, wasm.I32)
		}
	}
	if !f.NoResult {
		t.Results = []wasm.ValType{wasm.I32}
	}
	return t
}

// ErrThreadExit ends the calling thread only (WASIX thread_exit): its
// instance stops and the process goes on while other threads run; the end
// of the last thread ends the process with exit code 0.
var ErrThreadExit = errors.New("wasi: thread exited")

// ErrUnbound is the error of a host call from an instance that no guest
// process is bound to (see ThreadOf).
var ErrUnbound = errors.New("wasi: the calling instance is not bound to a process (instantiate it with System.ModuleConfig)")

// errProcessEnded unwinds a thread whose blocking call was interrupted
// because another thread ended the process.
var errProcessEnded = errors.New("wasi: process ended")

// dispatch runs f for thread t with the parameters in stack and stores
// the errno result in stack[0]. A blocking call that ended because the
// run's context or the process did ends the run instead of handing the
// guest an errno it could act on.
func (f *Function) dispatch(ctx context.Context, t *Thread, m Mem, stack []uint64) error {
	if t.sys.auditor != nil {
		ctx = t.callerContext(ctx)
	}
	if tr := t.sys.tracer; tr != nil && tr.groups&traceGroup(f.Name) != 0 {
		return tr.call(ctx, f, t, m, stack)
	}
	return f.run(ctx, t, m, stack)
}

// run is dispatch without tracing.
func (f *Function) run(ctx context.Context, t *Thread, m Mem, stack []uint64) error {
	e, err := f.Fn(ctx, t, m, stack)
	if err != nil {
		return err
	}
	if e == kernel.ECANCELED {
		if err := ctx.Err(); err != nil {
			return err
		}
		if t.Process().Lifetime().Err() != nil {
			return errProcessEnded
		}
	}
	if !f.NoResult {
		stack[0] = uint64(e)
	}
	if after := t.sys.afterCall; after != nil {
		return after(ctx, t, m)
	}
	return nil
}

// NewModule builds a host module named name from funcs, not registered:
// define it in a kiln.Linker (or register it) for the modules that import
// it. is64 selects the i64 form of pointer parameters ('p') and 64-bit
// guest structures. The module serves every process: each call finds its
// process through the calling instance (ThreadOf).
func NewModule(ctx context.Context, rt *kiln.Runtime, name string, funcs []Function, is64 bool) (*kiln.Instance, error) {
	inst, err := hostModule(rt, name, funcs, is64, nil).Build(ctx)
	if err != nil {
		return nil, fmt.Errorf("wasi: module %s: %w", name, err)
	}
	return inst, nil
}

// hostModule defines funcs in a host module builder. fallback, when not
// nil, is the process of callers that no process is bound to (the
// registration of System.Register).
func hostModule(rt *kiln.Runtime, name string, funcs []Function, is64 bool, fallback *System) *kiln.HostModuleBuilder {
	b := rt.NewHostModule(name)
	for i := range funcs {
		f := &funcs[i]
		b.RawFunc(f.Name, f.Type(is64), func(ctx context.Context, c *kiln.Caller, stack []uint64) {
			t := ThreadOf(c)
			if t == nil {
				if fallback == nil {
					panic(ErrUnbound)
				}
				t = fallback.main
			}
			m := Mem{is64: is64, caller: c}
			if mem := c.Memory(); mem != nil {
				m.buf = mem.Bytes()
			}
			if err := f.dispatch(ctx, t, m, stack); err != nil {
				// A host function ends the run by panicking with
				// an error (see kiln.HostModuleBuilder.RawFunc).
				panic(err)
			}
		})
	}
	return b
}
