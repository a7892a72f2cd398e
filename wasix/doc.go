// Package wasix implements WASIX, Wasmer's extension of WASI preview 1
// that gives guests threads, processes and more, as the host modules
// wasix_32v1 (32-bit memories) and wasix_64v1 (memory64: pointer and size
// parameters are i64), written from the published ABI.
//
// The modules are tables of wasi.Function run through the same dispatch
// path as WASI preview 1 (package wasi): each call finds its process and
// thread through the calling instance (wasi.ThreadOf), reads and writes
// guest memory through wasi.Mem (bounds-checked, EFAULT) and returns an
// errno. As in the reference runtime, every preview 1 function is also
// served under the WASIX module names. docs/wasix.md lists every WASIX
// function with its status in kiln.
//
// Implemented here: threads (thread_spawn_v2, which starts a new instance
// of the module over its shared memory like wasi-threads, thread_sleep,
// thread_id, thread_join, thread_parallelism, thread_exit), futexes
// (futex_wait, futex_wake, futex_wake_all, on the wait queues that
// memory.atomic.wait and memory.atomic.notify use, so both can be mixed),
// the process calls proc_exit2, proc_id and proc_parent, the working
// directory (getcwd, chdir: the kernel process holds it), processes
// (proc_spawn2, proc_spawn, proc_exec3, proc_exec, proc_exec2, proc_join:
// programs a guest names in its file system, compiled once per process
// tree, run as processes of the tree under its policy and quotas; see
// tree.go, programs.go), fork and setjmp/longjmp (proc_fork,
// stack_checkpoint, stack_restore) natively by capture of the
// interpreter's frames (forknative.go, sjlj_native.go) or for asyncified
// modules (asyncify.go), vfork (proc_fork_env: vfork.go), signals
// (proc_signal, thread_signal, proc_raise, proc_raise_interval,
// callback_signal, proc_signals_get: handlers run when a host call
// returns; signals.go),
// clock_time_set (a per-process offset of the realtime clock; the host
// clock is never set), proc_snapshot (a no-op: kiln keeps no journal
// to snapshot), the descriptor calls (fd_pipe, fd_dup, fd_dup2, fd_event,
// fd_fdflags_get/set, path_open2; fd_renumber becomes POSIX dup2 in a
// WASIX process), epoll (epoll_create, epoll_ctl, epoll_wait), the
// terminal (tty_get, tty_set: the host's terminal when a standard stream
// is one, ENOTSUP otherwise), sockets (sock.go, sockopt.go, sockaddr.go:
// IPv4 and IPv6 TCP and UDP on host sockets, name resolution; the kernel
// applies the network policy, quotas and audit) and the port_* network
// administration calls, which answer ENOTSUP, and foreign calls
// (call_dynamic, reflect_signature: dyncall.go; closure_allocate,
// closure_prepare, closure_free: host-made trampolines over the guest's
// shadow stack, closure.go) and green threads (context_create,
// context_switch, context_destroy: a goroutine per context and a baton,
// green.go). The tables of WASIX errnos
// and of the Linux signal numbering WASIX uses are here too.
//
// Invariants:
//   - A guest can only reach its own process tree: thread IDs name threads
//     of the caller's process, process IDs processes of its tree; every
//     process it creates is checked by the spawn policy and charged to
//     the tree's quota account, and ends with the tree's first process.
//   - Blocking calls (thread_sleep, thread_join, futex_wait, epoll_wait)
//     end when the process ends, so proc_exit2 or a trap in one thread
//     stops all.
//   - Nothing a guest passes makes the host allocate more than a path, or
//     than one epoll entry and event per open descriptor; closures (a
//     host function each) and green thread contexts (a goroutine each
//     once started) are bounded per process (1024 of each).
//   - Foreign calls (call_dynamic, closures, contexts) check every index,
//     type and length and answer an errno; only guest code itself traps.
package wasix
