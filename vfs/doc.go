// Package vfs provides the file systems a kiln guest process sees: host
// directories confined beneath their root, in-memory trees, a read-only
// wrapper, read-only views of any io/fs file system (FromIOFS: embed.FS, zip
// archives) and the mount table that places them at guest paths. AsIOFS
// goes the other way, so Go code reads a vfs file system with io/fs.
//
// The API follows the *at() style of WASI preview 1: every path operation is
// relative to an open directory handle (Dir), and paths never leave the
// handle they start from. Invariants every implementation keeps:
//
//   - A path is resolved beneath the directory handle it is given. Absolute
//     paths, ".." above the handle and symbolic links that point outside
//     fail with EPERM and touch nothing.
//   - Read-only holds on the host object, not on the guest path: in a
//     MountTable, a read-only host mount nested in a writable one (or
//     reachable from it by "..", a symbolic link or its plain path) stays
//     read-only, because a mutation walks up from the directory it
//     changes to the nearest mount root and obeys that mount's mode
//     (EROFS; EBUSY for moving or removing a mount root).
//   - Errors are unix.Errno values (possibly wrapped), so the kernel can map
//     them to WASI errno numbers with errors.As.
//   - Flag types use the WASI preview 1 bit values (OFlags, FDFlags,
//     LookupFlags, FileType, Advice), so an ABI layer converts by casting.
//   - A handle owns its host descriptors; Close releases them and nothing
//     else in the package keeps descriptors open (a HostFS holds only a
//     path), so closing every handle returns the process to its baseline.
//     A handle closed while another goroutine still uses it releases its
//     descriptor when that use ends, so the number is never reused early.
//
// Host directories and host descriptors need Linux (openat2 with
// RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS, or O_PATH for the fallback walk on
// kernels older than 5.6); elsewhere NewHostFS reports ENOSYS and MemFS,
// ReadOnly, MountTable and Stream still work.
package vfs
