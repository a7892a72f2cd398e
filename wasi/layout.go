package wasi

import (
	"encoding/binary"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
)

// Sizes of the witx records in guest memory (wasm32, natural alignment).
const (
	sizeIovec        = 8  // buf u32, buf_len u32
	sizeFdstat       = 24 // filetype u8 @0, flags u16 @2, rights u64 @8, inheriting u64 @16
	sizeFilestat     = 64 // dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
	sizeDirent       = 24 // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20
	sizeSubscription = 48 // userdata u64 @0, tag u8 @8, union @16
	sizeEvent        = 32 // userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
	sizePrestat      = 8  // tag u8 @0, pr_name_len u32 @4
)

// putFdstat stores an fdstat record; the caller has checked the range.
func putFdstat(b []byte, st kernel.FDStat) {
	clear(b[:sizeFdstat])
	b[0] = byte(st.Type)
	binary.LittleEndian.PutUint16(b[2:], uint16(st.Flags))
	binary.LittleEndian.PutUint64(b[8:], uint64(st.Rights))
	binary.LittleEndian.PutUint64(b[16:], uint64(st.Inheriting))
}

// putFilestat stores a filestat record; the caller has checked the range.
func putFilestat(b []byte, st vfs.Stat) {
	clear(b[:sizeFilestat])
	le := binary.LittleEndian
	le.PutUint64(b[0:], st.Dev)
	le.PutUint64(b[8:], st.Ino)
	b[16] = byte(st.Type)
	le.PutUint64(b[24:], st.Nlink)
	le.PutUint64(b[32:], st.Size)
	le.PutUint64(b[40:], uint64(st.Atim))
	le.PutUint64(b[48:], uint64(st.Mtim))
	le.PutUint64(b[56:], uint64(st.Ctim))
}

// putDirentHeader stores a dirent header into a 24-byte buffer.
func putDirentHeader(b []byte, e vfs.DirEntry) {
	clear(b[:sizeDirent])
	le := binary.LittleEndian
	le.PutUint64(b[0:], e.Next)
	le.PutUint64(b[8:], e.Ino)
	le.PutUint32(b[16:], uint32(len(e.Name)))
	b[20] = byte(e.Type)
}

// Subscription union tags and flags.
const (
	subclockAbstime = 1 << 0
	eventrwHangup   = 1 << 0
)

// readSubscription decodes one 48-byte subscription record.
func readSubscription(b []byte) (kernel.Subscription, kernel.Errno) {
	le := binary.LittleEndian
	s := kernel.Subscription{Userdata: le.Uint64(b[0:]), Type: kernel.EventType(b[8])}
	switch s.Type {
	case kernel.EventClock:
		s.Clock = kernel.ClockID(le.Uint32(b[16:]))
		s.Timeout = le.Uint64(b[24:])
		flags := le.Uint16(b[40:])
		if flags&^subclockAbstime != 0 {
			return s, kernel.EINVAL
		}
		s.Abstime = flags&subclockAbstime != 0
	case kernel.EventFDRead, kernel.EventFDWrite:
		s.FD = le.Uint32(b[16:])
	default:
		return s, kernel.EINVAL
	}
	return s, kernel.ESUCCESS
}

// putEvent stores one 32-byte event record.
func putEvent(b []byte, ev kernel.Event) {
	clear(b[:sizeEvent])
	le := binary.LittleEndian
	le.PutUint64(b[0:], ev.Userdata)
	le.PutUint16(b[8:], uint16(ev.Errno))
	b[10] = byte(ev.Type)
	if ev.Type == kernel.EventFDRead || ev.Type == kernel.EventFDWrite {
		le.PutUint64(b[16:], ev.NBytes)
		if ev.Hangup {
			le.PutUint16(b[24:], eventrwHangup)
		}
	}
}
