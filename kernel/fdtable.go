package kernel

import (
	"sync"
	"sync/atomic"

	"github.com/kilnrt/kiln/vfs"
)

// FD is a guest descriptor number.
type FD = uint32

// DefaultMaxFDs is the descriptor limit when Config.MaxFDs is zero.
const DefaultMaxFDs = 1024

// maxStdio is the highest standard stream number (standard error).
const maxStdio = 2

// Descriptor is one entry of the descriptor table.
type Descriptor struct {
	// Node is the open object: a vfs.File, a vfs.Dir or a *Socket.
	Node vfs.Node
	// Type is the WASI file type reported by fd_fdstat_get.
	Type vfs.FileType
	// Rights limit what the descriptor may do; Inheriting limits the
	// rights of descriptors opened through it.
	Rights, Inheriting Rights
	// Preopen is the guest name of a preopened directory ("" otherwise).
	Preopen string
	// GuestPath names the object in audit records (best effort).
	GuestPath string

	// countWrites charges writes to the file-write quota (regular
	// files the guest opened, not standard I/O the embedder gave it).
	countWrites bool
	// mounted marks a preopen or an object opened beneath one: the file
	// policy decides what may change it.
	mounted bool

	// shared counts the descriptors sharing Node after Dup (nil: one).
	shared *atomic.Int32
	// stream is set on the standard output and error the embedder gave
	// (wherever they are renumbered): the broken-pipe rule applies.
	stream *stdStream
	// cloexec is the descriptor's close-on-exec flag (WASIX fdflagsext
	// CLOEXEC). It belongs to the number, not the shared object.
	cloexec bool
}

// stdStream is the state of a standard output or error stream.
type stdStream struct {
	// broken is set once a write got EPIPE (its reader is gone).
	broken atomic.Bool
}

// release closes the node unless another descriptor still shares it.
func (d *Descriptor) release() error {
	if d.shared != nil && d.shared.Add(-1) > 0 {
		return nil
	}
	return d.Node.Close()
}

// File returns the node as a vfs.File, or nil.
func (d *Descriptor) File() vfs.File {
	f, _ := d.Node.(vfs.File)
	return f
}

// Dir returns the node as a vfs.Dir, or nil.
func (d *Descriptor) Dir() vfs.Dir {
	dir, _ := d.Node.(vfs.Dir)
	return dir
}

// FDTable maps descriptor numbers to open objects. New descriptors take
// the lowest free number; at most max are open at once (EMFILE beyond).
type FDTable struct {
	mu      sync.Mutex
	entries []*Descriptor
	count   int
	max     int
	closed  bool // after CloseAll nothing new is admitted
	// dup2 makes Renumber POSIX dup2 (see SetRenumberDup2).
	dup2 atomic.Bool
}

// NewFDTable returns an empty table limited to max descriptors
// (DefaultMaxFDs when max <= 0).
func NewFDTable(max int) *FDTable {
	if max <= 0 {
		max = DefaultMaxFDs
	}
	return &FDTable{max: max}
}

// Len returns the number of open descriptors.
func (t *FDTable) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.count
}

// Insert stores d at the lowest free number. After CloseAll it fails with
// EBADF, so a thread racing with process exit cannot keep a descriptor;
// the caller closes d's node on failure.
func (t *FDTable) Insert(d *Descriptor) (FD, Errno) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return 0, EBADF
	}
	if t.count >= t.max {
		return 0, EMFILE
	}
	return t.place(d), ESUCCESS
}

// place stores d at the lowest free number; the caller holds mu and has
// checked the limit.
func (t *FDTable) place(d *Descriptor) FD { return t.placeFrom(d, 0) }

// Get returns the descriptor fd, or EBADF.
func (t *FDTable) Get(fd FD) (*Descriptor, Errno) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if int64(fd) >= int64(len(t.entries)) || t.entries[fd] == nil {
		return nil, EBADF
	}
	return t.entries[fd], ESUCCESS
}

// Remove takes fd out of the table without closing it.
func (t *FDTable) Remove(fd FD) (*Descriptor, Errno) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if int64(fd) >= int64(len(t.entries)) || t.entries[fd] == nil {
		return nil, EBADF
	}
	d := t.entries[fd]
	t.entries[fd] = nil
	t.count--
	return d, ESUCCESS
}

// Renumber moves from onto to, closing what to held (WASI fd_renumber).
// A standard stream number (0, 1, 2) may be the target even when it is
// closed, as POSIX dup2 allows: programs move their standard output away
// (fd_renumber(1, saved)), put a file there and later move it back, and
// must not lose their output. Any other target must be open, as the WASI
// test suite requires (renumber.rs expects EBADF for a vacated number).
// The number of open descriptors never grows.
func (t *FDTable) Renumber(from, to FD) Errno {
	if t.dup2.Load() {
		return t.Dup2(from, to)
	}
	t.mu.Lock()
	n := FD(len(t.entries))
	if from >= n || t.entries[from] == nil || (to > maxStdio && (to >= n || t.entries[to] == nil)) {
		t.mu.Unlock()
		return EBADF
	}
	if from == to {
		t.mu.Unlock()
		return ESUCCESS
	}
	old := t.swapAt(to, t.entries[from])
	t.entries[from] = nil
	if old == nil {
		t.mu.Unlock()
		return ESUCCESS
	}
	t.count--
	t.mu.Unlock()
	old.release()
	return ESUCCESS
}

// CloseAll closes and removes every descriptor and admits no new ones.
func (t *FDTable) CloseAll() {
	t.mu.Lock()
	entries := t.entries
	t.entries = nil
	t.count = 0
	t.closed = true
	t.mu.Unlock()
	for _, d := range entries {
		if d != nil {
			d.release()
		}
	}
}

// Dup makes a new descriptor (the lowest free number) sharing fd's open
// object, cursor and rights; the object is closed with its last
// descriptor (WASIX fd_dup). The copy's close-on-exec flag is clear.
func (t *FDTable) Dup(fd FD) (FD, Errno) { return t.DupFrom(fd, 0, false) }

// SetRights narrows the rights of fd. The entry is replaced by a copy, so
// operations already holding the old entry are not disturbed.
func (t *FDTable) SetRights(fd FD, base, inheriting Rights) Errno {
	t.mu.Lock()
	defer t.mu.Unlock()
	if int64(fd) >= int64(len(t.entries)) || t.entries[fd] == nil {
		return EBADF
	}
	d := *t.entries[fd]
	if base&^d.Rights != 0 || inheriting&^d.Inheriting != 0 {
		return ENOTCAPABLE
	}
	d.Rights, d.Inheriting = base, inheriting
	t.entries[fd] = &d
	return ESUCCESS
}
