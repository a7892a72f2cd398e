package kernel

import (
	"context"
	"io"
	"math"
	"net/netip"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// FDStat is the result of fd_fdstat_get.
type FDStat struct {
	Type       vfs.FileType
	Flags      vfs.FDFlags
	Rights     Rights
	Inheriting Rights
}

// FSTFlags select which times fd_filestat_set_times and
// path_filestat_set_times change (WASI fstflags bit values).
type FSTFlags uint16

// Time-setting flags.
const (
	FSTAtim    FSTFlags = 1 << 0
	FSTAtimNow FSTFlags = 1 << 1
	FSTMtim    FSTFlags = 1 << 2
	FSTMtimNow FSTFlags = 1 << 3
)

// TimesFromFST converts WASI set-times arguments, rejecting contradictory
// or unknown flags with EINVAL.
func TimesFromFST(atim, mtim uint64, fst FSTFlags) (vfs.Times, Errno) {
	if fst&^(FSTAtim|FSTAtimNow|FSTMtim|FSTMtimNow) != 0 ||
		fst&(FSTAtim|FSTAtimNow) == FSTAtim|FSTAtimNow ||
		fst&(FSTMtim|FSTMtimNow) == FSTMtim|FSTMtimNow ||
		atim > math.MaxInt64 || mtim > math.MaxInt64 {
		return vfs.Times{}, EINVAL
	}
	spec := func(set, now bool, v uint64) vfs.TimeSpec {
		switch {
		case now:
			return vfs.TimeSpec{Mode: vfs.TimeNow}
		case set:
			return vfs.TimeSpec{Mode: vfs.TimeSet, Nanos: int64(v)}
		}
		return vfs.TimeSpec{}
	}
	return vfs.Times{
		Atime: spec(fst&FSTAtim != 0, fst&FSTAtimNow != 0, atim),
		Mtime: spec(fst&FSTMtim != 0, fst&FSTMtimNow != 0, mtim),
	}, ESUCCESS
}

// node returns an open descriptor holding need.
func (p *Process) node(fd FD, need Rights) (*Descriptor, Errno) {
	d, e := p.fds.Get(fd)
	if e != ESUCCESS {
		return nil, e
	}
	if !d.Rights.Has(need) {
		return nil, ENOTCAPABLE
	}
	return d, ESUCCESS
}

// file returns the File of a non-directory descriptor holding need; a
// directory is EISDIR (checked before rights, as POSIX would).
func (p *Process) file(fd FD, need Rights) (vfs.File, Errno) {
	_, f, e := p.fileDesc(fd, need)
	return f, e
}

// fileDesc is file that also returns the descriptor.
func (p *Process) fileDesc(fd FD, need Rights) (*Descriptor, vfs.File, Errno) {
	d, e := p.fds.Get(fd)
	if e != ESUCCESS {
		return nil, nil, e
	}
	f, ok := d.Node.(vfs.File)
	if !ok {
		return nil, nil, EISDIR
	}
	if !d.Rights.Has(need) {
		return nil, nil, ENOTCAPABLE
	}
	return d, f, ESUCCESS
}

// FDAdvise passes an access-pattern hint (fd_advise).
func (p *Process) FDAdvise(fd FD, offset, length uint64, advice vfs.Advice) Errno {
	f, e := p.file(fd, RightFDAdvise)
	if e != ESUCCESS {
		return e
	}
	if advice > vfs.AdviceNoReuse || offset > math.MaxInt64 || length > math.MaxInt64 {
		return EINVAL
	}
	return ErrnoOf(f.Advise(int64(offset), int64(length), advice))
}

// FDAllocate makes sure [offset, offset+length) is allocated (fd_allocate).
func (p *Process) FDAllocate(ctx context.Context, fd FD, offset, length uint64) Errno {
	d, f, e := p.fileDesc(fd, RightFDAllocate)
	if e != ESUCCESS {
		return e
	}
	if offset > math.MaxInt64 || length > math.MaxInt64-offset {
		return EFBIG
	}
	return p.grow(ctx, d, f, offset+length, func() error { return f.Allocate(int64(offset), int64(length)) })
}

// grow runs an operation that may extend a file to size bytes, charging
// the growth to the file-write quota (all or nothing: EDQUOT), since
// allocated or extended bytes take room as written ones do.
func (p *Process) grow(ctx context.Context, d *Descriptor, f vfs.File, size uint64, op func() error) Errno {
	if !d.countWrites || p.quota == nil {
		return ErrnoOf(op())
	}
	st, err := f.Stat()
	if err != nil {
		return ErrnoOf(err)
	}
	if size <= st.Size {
		return ErrnoOf(op())
	}
	n := size - st.Size
	if err := p.quota.Acquire(sandbox.ResFileWrite, n); err != nil {
		return p.quotaErrno(ctx, err, EDQUOT, AuditEvent{Path: d.GuestPath})
	}
	if err := op(); err != nil {
		p.quota.Refund(sandbox.ResFileWrite, n)
		return ErrnoOf(err)
	}
	return ESUCCESS
}

// FDClose closes a descriptor (fd_close); preopens may be closed too.
func (p *Process) FDClose(fd FD) Errno {
	d, e := p.fds.Remove(fd)
	if e != ESUCCESS {
		return e
	}
	return ErrnoOf(d.release())
}

// FDDatasync flushes a descriptor's data (fd_datasync).
func (p *Process) FDDatasync(fd FD) Errno {
	d, e := p.node(fd, RightFDDatasync)
	if e != ESUCCESS {
		return e
	}
	return ErrnoOf(d.Node.Datasync())
}

// FDSync flushes a descriptor's data and metadata (fd_sync).
func (p *Process) FDSync(fd FD) Errno {
	d, e := p.node(fd, RightFDSync)
	if e != ESUCCESS {
		return e
	}
	return ErrnoOf(d.Node.Sync())
}

// FDFdstatGet describes a descriptor (fd_fdstat_get).
func (p *Process) FDFdstatGet(fd FD) (FDStat, Errno) {
	d, e := p.fds.Get(fd)
	if e != ESUCCESS {
		return FDStat{}, e
	}
	return FDStat{Type: d.Type, Flags: d.Node.Flags(), Rights: d.Rights, Inheriting: d.Inheriting}, ESUCCESS
}

// FDFdstatSetFlags changes descriptor flags (fd_fdstat_set_flags).
func (p *Process) FDFdstatSetFlags(fd FD, flags vfs.FDFlags) Errno {
	d, e := p.node(fd, RightFDFdstatSetFlags)
	if e != ESUCCESS {
		return e
	}
	if flags&^(vfs.FDAppend|vfs.FDDSync|vfs.FDNonblock|vfs.FDRSync|vfs.FDSync) != 0 {
		return EINVAL
	}
	return ErrnoOf(d.Node.SetFlags(flags))
}

// FDFdstatSetRights drops rights (fd_fdstat_set_rights); asking for a
// right the descriptor lacks is ENOTCAPABLE.
func (p *Process) FDFdstatSetRights(fd FD, base, inheriting Rights) Errno {
	return p.fds.SetRights(fd, base, inheriting)
}

// FDFilestatGet returns the metadata of an open file (fd_filestat_get).
func (p *Process) FDFilestatGet(fd FD) (vfs.Stat, Errno) {
	d, e := p.node(fd, RightFDFilestatGet)
	if e != ESUCCESS {
		return vfs.Stat{}, e
	}
	st, err := d.Node.Stat()
	return st, ErrnoOf(err)
}

// FDFilestatSetSize truncates or extends a file (fd_filestat_set_size).
func (p *Process) FDFilestatSetSize(ctx context.Context, fd FD, size uint64) Errno {
	d, f, e := p.fileDesc(fd, RightFDFilestatSetSize)
	if e != ESUCCESS {
		return e
	}
	if size > math.MaxInt64 {
		return EFBIG
	}
	return p.grow(ctx, d, f, size, func() error { return f.Truncate(int64(size)) })
}

// FDFilestatSetTimes changes the times of an open file
// (fd_filestat_set_times). On a file or directory beneath a mount it is a
// modification the file policy decides, as path_filestat_set_times is
// (the right alone comes with every open, even one for reading).
func (p *Process) FDFilestatSetTimes(ctx context.Context, fd FD, atim, mtim uint64, fst FSTFlags) Errno {
	d, e := p.node(fd, RightFDFilestatSetTimes)
	if e != ESUCCESS {
		return e
	}
	t, e := TimesFromFST(atim, mtim, fst)
	if e != ESUCCESS {
		return e
	}
	if !d.mounted {
		return ErrnoOf(d.Node.SetTimes(t))
	}
	return p.mutate(ctx, OpSetTimes, d, ".", nil, "", func() error { return d.Node.SetTimes(t) })
}

// FDPread reads at an offset without moving the cursor (fd_pread).
func (p *Process) FDPread(fd FD, iovs [][]byte, offset uint64) (int, Errno) {
	f, e := p.file(fd, RightFDRead|RightFDSeek)
	if e != ESUCCESS {
		return 0, e
	}
	if offset > math.MaxInt64 {
		return 0, EINVAL
	}
	n, err := f.Preadv(iovs, int64(offset))
	return n, ErrnoOf(err)
}

// FDPwrite writes at an offset without moving the cursor (fd_pwrite).
func (p *Process) FDPwrite(ctx context.Context, fd FD, iovs [][]byte, offset uint64) (int, Errno) {
	d, f, e := p.fileDesc(fd, RightFDWrite|RightFDSeek)
	if e != ESUCCESS {
		return 0, e
	}
	if offset > math.MaxInt64 {
		return 0, EINVAL
	}
	if d.countWrites {
		return p.fileWrite(ctx, d, iovs, func(b [][]byte) (int, error) { return f.Pwritev(b, int64(offset)) })
	}
	n, err := f.Pwritev(iovs, int64(offset))
	return n, ErrnoOf(err)
}

// FDRead reads at the cursor (fd_read); 0 bytes means end of file. On a
// pipe, terminal or socket it waits for input until ctx ends or the
// process is closed (ECANCELED then), so a blocked guest never outlives
// its deadline.
func (p *Process) FDRead(ctx context.Context, fd FD, iovs [][]byte) (int, Errno) {
	d, f, e := p.fileDesc(fd, RightFDRead)
	if e != ESUCCESS {
		return 0, e
	}
	if s, ok := d.Node.(*Socket); ok {
		n, _, _, e := p.recv(ctx, s, iovs, 0)
		return n, e
	}
	if h, ok := mayBlock(d); ok {
		return p.blockingIO(ctx, h, unix.POLLIN, func() (int, error) { return f.Readv(iovs) })
	}
	n, err := f.Readv(iovs)
	return n, ErrnoOf(err)
}

// FDWrite writes at the cursor, or at the end in append mode (fd_write).
// Writes to files the guest opened are charged to the file-write quota;
// a pipe, terminal or socket that cannot take the data waits as FDRead
// does.
func (p *Process) FDWrite(ctx context.Context, fd FD, iovs [][]byte) (int, Errno) {
	d, f, e := p.fileDesc(fd, RightFDWrite)
	if e != ESUCCESS {
		return 0, e
	}
	if s, ok := d.Node.(*Socket); ok {
		return p.send(ctx, s, iovs, netip.AddrPort{}, false)
	}
	if d.countWrites {
		return p.fileWrite(ctx, d, iovs, func(b [][]byte) (int, error) { return f.Writev(b) })
	}
	var n int
	if h, ok := mayBlock(d); ok {
		n, e = p.blockingWrite(ctx, h, f, iovs)
	} else {
		var err error
		n, err = f.Writev(iovs)
		e = ErrnoOf(err)
	}
	if e == EPIPE && d.stream != nil {
		e = p.brokenStream(ctx, d)
	}
	return n, e
}

// fileWrite runs a write charged to the file-write quota.
func (p *Process) fileWrite(ctx context.Context, d *Descriptor, iovs [][]byte, write func([][]byte) (int, error)) (int, Errno) {
	iovs, reserved, e := p.reserve(ctx, sandbox.ResFileWrite, iovs, AuditEvent{Path: d.GuestPath})
	if e != ESUCCESS {
		return 0, e
	}
	n, err := write(iovs)
	p.settle(sandbox.ResFileWrite, reserved, n)
	return n, ErrnoOf(err)
}

// FDPrestatGet returns the guest name of a preopened directory
// (fd_prestat_get / fd_prestat_dir_name); other descriptors are EBADF.
// The ABI copies the name and reports a too-small buffer itself.
func (p *Process) FDPrestatGet(fd FD) (string, Errno) {
	d, e := p.fds.Get(fd)
	if e != ESUCCESS {
		return "", e
	}
	if d.Preopen == "" {
		return "", EBADF
	}
	return d.Preopen, ESUCCESS
}

// FDReaddir lists a directory from cookie on (fd_readdir). The ABI packs
// entries (24-byte header + name) until the buffer is full; the slice is
// shared and must not be modified.
func (p *Process) FDReaddir(fd FD, cookie uint64) ([]vfs.DirEntry, Errno) {
	dir, _, e := p.dir(fd, RightFDReaddir)
	if e != ESUCCESS {
		return nil, e
	}
	ents, err := dir.ReadDir(cookie)
	return ents, ErrnoOf(err)
}

// FDDup duplicates a descriptor (WASIX fd_dup).
func (p *Process) FDDup(ctx context.Context, fd FD) (FD, Errno) {
	nfd, e := p.fds.Dup(fd)
	if e == EMFILE {
		p.auditDescriptorQuota(ctx, "")
	}
	return nfd, e
}

// FDRenumber moves descriptor from onto to, closing to if it is open
// (fd_renumber, with the semantics of POSIX dup2: see FDTable.Renumber).
func (p *Process) FDRenumber(from, to FD) Errno { return p.fds.Renumber(from, to) }

// FDSeek moves the cursor (fd_seek; whence 0 set, 1 cur, 2 end). A
// descriptor with only the tell right may ask for its position.
func (p *Process) FDSeek(fd FD, offset int64, whence uint8) (uint64, Errno) {
	d, f, e := p.fileDesc(fd, 0)
	if e != ESUCCESS {
		return 0, e
	}
	tell := whence == io.SeekCurrent && offset == 0
	if !d.Rights.Has(RightFDSeek) && !(tell && d.Rights.Has(RightFDTell)) {
		return 0, ENOTCAPABLE
	}
	if whence > io.SeekEnd {
		return 0, EINVAL
	}
	pos, err := f.Seek(offset, int(whence))
	return uint64(pos), ErrnoOf(err)
}

// FDTell returns the cursor (fd_tell).
func (p *Process) FDTell(fd FD) (uint64, Errno) { return p.FDSeek(fd, 0, io.SeekCurrent) }
