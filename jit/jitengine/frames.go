//go:build (amd64 || arm64) && unix

package jitengine

import (
	"errors"
	"sort"
	"sync"

	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
)

// Backtraces of machine code: a trap (or a callee's trap passing through
// an exit) gets the wasm frames of the machine stack, walked from the
// innermost exit to the trampoline with the return-address sites of
// codegen (rt.Site). Nothing is recorded while code runs: the
// cost is paid only by the walk.

// codeRange is the site table of one mapping of machine code.
type codeRange struct {
	start, end uintptr
	sites      *genModule
}

// liveCode lists the mapped code, by start address: a return address
// on a machine stack may belong to any batch of a module's code (tiering
// compiles batches that call each other directly).
var liveCode struct {
	mu     sync.RWMutex
	ranges []codeRange
}

// registerCode adds a mapping's sites; the mapping's finalizer removes
// them with unregisterCode before unmapping.
func registerCode(start uintptr, size int, sites []rt.Site) {
	r := codeRange{start: start, end: start + uintptr(size), sites: &genModule{Sites: sites}}
	liveCode.mu.Lock()
	defer liveCode.mu.Unlock()
	i := sort.Search(len(liveCode.ranges), func(i int) bool { return liveCode.ranges[i].start >= start })
	liveCode.ranges = append(liveCode.ranges, codeRange{})
	copy(liveCode.ranges[i+1:], liveCode.ranges[i:])
	liveCode.ranges[i] = r
}

func unregisterCode(start uintptr) {
	liveCode.mu.Lock()
	defer liveCode.mu.Unlock()
	i := sort.Search(len(liveCode.ranges), func(i int) bool { return liveCode.ranges[i].start >= start })
	if i < len(liveCode.ranges) && liveCode.ranges[i].start == start {
		liveCode.ranges = append(liveCode.ranges[:i], liveCode.ranges[i+1:]...)
	}
}

// siteAt finds the site of return address ret.
func siteAt(ret uintptr) (rt.Site, bool) {
	liveCode.mu.RLock()
	defer liveCode.mu.RUnlock()
	rs := liveCode.ranges
	// A return address is after its call: it may be the code's end.
	i := sort.Search(len(rs), func(i int) bool { return rs[i].end >= ret })
	if i == len(rs) || ret <= rs[i].start {
		return rt.Site{}, false
	}
	return rs[i].sites.SiteAt(int(ret - rs[i].start))
}

// walk calls visit with the site of every wasm frame on st, innermost
// first, from its last exit up to the trampoline; visit returns false to
// stop. It stops too at a return address it does not know (which would
// be a bug of the sites).
func walk(st *rt.Stack, visit func(rt.Site) bool) {
	c := st.Ctx()
	sp, end := c.ResumeSP(), c.EntrySP()
	for sp < end {
		ret, ok := st.Word(sp + rt.FrameRecordRet)
		if !ok {
			return
		}
		s, ok := siteAt(uintptr(ret))
		if !ok {
			return
		}
		// A trap stub's exit (the trap site's record is next) or a
		// prologue's stack check (no frame) is no wasm frame.
		if s.Kind == rt.SiteCall && !visit(s) {
			return
		}
		sp += rt.FrameRecord + uintptr(s.Frame)
	}
}

// backtrace is the wasm frames of inst's code on st, innermost first:
// at most store.MaxTrapFrames, and how many more there are.
func backtrace(st *rt.Stack, inst *store.Instance) (frames []store.Frame, omitted int) {
	walk(st, func(s rt.Site) bool {
		if len(frames) == store.MaxTrapFrames {
			omitted++
			return true
		}
		fr := frame(inst, s.Func)
		fr.Offset = int(s.Pos)
		if inst != nil {
			fr.Source = inst.Locate(fr.Offset)
		}
		frames = append(frames, fr)
		return true
	})
	return frames, omitted
}

// withBacktrace appends st's frames to the backtrace of err, when it is a
// trap raised at st's last exit or below it: by machine code, by Go for
// machine code, or by a callee (an uncaught exception thrown by a
// callee included: if no frame catches it, its backtrace goes from the
// throw to the outermost frame, as in the interpreter). A host
// function's trap that already has frames (raised by wasm code the host
// function called) keeps them alone (store.Trap.Reentered: whatever
// engine runs the host function's callers).
func withBacktrace(err error, st *rt.Stack, inst *store.Instance, host bool) error {
	var t *store.Trap
	if !errors.As(err, &t) || t.Reentered {
		return err
	}
	if host && len(t.Frames) > 0 {
		t.Reentered = true
		return err
	}
	t.AppendFrames(backtrace(st, inst))
	return err
}
