package wasix

import (
	"context"
	"math"
	"time"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// The socket options are numbered as kernel.SockOption is (WASIX's
// sock_option); the kernel knows which are flags, sizes and times.

// sockOption narrows an option argument (a u8).
func sockOption(v uint64) (kernel.SockOption, kernel.Errno) {
	if v > 0xff {
		return 0, kernel.EINVAL
	}
	return kernel.SockOption(v), kernel.ESUCCESS
}

// sockSetOptFlag is sock_set_opt_flag(fd, option, bool).
func sockSetOptFlag(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	opt, e := sockOption(a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if a[2] > 1 {
		return kernel.EINVAL, nil
	}
	return t.Process().SockSetFlag(uint32(a[0]), opt, a[2] == 1), nil
}

// sockGetOptFlag is sock_get_opt_flag(fd, option, flag *bool).
func sockGetOptFlag(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	opt, e := sockOption(a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(a[2], 1); e != kernel.ESUCCESS {
		return e, nil
	}
	on, e := t.Process().SockGetFlag(uint32(a[0]), opt)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	var v uint8
	if on {
		v = 1
	}
	return m.PutU8(a[2], v), nil
}

// sockSetOptSize is sock_set_opt_size(fd, option, i64 size).
func sockSetOptSize(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	opt, e := sockOption(a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return t.Process().SockSetSize(uint32(a[0]), opt, a[2]), nil
}

// sockGetOptSize is sock_get_opt_size(fd, option, size *u64).
func sockGetOptSize(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	opt, e := sockOption(a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(a[2], 8); e != kernel.ESUCCESS {
		return e, nil
	}
	v, e := t.Process().SockGetSize(uint32(a[0]), opt)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU64(a[2], v), nil
}

// optionTimestampSize is an option<timestamp>: a u8 tag (0 none, 1
// some) and the nanoseconds at 8.
const optionTimestampSize = 16

// sockSetOptTime is sock_set_opt_time(fd, option, time
// *option<timestamp>): none clears the timeout.
func sockSetOptTime(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	opt, e := sockOption(a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	b, e := m.Bytes(a[2], optionTimestampSize)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	tag := b[0]
	ns, _ := m.U64(a[2] + 8)
	if tag > 1 || ns > math.MaxInt64 {
		return kernel.EINVAL, nil
	}
	return t.Process().SockSetTime(uint32(a[0]), opt, time.Duration(ns), tag == 1), nil
}

// sockGetOptTime is sock_get_opt_time(fd, option, time
// *option<timestamp>).
func sockGetOptTime(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	opt, e := sockOption(a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	b, e := m.Bytes(a[2], optionTimestampSize)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	d, set, e := t.Process().SockGetTime(uint32(a[0]), opt)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	clear(b)
	if set {
		b[0] = 1
		m.PutU64(a[2]+8, uint64(d))
	}
	return kernel.ESUCCESS, nil
}
