// Package kernel is the small operating system inside kiln: the state of one
// guest process (arguments, environment, working directory, descriptor
// table, mounted file systems, clocks, randomness) and the operations the
// WASI preview 1 and WASIX ABIs perform on it.
//
// The ABI layers only marshal guest memory; every rule lives here:
// descriptor numbering and its limit (EMFILE), WASI rights (base and
// inheriting), path resolution beneath preopened directories (through
// package vfs), readiness polling, sockets on raw host descriptors, and the
// sandbox hooks (FilePolicy, NetPolicy, Auditor), which are nil-safe and cost
// nothing when unset.
//
// Results are WASI errno numbers (Errno). Operations return Errno rather
// than error so that the ABI can store them directly; Errno also implements
// error for callers that prefer it.
//
// wasi_snapshot_preview1 maps onto Process methods one to one:
//
//	args_*, environ_*         Args, Environ
//	clock_res_get/time_get    ClockResGet, ClockTimeGet
//	fd_advise ... fd_write    FDAdvise, FDAllocate, FDClose, FDDatasync,
//	                          FDFdstatGet, FDFdstatSetFlags, FDFdstatSetRights,
//	                          FDFilestatGet, FDFilestatSetSize,
//	                          FDFilestatSetTimes, FDPread, FDPrestatGet (also
//	                          for fd_prestat_dir_name), FDPwrite, FDRead,
//	                          FDReaddir, FDRenumber, FDSeek, FDSync, FDTell,
//	                          FDWrite
//	path_*                    PathCreateDirectory, PathFilestatGet,
//	                          PathFilestatSetTimes, PathLink, PathOpen,
//	                          PathReadlink, PathRemoveDirectory, PathRename,
//	                          PathSymlink, PathUnlinkFile
//	poll_oneoff               PollOneoff
//	proc_exit                 Exit (then the ABI unwinds the guest)
//	random_get                RandomGet
//	sock_*                    SockAccept, SockRecv, SockSend, SockShutdown
//
// Methods take the guest call's context first where they block or may
// write an audit record (see below).
//
// WASIX adds FDDup, FDDupFrom, Pipe, EventFD, FDCloexec, FDSetCloexec,
// PathOpen2, EpollCreate, EpollCtl, EpollWait (polled, see epoll.go),
// SetRenumberDup2 (fd_renumber as POSIX dup2), TTYGet, TTYSet, Getcwd,
// Chdir, PreopenFor (absolute paths) and SockOpen, SockPair, SockConnect,
// SockBind, SockListen, SockAcceptFrom, SockAddrLocal, SockAddrPeer,
// SockSendTo, SockRecvFrom, SockSendFile, SockStatus, SockMulticast, the
// socket options (SockSetFlag/GetFlag, SockSetSize/GetSize,
// SockSetTime/GetTime; the receive, send, connect and accept timeouts
// are applied by kiln's own waits) and Resolve.
//
// Sandbox: FilePolicy, NetPolicy (with the optional ListenPolicy,
// RecvPolicy and ResolvePolicy) and Auditor are hooks; SandboxFiles,
// SandboxAuditor and sandbox.Policy.Net() plug package sandbox into them.
// Without a NetPolicy there is no network: connect, bind, listen and name
// resolution are refused (sockets the embedder inserts stay usable).
// Config.Quota (a *sandbox.Account) is charged for sockets (EMFILE), bytes
// written to files the guest opened and bytes sent and received (EDQUOT,
// with transfers shortened to what is left); Config.MaxFDs bounds the
// descriptor table (EMFILE). Every refusal and quota hit is audited.
//
// Audit records name the calling thread: operations that may audit take
// the context of the guest call that caused them, which names its thread
// (WithThread; the ABI binds it once per thread when an Auditor is set).
// The kernel passes that context to Auditor.Audit and sets AuditEvent.TID
// to the thread when it belongs to the process; TID 0 means no thread of
// the process made the call (process setup, meters, another process's
// thread acting on it).
//
// Blocking: a read or write on a pipe, terminal or socket, sock_accept,
// connect, poll_oneoff and epoll_wait wait in slices and give up with ECANCELED when
// their context ends or the process is closed, so no guest outlives its
// deadline and no host goroutine stays blocked after Close.
//
// Invariants:
//   - Every host descriptor the process uses is owned by exactly one open
//     object in its descriptor table; Process.Close (and Exit) closes them
//     all, so no descriptor outlives the guest. A descriptor closed while
//     another thread still uses it is released when that use ends, never
//     reused under it.
//   - Missing rights fail with ENOTCAPABLE, operations on the wrong kind of
//     descriptor with EISDIR/ENOTDIR/ENOTSOCK/EBADF, policy denials with
//     EACCES (or the Errno the policy returns), path escapes with EPERM;
//     never with a panic.
package kernel
