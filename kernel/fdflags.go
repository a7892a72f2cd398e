package kernel

import (
	"context"
	"sync/atomic"

	"github.com/kilnrt/kiln/vfs"
)

// DupFrom is fcntl's F_DUPFD (F_DUPFD_CLOEXEC when cloexec): a new
// descriptor sharing fd's open object, cursor and rights at the lowest
// free number not below min. A min at or beyond the descriptor limit is
// EINVAL, as fcntl answers for one beyond RLIMIT_NOFILE, which also
// keeps the table from growing to a number the guest picks.
func (t *FDTable) DupFrom(fd, min FD, cloexec bool) (FD, Errno) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if int64(fd) >= int64(len(t.entries)) || t.entries[fd] == nil {
		return 0, EBADF
	}
	if int64(min) >= int64(t.max) {
		return 0, EINVAL
	}
	if t.count >= t.max {
		return 0, EMFILE
	}
	// fd is present, so the table is not closed.
	return t.placeFrom(t.entries[fd].share(cloexec), min), ESUCCESS
}

// placeFrom stores d at the lowest free number not below min; the caller
// holds mu and has checked the limit.
func (t *FDTable) placeFrom(d *Descriptor, min FD) FD {
	for FD(len(t.entries)) < min {
		t.entries = append(t.entries, nil)
	}
	t.count++
	for i := int(min); i < len(t.entries); i++ {
		if t.entries[i] == nil {
			t.entries[i] = d
			return FD(i)
		}
	}
	t.entries = append(t.entries, d)
	return FD(len(t.entries) - 1)
}

// Cloexec reports fd's close-on-exec flag.
func (t *FDTable) Cloexec(fd FD) (bool, Errno) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if int64(fd) >= int64(len(t.entries)) || t.entries[fd] == nil {
		return false, EBADF
	}
	return t.entries[fd].cloexec, ESUCCESS
}

// SetCloexec sets or clears fd's close-on-exec flag. As in SetRights the
// entry is replaced by a copy, so operations holding the old one are not
// disturbed.
func (t *FDTable) SetCloexec(fd FD, on bool) Errno {
	t.mu.Lock()
	defer t.mu.Unlock()
	if int64(fd) >= int64(len(t.entries)) || t.entries[fd] == nil {
		return EBADF
	}
	d := *t.entries[fd]
	d.cloexec = on
	t.entries[fd] = &d
	return ESUCCESS
}

// FDDupFrom duplicates fd onto the lowest free number not below min
// (WASIX fd_dup2, which is fcntl F_DUPFD / F_DUPFD_CLOEXEC).
func (p *Process) FDDupFrom(ctx context.Context, fd, min FD, cloexec bool) (FD, Errno) {
	nfd, e := p.fds.DupFrom(fd, min, cloexec)
	if e == EMFILE {
		p.auditDescriptorQuota(ctx, "")
	}
	return nfd, e
}

// FDCloexec reports fd's close-on-exec flag (WASIX fd_fdflags_get): Exec
// closes such descriptors and a spawned child does not inherit them.
func (p *Process) FDCloexec(fd FD) (bool, Errno) { return p.fds.Cloexec(fd) }

// FDSetCloexec sets fd's close-on-exec flag (WASIX fd_fdflags_set).
func (p *Process) FDSetCloexec(fd FD, on bool) Errno { return p.fds.SetCloexec(fd, on) }

// Dup2 is POSIX dup2: to becomes a descriptor sharing from's open object,
// cursor and rights, closing what to held; from stays open, and the
// copy's close-on-exec flag is clear. A to at or beyond the descriptor
// limit is EBADF, as dup2 answers for one beyond RLIMIT_NOFILE.
func (t *FDTable) Dup2(from, to FD) Errno {
	t.mu.Lock()
	old, e := t.dup2Locked(from, to)
	t.mu.Unlock()
	if old != nil {
		old.release()
	}
	return e
}

// dup2Locked is Dup2 under mu; it returns what to held, for the caller to
// release after unlocking.
func (t *FDTable) dup2Locked(from, to FD) (*Descriptor, Errno) {
	if int64(from) >= int64(len(t.entries)) || t.entries[from] == nil || int64(to) >= int64(t.max) {
		return nil, EBADF
	}
	if from == to {
		return nil, ESUCCESS
	}
	if int64(to) >= int64(len(t.entries)) || t.entries[to] == nil {
		if t.count >= t.max {
			return nil, EMFILE
		}
		t.count++
	}
	return t.swapAt(to, t.entries[from].share(false)), ESUCCESS
}

// share returns a new descriptor sharing d's open object, with its own
// close-on-exec flag; the caller holds the table's mu.
func (d *Descriptor) share(cloexec bool) *Descriptor {
	if d.shared == nil {
		d.shared = new(atomic.Int32)
		d.shared.Store(1)
	}
	d.shared.Add(1)
	nd := *d
	nd.cloexec = cloexec
	return &nd
}

// swapAt stores d at number to, growing the table, and returns what the
// number held; the caller holds mu and keeps count.
func (t *FDTable) swapAt(to FD, d *Descriptor) *Descriptor {
	for FD(len(t.entries)) <= to {
		t.entries = append(t.entries, nil)
	}
	old := t.entries[to]
	t.entries[to] = d
	return old
}

// SetRenumberDup2 makes fd_renumber POSIX dup2 for this process (WASIX,
// whose libc implements dup2 and dup3 with fd_renumber): the target may
// be any number below the descriptor limit, open or not, and the source
// stays open. Without it fd_renumber keeps preview 1's rules (see
// FDTable.Renumber).
func (p *Process) SetRenumberDup2(on bool) { p.fds.dup2.Store(on) }

// PathOpen2 is PathOpen with the new descriptor's close-on-exec flag
// (WASIX path_open2), set on the new number right after the open.
func (p *Process) PathOpen2(ctx context.Context, fd FD, lf vfs.LookupFlags, rel string, of vfs.OFlags, base, inheriting Rights, flags vfs.FDFlags, cloexec bool) (FD, Errno) {
	nfd, e := p.PathOpen(ctx, fd, lf, rel, of, base, inheriting, flags)
	if e != ESUCCESS || !cloexec {
		return nfd, e
	}
	return nfd, p.fds.SetCloexec(nfd, true)
}
