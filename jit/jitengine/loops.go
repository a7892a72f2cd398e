//go:build (amd64 || arm64) && unix

package jitengine

import (
	"context"
	"sort"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
)

// On-stack replacement (engine.LoopRunner): under EngineAuto a function
// promoted while one of its frames is interpreted, such as a function
// called once that loops for the whole run, continues in machine code at
// the interpreter's next back-edge to a loop with an entry (rt.LoopEntry,
// made by the baseline compiler for loops entered with an empty operand
// stack in functions whose locals are numbers). The interpreted frame
// ends there: the machine code runs the rest of the call, and its results
// are the frame's.

// codeLoops are the loop entries of one function's baseline code, which
// the optimised code that replaces it keeps: an interpreted frame enters
// the baseline code even after that (the optimising pipeline makes no
// loop entries).
type codeLoops struct {
	base    *Code
	entries []loopAt // by offset
}

type loopAt struct {
	offset int32 // of the loop instruction in the module binary
	entry  uintptr
}

// addLoops gives codes (by function index) the entries of loops, whose
// At are relative to addr.
func addLoops(codes []*Code, loops []rt.LoopEntry, addr uintptr) {
	for _, l := range loops {
		c := codes[l.Func]
		if c == nil {
			continue
		}
		if c.loops == nil {
			c.loops = &codeLoops{base: c}
		}
		c.loops.entries = append(c.loops.entries, loopAt{offset: l.Offset, entry: addr + uintptr(l.At)})
	}
	for _, c := range codes {
		if c != nil && c.loops != nil {
			sort.Slice(c.loops.entries, func(i, j int) bool { return c.loops.entries[i].offset < c.loops.entries[j].offset })
		}
	}
}

// entry returns the entry of the loop at offset.
func (l *codeLoops) entry(offset int32) (uintptr, bool) {
	i := sort.Search(len(l.entries), func(i int) bool { return l.entries[i].offset >= offset })
	if i < len(l.entries) && l.entries[i].offset == offset {
		return l.entries[i].entry, true
	}
	return 0, false
}

// RunLoop continues f, whose code was promoted to code0, at the head of
// its loop at offset loop, with its locals in the first locals slots of
// Slots (engine.LoopRunner). It reports false, having run nothing, when
// the code has no entry there.
func (x *executor) RunLoop(ctx context.Context, f *store.Function, code0 any, loop int, locals int, fuel *engine.Fuel) (bool, error) {
	code, ok := code0.(*Code)
	if !ok || f.Host != nil || code.loops == nil {
		return false, nil
	}
	entry, ok := code.loops.entry(int32(loop))
	if !ok {
		return false, nil
	}
	base := code.loops.base
	tiering := x.tierer != nil && (base.tier != nil || base.mod.links != nil)
	return true, x.run(ctx, f, base, entry, locals, fuel, tiering)
}
