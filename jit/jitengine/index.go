//go:build (amd64 || arm64) && unix

package jitengine

import (
	"sync/atomic"

	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
)

// setCallIndex points c at inst's call index (rt.IndexTables), building
// it on the instance's first run with the entries of the functions
// compiled by then, and returns it (nil: inst has no table). The index
// learns the entries of functions compiled later (tiering) from the
// exits that resolve them (ExitCallIndirect).
func setCallIndex(c *rt.Ctx, inst *store.Instance) *store.CallIndex {
	c.Tables = 0
	if inst == nil || len(inst.Tables) == 0 {
		return nil
	}
	ci := inst.CallIndex(entryOf)
	c.Tables = ci.Addr()
	return ci
}

// indirectExits counts the call_indirect exits (the slow path), for the
// tests to see the fast path taken.
var indirectExits atomic.Uint64

// entryOf is f's machine-code entry, or 0 when it has none yet.
func entryOf(f *store.Function) uintptr {
	if cc := compiled(f); cc != nil {
		return cc.entry
	}
	return 0
}
