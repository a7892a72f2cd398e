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
// environment, standard streams, preopened mounts), Instantiate registers
// it in a kiln.Runtime as the host module "wasi_snapshot_preview1", and Run
// instantiates a command module and calls its _start export. A runtime
// holds one registration of the module name at a time, so each guest
// process that needs its own System needs its own kiln.Runtime.
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
