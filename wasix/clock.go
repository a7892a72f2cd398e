package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// clockTimeSet is clock_time_set(clock, ns): set the process's realtime
// clock, which moves an offset the kernel adds to the host's realtime
// clock for this process only; the host clock is never set. Other clocks
// cannot be set (EINVAL), as clock_settime says of the monotonic one.
func clockTimeSet(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return t.Process().ClockTimeSet(kernel.ClockID(uint32(a[0])), a[1]), nil
}
