// Package wasi implements the wasi_snapshot_preview1 ABI (WASI preview 1)
// over kiln's kernel.
//
// The package only marshals: it reads parameters and structures out of the
// calling instance's linear memory, calls the matching kernel.Process
// operation and writes the results back, with layouts and errno numbers as
// the witx definitions give them. The rules about descriptors, rights and
// paths live in package kernel.
//
// A System is one guest process: New builds it from a Config (arguments,
// environment, standard streams, preopened mounts), and Run links a
// command module (System.Link), instantiates it and calls its _start
// export. Many processes may share one kiln.Runtime: each instance is
// bound to its process's thread through kiln.ModuleConfig.HostContext
// (System.ModuleConfig), host functions find it with ThreadOf(caller),
// and each process resolves its imports through its own kiln.Linker
// (System.Linker), where Link defines wasi_snapshot_preview1, the
// wasi-threads module "wasi" and the memories the module imports (a
// shared env.memory for a threaded program); the package-level Run does
// the same and leaves the runtime's registry alone. Instantiate/Register
// put the host modules in the runtime's registry instead, serving the one
// process given when the calling instance is bound to none.
//
// One dispatch path: preview 1 is a table of Functions (Preview1), and
// extensions such as package wasix build their modules from tables of the
// same type with NewModule; Function.Params marks pointer parameters 'p'
// so that one table serves 32-bit and 64-bit (memory64) guests, and Mem is
// the bounds-checked guest memory with 64-bit pointers.
//
// Threads (wasi-threads): thread-spawn instantiates the module again over
// the same shared memory and runs wasi_thread_start(tid, arg) on its own
// goroutine (System.Spawn). proc_exit or a trap in any thread ends the
// process; the other threads stop wherever they are, and Run returns
// once every thread has. Limits.Threads caps live threads (EAGAIN,
// audited); threads draw fuel from the process's account and run under
// its wall-time quota.
//
// The sandbox: Config.Policy (a sandbox.Policy: mounts, environment,
// network rules) grants capabilities, Config.Limits sets quotas (the
// kernel enforces descriptors, sockets and bytes written, sent and
// received; Run the wall time; the engine charges the total of all
// memories and tables and the fuel of every call through
// System.ModuleConfig, which Run uses) and Config.Audit records every
// sensitive operation, denial and quota hit. A blocking call (fd_read on
// a pipe, terminal or socket, sock_recv, sock_accept, poll_oneoff) whose
// context ends stops the run with the context's error instead of handing
// the guest an errno it could ignore.
//
// Invariants:
//   - Guest memory is accessed only through bounds-checked helpers: a
//     pointer or length outside the memory makes the call return EFAULT,
//     never a panic. Output locations are checked before an operation has
//     side effects, so a bad result pointer does not leak a descriptor.
//   - What one call makes the host allocate is bounded (paths of 4096
//     bytes, 1024 iovecs, 65536 poll subscriptions), not proportional to
//     the guest's memory.
//   - proc_exit (and proc_raise of a terminating signal) ends the run with
//     an *ExitError carrying the exit code, which callers distinguish from
//     a trap with errors.As.
//   - A System owns its kernel process; Close releases every descriptor.
package wasi
