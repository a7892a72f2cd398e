package wasi

import (
	"context"
	"errors"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
)

// Instantiate creates the process described by cfg and registers it in rt
// as the host module wasi_snapshot_preview1, which modules instantiated in
// rt afterwards import. The caller must Close the System.
func Instantiate(ctx context.Context, rt *kiln.Runtime, cfg Config) (*System, error) {
	s, err := New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := s.Register(ctx, rt); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Register instantiates the wasi_snapshot_preview1 host module in rt,
// backed by s.
func (s *System) Register(ctx context.Context, rt *kiln.Runtime) error {
	b := rt.NewHostModule(ModuleName)
	for i := range functions {
		f := &functions[i]
		switch f.name {
		case "proc_exit":
			// Host functions end a run by returning an error, which
			// only the reflective form can do.
			b.Func(f.name, func(ctx context.Context, code uint32) error {
				_, err := procExit(s, []uint64{uint64(code)})
				return err
			})
		case "proc_raise":
			b.Func(f.name, func(ctx context.Context, sig uint32) (uint32, error) {
				e, err := procRaise(s, []uint64{uint64(sig)})
				return uint32(e), err
			})
		default:
			b.RawFunc(f.name, f.funcType(), func(ctx context.Context, c *kiln.Caller, stack []uint64) {
				e := f.fn(s, ctx, callerMemory(c), stack)
				if e == kernel.ECANCELED && ctx.Err() != nil {
					// A blocking call ended because the run's context
					// did: end the run with the context's error, as the
					// engine would at the guest's next loop iteration,
					// rather than let the guest act on the errno.
					panic(ctx.Err())
				}
				stack[0] = uint64(e)
			})
		}
	}
	if _, err := b.Instantiate(ctx); err != nil {
		return fmt.Errorf("wasi: %w", err)
	}
	return nil
}

// callerMemory returns the calling instance's memory; without one every
// pointer is out of range (EFAULT).
func callerMemory(c *kiln.Caller) guest {
	if m := c.Memory(); m != nil {
		return guest(m.Bytes())
	}
	return nil
}

// ExitCode reports the exit code carried by err when the guest ended the
// run with proc_exit (or a terminating proc_raise).
func ExitCode(err error) (uint32, bool) {
	var x *ExitError
	if errors.As(err, &x) {
		return x.Code, true
	}
	return 0, false
}

// StartFunc is the export a WASI command runs; InitializeFunc the one a
// reactor runs before any other export is called.
const (
	StartFunc      = "_start"
	InitializeFunc = "_initialize"
)

// Run instantiates the command module cm in rt (where s is registered)
// and calls its _start export. The exit code is 0 when _start returns and
// the proc_exit code when the guest exits; traps, fuel exhaustion and
// cancellation are returned as errors. A wall-time quota (Config.Limits)
// ends the run like a context deadline; the error then also matches
// sandbox.ErrQuotaExceeded. Quota hits are audited (see Outcome).
func (s *System) Run(ctx context.Context, rt *kiln.Runtime, cm *kiln.CompiledModule) (uint32, error) {
	if _, ok := s.quota.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = s.quota.Context(ctx)
		defer cancel()
	}
	code, err := s.run(ctx, rt, cm)
	return code, s.Outcome(ctx, err)
}

// Outcome records in the audit log (Config.Audit, or as an OpQuota event
// to Config.Auditor) a run that ended on a quota: fuel exhaustion
// (kiln.ErrFuelExhausted) or a passed deadline (a timeout or the
// wall-time quota); it returns err,
// wrapped with the context's cause when that is a
// *sandbox.QuotaExceeded. Embedders that call exports themselves can pass
// their call's error through it.
func (s *System) Outcome(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var detail string
	switch {
	case errors.Is(err, kiln.ErrFuelExhausted):
		detail = "fuel exhausted"
	case ctx.Err() == context.DeadlineExceeded:
		cause := context.Cause(ctx)
		detail = "wall time: " + cause.Error()
		if errors.Is(cause, sandbox.ErrQuotaExceeded) && !errors.Is(err, cause) {
			err = fmt.Errorf("%w (%w)", err, cause)
		}
	default:
		return err
	}
	ctx = context.WithoutCancel(ctx)
	if s.audit == nil && s.auditor != nil {
		// The embedder's own Auditor receives everything else too.
		s.auditor.Audit(ctx, kernel.AuditEvent{Op: kernel.OpQuota, Err: fmt.Errorf("%s: %w", detail, err)})
		return err
	}
	s.audit.Record(ctx, sandbox.Event{Module: s.who.Module, PID: s.who.PID, TID: s.who.TID,
		Op: sandbox.OpQuota, Detail: detail, Decision: sandbox.DecisionDenied, Err: err})
	return err
}

func (s *System) run(ctx context.Context, rt *kiln.Runtime, cm *kiln.CompiledModule) (uint32, error) {
	inst, err := rt.Instantiate(ctx, cm, s.ModuleConfig())
	if code, ok := ExitCode(err); ok {
		return code, nil
	}
	if err != nil {
		return 0, fmt.Errorf("wasi: instantiate: %w", err)
	}
	defer inst.Close(ctx)
	start := inst.Func(StartFunc)
	if start == nil {
		return 0, fmt.Errorf("wasi: module has no %s export (not a WASI command)", StartFunc)
	}
	if t := start.Type(); len(t.Params) != 0 || len(t.Results) != 0 {
		return 0, fmt.Errorf("wasi: %s has type %v, want [] -> []", StartFunc, t)
	}
	_, err = start.Call(ctx)
	if code, ok := ExitCode(err); ok {
		return code, nil
	}
	if err != nil {
		return 0, err
	}
	return 0, nil
}

// Run runs the WASI command cm as the process cfg describes, in a fresh
// registration of wasi_snapshot_preview1 in rt, and releases the process
// afterwards. See System.Run for the results.
func Run(ctx context.Context, rt *kiln.Runtime, cm *kiln.CompiledModule, cfg Config) (uint32, error) {
	s, err := Instantiate(ctx, rt, cfg)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	return s.Run(ctx, rt, cm)
}
