package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// execFailed is the exit code of a process whose proc_exec or
// proc_exec2 failed: those calls cannot return an errno, and the ABI
// says the process then terminates (127, as a shell's "command not
// found").
const execFailed = 127

// procExec3 is proc_exec3(name, args, envs, search_path, PATH): execve
// (execvp with search_path). On success the program runs in place of the
// caller's, as the same process (PID, descriptors except close-on-exec
// ones, working directory, quotas) and the call never returns; otherwise
// it returns the errno (ENOENT, EPERM/EACCES from the spawn rules,
// ENOEXEC).
func procExec3(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	var name, args, env, pathEnv string
	if e := strs(m, a, &name, &args, &env); e != kernel.ESUCCESS {
		return e, nil
	}
	if e := strs(m, a[7:], &pathEnv); e != kernel.ESUCCESS {
		return e, nil
	}
	return execProgram(ctx, t, name, splitList(args), splitList(env), uint32(a[6]) != 0, pathEnv)
}

// procExec is the legacy proc_exec(name, args): exec keeping the
// environment; a failure ends the process with exit code 127.
func procExec(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return legacyExec(ctx, t, m, a, false)
}

// procExec2 is the legacy proc_exec2(name, args, envs).
func procExec2(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return legacyExec(ctx, t, m, a, true)
}

func legacyExec(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64, withEnv bool) (kernel.Errno, error) {
	var name, args, env string
	e := strs(m, a, &name, &args)
	envs := t.Process().Environ()
	if e == kernel.ESUCCESS && withEnv {
		e = strs(m, a[4:], &env)
		envs = splitList(env)
	}
	if e == kernel.ESUCCESS {
		vforked := vforkOf(t) != nil
		e, err := execProgram(ctx, t, name, splitList(args), envs, false, "")
		if err != nil || vforked && e == kernel.ESUCCESS {
			// Replaced, or (a vfork child) running apart from the
			// parent, which has its instance back.
			return e, err
		}
	}
	if v := vforkOf(t); v != nil {
		v.exit(execFailed)
		return kernel.ESUCCESS, nil
	}
	t.Process().Exit(execFailed)
	return kernel.ESUCCESS, &wasi.ExitError{Code: execFailed}
}

// execProgram replaces the calling process's program. The caller's
// instance is left where it stands (in the host call) and never resumes:
// the new program runs nested below it on the same thread, and its end
// (return from _start, proc_exit, a trap) unwinds both. A process with
// more than one live thread cannot exec (ENOTSUP): kiln stops threads
// only by ending the whole process.
func execProgram(ctx context.Context, t *wasi.Thread, name string, args, env []string, search bool, pathEnv string) (kernel.Errno, error) {
	p := procOf(t)
	if p == nil {
		return kernel.ENOTSUP, nil
	}
	k := t.Process()
	abs, cm, e := p.program(ctx, k, kernel.OpExec, name, search, pathEnv)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if k.NumThreads() > 1 {
		return kernel.ENOTSUP, nil
	}
	if len(args) == 0 {
		args = []string{name}
	}
	if e := k.Exec(abs, args, env); e != kernel.ESUCCESS {
		return e, nil
	}
	p.sig.exec()
	p.sys.NewLinker()
	if err := defineModules(ctx, p.tree.rt, p.sys); err != nil {
		return kernel.ESUCCESS, err
	}
	if v := p.vfork; v != nil {
		v.exec(cm)
		return kernel.ESUCCESS, nil
	}
	return kernel.ESUCCESS, runCommand(ctx, p.tree.rt, p.sys, cm)
}
