// Package kernel is the small operating system inside kiln: the state of one
// guest process (arguments, environment, descriptor table, mounted file
// systems, clocks, randomness) and the operations the WASI preview 1 and
// WASIX ABIs perform on it.
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
// Invariants:
//   - Every host descriptor the process uses is owned by exactly one entry
//     of its descriptor table; Process.Close closes them all, so no
//     descriptor outlives the guest.
//   - Missing rights fail with ENOTCAPABLE, operations on the wrong kind of
//     descriptor with EISDIR/ENOTDIR/ENOTSOCK/EBADF, policy denials with
//     EACCES (or the Errno the policy returns), path escapes with EPERM;
//     never with a panic.
package kernel
