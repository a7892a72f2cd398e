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
	name, e := str(m, a[0], a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	args, e := str(m, a[2], a[3])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	env, e := str(m, a[4], a[5])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	pathEnv, e := str(m, a[7], a[8])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return execProgram(ctx, t, name, splitList(args), splitList(env), uint32(a[6]) != 0, pathEnv)
}

// procExec is the legacy proc_exec(name, args): exec keeping the
// environment; a failure ends the process with exit code 127.
func procExec(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return legacyExec(ctx, t, m, a[0], a[1], a[2], a[3], nil)
}

// procExec2 is the legacy proc_exec2(name, args, envs).
func procExec2(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return legacyExec(ctx, t, m, a[0], a[1], a[2], a[3], a[4:6])
}

func legacyExec(ctx context.Context, t *wasi.Thread, m wasi.Mem, namePtr, nameLen, argsPtr, argsLen uint64, envArg []uint64) (kernel.Errno, error) {
	name, e := str(m, namePtr, nameLen)
	var args, env string
	if e == kernel.ESUCCESS {
		args, e = str(m, argsPtr, argsLen)
	}
	envs := t.Process().Environ()
	if e == kernel.ESUCCESS && envArg != nil {
		env, e = str(m, envArg[0], envArg[1])
		envs = splitList(env)
	}
	if e == kernel.ESUCCESS {
		e, err := execProgram(ctx, t, name, splitList(args), envs, false, "")
		if err != nil {
			return e, err
		}
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
	return kernel.ESUCCESS, runCommand(ctx, p.tree.rt, p.sys, cm)
}
