package kernel

import "sync/atomic"

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
	d := t.entries[fd] // present, so the table is not closed
	if d.shared == nil {
		d.shared = new(atomic.Int32)
		d.shared.Store(1)
	}
	d.shared.Add(1)
	nd := *d
	nd.cloexec = cloexec
	return t.placeFrom(&nd, min), ESUCCESS
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
func (p *Process) FDDupFrom(fd, min FD, cloexec bool) (FD, Errno) {
	nfd, e := p.fds.DupFrom(fd, min, cloexec)
	if e == EMFILE {
		p.auditDescriptorQuota("")
	}
	return nfd, e
}

// FDCloexec reports fd's close-on-exec flag (WASIX fd_fdflags_get). kiln
// has no exec yet, so the flag is recorded and reported only.
func (p *Process) FDCloexec(fd FD) (bool, Errno) { return p.fds.Cloexec(fd) }

// FDSetCloexec sets fd's close-on-exec flag (WASIX fd_fdflags_set).
func (p *Process) FDSetCloexec(fd FD, on bool) Errno { return p.fds.SetCloexec(fd, on) }
