package kernel

import (
	"math"
	"time"

	"golang.org/x/sys/unix"
)

// ClockID identifies a WASI clock.
type ClockID uint32

// Clocks (WASI clockid numbering).
const (
	ClockRealtime ClockID = iota
	ClockMonotonic
	ClockProcessCPUTime
	ClockThreadCPUTime
)

// hostClocks maps WASI clocks to host clocks for resolution and CPU time.
var hostClocks = [...]int32{
	ClockRealtime:       unix.CLOCK_REALTIME,
	ClockMonotonic:      unix.CLOCK_MONOTONIC,
	ClockProcessCPUTime: unix.CLOCK_PROCESS_CPUTIME_ID,
	ClockThreadCPUTime:  unix.CLOCK_THREAD_CPUTIME_ID,
}

// ClockResGet returns the resolution of a clock in nanoseconds.
func (p *Process) ClockResGet(id ClockID) (uint64, Errno) {
	if int(id) >= len(hostClocks) {
		return 0, EINVAL
	}
	res, err := clockRes(hostClocks[id])
	if err != nil {
		return 0, ErrnoOf(err)
	}
	if res > 0 {
		return uint64(res), ESUCCESS
	}
	return 1, ESUCCESS
}

// ClockTimeGet returns the time of a clock in nanoseconds. Realtime is
// nanoseconds since the Unix epoch (moved by ClockTimeSet); monotonic counts from process start
// (plus one, so it is never zero); the CPU-time clocks are those of the
// host process and of the calling host thread. precision is a hint and is
// ignored.
func (p *Process) ClockTimeGet(id ClockID, precision uint64) (uint64, Errno) {
	switch id {
	case ClockRealtime:
		return uint64(time.Now().UnixNano() + p.realtimeOffset.Load()), ESUCCESS
	case ClockMonotonic:
		return p.monotonic(), ESUCCESS
	case ClockProcessCPUTime, ClockThreadCPUTime:
		var ts unix.Timespec
		if err := unix.ClockGettime(hostClocks[id], &ts); err != nil {
			return 0, ErrnoOf(err)
		}
		return uint64(ts.Nano()), ESUCCESS
	}
	return 0, EINVAL
}

func (p *Process) monotonic() uint64 { return uint64(time.Since(p.start)) + 1 }

// ClockTimeSet sets the process's realtime clock to ns nanoseconds since
// the Unix epoch (WASIX clock_time_set): the process's clock runs on from
// there, an offset from the host's, which is never set. Only realtime
// can be set (EINVAL otherwise, as clock_settime says of the monotonic
// clock), to at most the largest int64 (the year 2262).
func (p *Process) ClockTimeSet(id ClockID, ns uint64) Errno {
	if id != ClockRealtime || ns > math.MaxInt64 {
		return EINVAL
	}
	p.realtimeOffset.Store(int64(ns) - time.Now().UnixNano())
	return ESUCCESS
}
