package wasix

import (
	"context"
	"math"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// epoll_event: {u32 events; (4 bytes of padding); epoll_data data} with
// data 24 bytes at offset 8, 32 bytes in all in both namespaces. The data
// ({ptr, fd, data1, data2} in the header; the pointer is 8 bytes in
// wasix_64v1) is the guest's own: kiln returns it unchanged.
const (
	epollEventSize = 32
	epollDataAt    = 8
)

// epollCreate is epoll_create(fd *fd).
func epollCreate(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if e := checkResults(m, a[0]); e != kernel.ESUCCESS {
		return e, nil
	}
	fd, e := t.Process().EpollCreate(ctx)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32(a[0], fd), nil
}

// epollCtl is epoll_ctl(epfd, op, fd, event *epoll_event); the event is
// not read for EPOLL_CTL_DEL.
func epollCtl(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	op := uint32(a[1])
	var events kernel.EpollEvents
	var data kernel.EpollData
	if op == kernel.EpollCtlAdd || op == kernel.EpollCtlMod {
		b, e := m.Bytes(a[3], epollEventSize)
		if e != kernel.ESUCCESS {
			return e, nil
		}
		v, _ := m.U32(a[3])
		events = kernel.EpollEvents(v)
		copy(data[:], b[epollDataAt:])
	}
	return t.Process().EpollCtl(uint32(a[0]), op, uint32(a[2]), events, data), nil
}

// epollWait is epoll_wait(epfd, events *epoll_event, maxevents, timeout
// ns, n *size): both result locations are checked before waiting.
// A timeout of 2^64-1 (what wasix-libc passes for -1) waits forever.
func epollWait(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	out, max, nPtr := a[1], a[2], a[4]
	if max == 0 || max > math.MaxInt32 {
		return kernel.EINVAL, nil
	}
	if _, e := m.Bytes(out, max*epollEventSize); e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(nPtr, m.PtrSize()); e != kernel.ESUCCESS {
		return e, nil
	}
	evs, e := t.Process().EpollWait(ctx, uint32(a[0]), int(max), a[3])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	for i, ev := range evs {
		b, _ := m.Bytes(out+uint64(i)*epollEventSize, epollEventSize)
		clear(b[:epollDataAt])
		m.PutU32(out+uint64(i)*epollEventSize, uint32(ev.Events))
		copy(b[epollDataAt:], ev.Data[:])
	}
	return m.PutPtr(nPtr, uint64(len(evs))), nil
}
