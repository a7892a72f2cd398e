package wasix

import (
	"context"
	"encoding/binary"
	"math"
	"time"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// The socket options are numbered as kernel.SockOption is (WASIX's
// sock_option); the kernel knows which are flags, sizes and times. The
// six sock_{set,get}_opt_{flag,size,time} calls share their shape:
// sockSetOpt and sockGetOpt make them from what differs (how the value
// is read from the arguments or written to the result).

// sockOption narrows an option argument (a u8).
func sockOption(v uint64) (kernel.SockOption, kernel.Errno) {
	if v > 0xff {
		return 0, kernel.EINVAL
	}
	return kernel.SockOption(v), kernel.ESUCCESS
}

// sockOptCall is the signature of the socket option calls.
type sockOptCall = func(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error)

// sockSetOpt makes sock_set_opt_*(fd, option, value): set applies the
// value argument (or what it points to) to the socket.
func sockSetOpt(set func(p *kernel.Process, fd uint32, opt kernel.SockOption, m wasi.Mem, v uint64) kernel.Errno) sockOptCall {
	return func(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
		opt, e := sockOption(a[1])
		if e != kernel.ESUCCESS {
			return e, nil
		}
		return set(t.Process(), uint32(a[0]), opt, m, a[2]), nil
	}
}

// sockGetOpt makes sock_get_opt_*(fd, option, result *T): the size bytes
// of the result are checked before the kernel is asked, then get writes
// the answer into them.
func sockGetOpt(size uint64, get func(p *kernel.Process, fd uint32, opt kernel.SockOption, out []byte) kernel.Errno) sockOptCall {
	return func(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
		opt, e := sockOption(a[1])
		if e != kernel.ESUCCESS {
			return e, nil
		}
		out, e := m.Bytes(a[2], size)
		if e != kernel.ESUCCESS {
			return e, nil
		}
		return get(t.Process(), uint32(a[0]), opt, out), nil
	}
}

// optionTimestampSize is an option<timestamp>: a u8 tag (0 none, 1
// some) and the nanoseconds at 8.
const optionTimestampSize = 16

var (
	// sockSetOptFlag is sock_set_opt_flag(fd, option, bool).
	sockSetOptFlag = sockSetOpt(func(p *kernel.Process, fd uint32, opt kernel.SockOption, _ wasi.Mem, v uint64) kernel.Errno {
		if v > 1 {
			return kernel.EINVAL
		}
		return p.SockSetFlag(fd, opt, v == 1)
	})
	// sockGetOptFlag is sock_get_opt_flag(fd, option, flag *bool).
	sockGetOptFlag = sockGetOpt(1, func(p *kernel.Process, fd uint32, opt kernel.SockOption, out []byte) kernel.Errno {
		on, e := p.SockGetFlag(fd, opt)
		if e == kernel.ESUCCESS {
			out[0] = 0
			if on {
				out[0] = 1
			}
		}
		return e
	})
	// sockSetOptSize is sock_set_opt_size(fd, option, i64 size).
	sockSetOptSize = sockSetOpt(func(p *kernel.Process, fd uint32, opt kernel.SockOption, _ wasi.Mem, v uint64) kernel.Errno {
		return p.SockSetSize(fd, opt, v)
	})
	// sockGetOptSize is sock_get_opt_size(fd, option, size *u64).
	sockGetOptSize = sockGetOpt(8, func(p *kernel.Process, fd uint32, opt kernel.SockOption, out []byte) kernel.Errno {
		v, e := p.SockGetSize(fd, opt)
		if e == kernel.ESUCCESS {
			binary.LittleEndian.PutUint64(out, v)
		}
		return e
	})
	// sockSetOptTime is sock_set_opt_time(fd, option, time
	// *option<timestamp>): none clears the timeout.
	sockSetOptTime = sockSetOpt(func(p *kernel.Process, fd uint32, opt kernel.SockOption, m wasi.Mem, ptr uint64) kernel.Errno {
		b, e := m.Bytes(ptr, optionTimestampSize)
		if e != kernel.ESUCCESS {
			return e
		}
		tag, ns := b[0], binary.LittleEndian.Uint64(b[8:])
		if tag > 1 || ns > math.MaxInt64 {
			return kernel.EINVAL
		}
		return p.SockSetTime(fd, opt, time.Duration(ns), tag == 1)
	})
	// sockGetOptTime is sock_get_opt_time(fd, option, time
	// *option<timestamp>).
	sockGetOptTime = sockGetOpt(optionTimestampSize, func(p *kernel.Process, fd uint32, opt kernel.SockOption, out []byte) kernel.Errno {
		d, set, e := p.SockGetTime(fd, opt)
		if e == kernel.ESUCCESS {
			clear(out)
			if set {
				out[0] = 1
				binary.LittleEndian.PutUint64(out[8:], uint64(d))
			}
		}
		return e
	})
)
