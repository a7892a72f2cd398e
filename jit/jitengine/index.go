//go:build (amd64 || arm64) && unix

package jitengine

import (
	"sync/atomic"

	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
)

// setCallIndex points c at inst's call index (rt.IndexTables), building
// it on the instance's first run, and returns it (nil: inst has no
// table). The index learns the entries of compiled functions from the
// exits that resolve them (ExitCallIndirect), so functions compiled
// later (tiering) join it too.
func setCallIndex(c *rt.Ctx, inst *store.Instance) *store.CallIndex {
	c.Tables = 0
	if inst == nil || len(inst.Tables) == 0 {
		return nil
	}
	ci := inst.CallIndex()
	c.Tables = ci.Addr()
	return ci
}

// indirectExits counts the call_indirect exits (the slow path), for the
// tests to see the fast path taken.
var indirectExits atomic.Uint64
