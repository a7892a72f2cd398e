package wasi

import (
	"context"
	"errors"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasm"
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

// Register instantiates the wasi_snapshot_preview1 and wasi-threads
// ("wasi") host modules in rt's registry. Their functions serve the
// process bound to the calling instance (System.ModuleConfig, see
// ThreadOf) and s for instances bound to none, so that a runtime holding
// one registration serves one process with plain kiln.ModuleConfig{}
// too. Several processes in one runtime use their own Linkers instead
// (System.Link), which Run does.
func (s *System) Register(ctx context.Context, rt *kiln.Runtime) error {
	if _, err := hostModule(rt, ModuleName, preview1, false, s).Instantiate(ctx); err != nil {
		return fmt.Errorf("wasi: %w", err)
	}
	if _, err := threadsModule(rt, s).Instantiate(ctx); err != nil {
		return fmt.Errorf("wasi: %w", err)
	}
	return nil
}

// Link prepares the process's linker (System.Linker) for instances of
// cm: it defines wasi_snapshot_preview1 and wasi-threads' "wasi" there,
// bound to no process (each call serves the caller's, see ThreadOf), and
// for every memory cm imports from a module that neither the linker nor
// rt's registry provides, it creates the memory from the import's type
// (a shared memory, for a threaded program: wasi-threads and WASIX
// programs import env.memory), charged to the process's quota. Modules
// already defined in the linker are kept.
func (s *System) Link(ctx context.Context, rt *kiln.Runtime, cm *kiln.CompiledModule) error {
	l := s.linker
	if l.Lookup(ModuleName) == nil {
		inst, err := NewModule(ctx, rt, ModuleName, preview1, false)
		if err != nil {
			return err
		}
		l.Define(ModuleName, inst)
	}
	if l.Lookup(ThreadsModule) == nil {
		inst, err := threadsModule(rt, nil).Build(ctx)
		if err != nil {
			return fmt.Errorf("wasi: %w", err)
		}
		l.Define(ThreadsModule, inst)
	}
	mems := map[string]*kiln.HostModuleBuilder{}
	var order []string
	for _, imp := range cm.Module().Imports {
		if imp.Kind != wasm.ExternMemory || l.Lookup(imp.Module) != nil || rt.Lookup(imp.Module) != nil {
			continue
		}
		b := mems[imp.Module]
		if b == nil {
			b = rt.NewHostModule(imp.Module).Limiter(s.ModuleConfig().Limiter)
			mems[imp.Module] = b
			order = append(order, imp.Module)
		}
		b.MemoryOfType(imp.Name, imp.Mem)
	}
	for _, name := range order {
		inst, err := mems[name].Build(ctx)
		if err != nil {
			return fmt.Errorf("wasi: imported memory: %w", err)
		}
		l.Define(name, inst)
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
	s.recordQuota(ctx, detail, err)
	return err
}

// recordQuota records a run ended by a quota (detail names it) in the
// audit log, or sends it to the embedder's Auditor.
func (s *System) recordQuota(ctx context.Context, detail string, err error) {
	ctx = context.WithoutCancel(ctx)
	if s.audit == nil && s.auditor != nil {
		// The embedder's own Auditor receives everything else too.
		s.auditor.Audit(ctx, kernel.AuditEvent{Op: kernel.OpQuota, Err: fmt.Errorf("%s: %w", detail, err)})
		return
	}
	var tid int32 // 0: no thread of the process made it (the CPU meter's trip)
	if t := kernel.CallerThread(ctx); t != nil && t.Process() == s.proc {
		tid = int32(t.ID())
	}
	s.audit.Record(ctx, sandbox.Event{Module: s.who.Module, PID: s.who.PID, TID: tid,
		Op: sandbox.OpQuota, Detail: detail, Decision: sandbox.DecisionDenied, Err: err})
}

func (s *System) run(ctx context.Context, rt *kiln.Runtime, cm *kiln.CompiledModule) (uint32, error) {
	if err := s.Link(ctx, rt, cm); err != nil {
		return 0, err
	}
	ctx, stop := s.Enter(ctx)
	defer stop()
	inst, err := rt.Instantiate(ctx, cm, s.ModuleConfig())
	if err != nil {
		var x *ExitError
		if !errors.As(err, &x) && s.proc.Lifetime().Err() == nil {
			err = fmt.Errorf("wasi: instantiate: %w", err)
		}
		return s.Finish(err)
	}
	defer inst.Close(ctx)
	start := inst.Func(StartFunc)
	if start == nil {
		return s.Finish(fmt.Errorf("wasi: module has no %s export (not a WASI command)", StartFunc))
	}
	if t := start.Type(); len(t.Params) != 0 || len(t.Results) != 0 {
		return s.Finish(fmt.Errorf("wasi: %s has type %v, want [] -> []", StartFunc, t))
	}
	return s.Finish(s.CallStart(ctx, inst))
}

// CallStart calls inst's _start (an instance of the process's program,
// made with ModuleConfig) and, when the process has a resume hook
// (SetResume), lets it decide after each return whether to call _start
// again: the asyncify protocol returns to the top after an unwind, and
// the hook rewinds (WASIX fork and setjmp/longjmp).
func (s *System) CallStart(ctx context.Context, inst *kiln.Instance) error {
	start := inst.Func(StartFunc)
	if start == nil {
		return fmt.Errorf("wasi: module has no %s export (not a WASI command)", StartFunc)
	}
	defer s.MeterCPU()()
	for {
		if _, err := start.Call(ctx); err != nil || s.resume == nil {
			return err
		}
		again, err := s.resume(ctx, inst)
		if err != nil || !again {
			return err
		}
	}
}

// SetResume sets the hook CallStart runs each time _start returns: it
// reports whether to call _start again. Set it before the process runs.
func (s *System) SetResume(fn func(ctx context.Context, inst *kiln.Instance) (again bool, err error)) {
	s.resume = fn
}

// Enter returns the context for the calls of the process's main thread
// (instantiation, _start or other exports): it ends with ctx and also
// when another thread ends the process. Threads spawned later run under
// ctx (its deadline and cancellation). Call stop once the process is
// done. Run does this; embedders that call exports themselves use Enter
// and Finish.
func (s *System) Enter(ctx context.Context) (_ context.Context, stop context.CancelFunc) {
	s.threads.setBase(ctx)
	if s.auditor != nil {
		ctx = kernel.WithThread(ctx, s.proc.MainThread())
	}
	return s.threadContext(ctx)
}

// Finish ends the process after its main thread's call ended with err and
// returns its exit code, or the error that ended it: returning from
// _start is exit(0); ErrThreadExit from the main thread waits for the
// other threads, and the end of the last is exit(0); a trap or another
// error ends the process with that error, unless the process had ended
// already (another thread called proc_exit or trapped: the main thread
// was stopped because of it). Every thread has stopped when it returns.
func (s *System) Finish(err error) (uint32, error) {
	var x *ExitError
	switch {
	case err == nil:
		s.proc.Exit(0)
	case errors.Is(err, ErrThreadExit):
		s.threads.wait()
		s.proc.Exit(0)
	case errors.As(err, &x):
	default:
		s.proc.Terminate(err)
	}
	s.threads.wait()
	st, _ := s.proc.Status()
	if st.Err != nil {
		return 0, st.Err
	}
	return st.Code, nil
}

// Run runs the WASI command cm as the process cfg describes and releases
// the process afterwards. The host modules are defined in the process's
// own Linker (System.Link), so the runtime's registry is left as it was
// and other processes may run in rt at the same time. See System.Run for
// the results.
func Run(ctx context.Context, rt *kiln.Runtime, cm *kiln.CompiledModule, cfg Config) (uint32, error) {
	s, err := New(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	return s.Run(ctx, rt, cm)
}
