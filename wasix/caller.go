package wasix

import (
	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
)

// callerInstance returns the instance making the current call (the
// module thread_spawn_v2 instantiates again), or nil.
func callerInstance(m wasi.Mem) *kiln.Instance {
	if c := m.Caller(); c != nil {
		return c.Instance()
	}
	return nil
}

// callerMemory returns the memory of the instance making the current
// call, whose wait queues futexes use, or nil.
func callerMemory(m wasi.Mem) *kiln.Memory {
	if c := m.Caller(); c != nil {
		return c.Memory()
	}
	return nil
}
