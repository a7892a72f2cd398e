//go:build !linux

package wasi

import "time"

// threadClock would be a thread's CPU clock: only Linux lets one thread
// read another's, so Limits.CPUTime is not enforced elsewhere.
type threadClock int32

func lockThreadClock() (threadClock, func(), bool) { return 0, nil, false }

func (c threadClock) now() (time.Duration, bool) { return 0, false }
