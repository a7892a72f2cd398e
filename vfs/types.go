package vfs

import "time"

// FileType is the type of a file, numbered as WASI preview 1 filetype.
type FileType uint8

// File types (WASI preview 1 numbering).
const (
	TypeUnknown      FileType = 0
	TypeBlockDevice  FileType = 1
	TypeCharDevice   FileType = 2
	TypeDirectory    FileType = 3
	TypeRegular      FileType = 4
	TypeSocketDgram  FileType = 5
	TypeSocketStream FileType = 6
	TypeSymlink      FileType = 7
)

// OFlags are the open flags of path_open (WASI oflags bit values).
type OFlags uint16

// Open flags.
const (
	OCreate    OFlags = 1 << 0
	ODirectory OFlags = 1 << 1
	OExclusive OFlags = 1 << 2
	OTruncate  OFlags = 1 << 3
)

// FDFlags are per-descriptor flags (WASI fdflags bit values).
type FDFlags uint16

// Descriptor flags.
const (
	FDAppend   FDFlags = 1 << 0
	FDDSync    FDFlags = 1 << 1
	FDNonblock FDFlags = 1 << 2
	FDRSync    FDFlags = 1 << 3
	FDSync     FDFlags = 1 << 4
)

// LookupFlags steer path resolution (WASI lookupflags bit values).
type LookupFlags uint32

// FollowSymlinks expands a symbolic link in the last path component.
// Symbolic links in earlier components are always followed (beneath the
// starting directory).
const FollowSymlinks LookupFlags = 1 << 0

// Access says how a file is opened for data transfer. Zero means neither
// reading nor writing (metadata only); directories are always opened for
// reading whatever Access says.
type Access uint8

// Access modes.
const (
	AccessRead  Access = 1 << 0
	AccessWrite Access = 1 << 1
)

// Advice is a file access pattern hint (WASI advice numbering).
type Advice uint8

// Advice values.
const (
	AdviceNormal     Advice = 0
	AdviceSequential Advice = 1
	AdviceRandom     Advice = 2
	AdviceWillNeed   Advice = 3
	AdviceDontNeed   Advice = 4
	AdviceNoReuse    Advice = 5
)

// Stat is the metadata of a file, in the shape of WASI filestat.
// Times are nanoseconds since the Unix epoch.
type Stat struct {
	Dev   uint64
	Ino   uint64
	Type  FileType
	Nlink uint64
	Size  uint64
	Atim  int64
	Mtim  int64
	Ctim  int64
}

// TimeMode says how one timestamp is changed by SetTimes.
type TimeMode uint8

// Time modes.
const (
	TimeOmit TimeMode = iota // leave unchanged
	TimeNow                  // set to the current real time
	TimeSet                  // set to TimeSpec.Nanos
)

// TimeSpec is one timestamp update.
type TimeSpec struct {
	Mode  TimeMode
	Nanos int64
}

// Times is an update of a file's access and modification times.
type Times struct {
	Atime, Mtime TimeSpec
}

// resolve returns the nanosecond values for an update, now for TimeNow and
// the current value for TimeOmit.
func (t Times) resolve(now time.Time, curA, curM int64) (int64, int64) {
	pick := func(s TimeSpec, cur int64) int64 {
		switch s.Mode {
		case TimeNow:
			return now.UnixNano()
		case TimeSet:
			return s.Nanos
		}
		return cur
	}
	return pick(t.Atime, curA), pick(t.Mtime, curM)
}

// DirEntry is one directory entry. Next is the cookie that continues the
// listing after this entry (WASI dirent.d_next).
type DirEntry struct {
	Next uint64
	Ino  uint64
	Type FileType
	Name string
}
