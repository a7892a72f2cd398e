package arm64gen

import (
	"sort"

	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/rt"
)

// Sites (rt.Site): a return record on arm64 is {X29, X30} (rt.FrameRecord
// 16 bytes, the return address at +8). The exit stub and trap stubs push
// theirs below SP; a called function stores its own in the 16 bytes its
// caller keeps at the bottom of its frame. So a site's Frame, the bytes
// from its record to the next one up beyond 16, is: the function's frame
// for an exit or a trap site (the function's record is frame+16 above the
// pushed one), frame-16 for a call to a function (its record is at the
// caller's SP), 0 for a trap stub's exit (the trap site's record is
// next) and for a prologue's stack check (the function's record, stored
// first, is next).

// pendingSite is a site of the function being assembled: its return
// address is where label is bound.
type pendingSite struct {
	label arm64.Label
	pos   int32
	frame int32
	kind  rt.SiteKind
}

// markSite records the return address of the BL or BLR just emitted.
func (g *gen) markSite(kind rt.SiteKind, frame int32) {
	l := g.a.NewLabel()
	g.a.Bind(l)
	g.sites = append(g.sites, pendingSite{label: l, pos: g.pos, frame: frame, kind: kind})
}

// recordSize is an arm64 return record's size (rt.FrameRecord on arm64
// hosts; this package compiles on any).
const recordSize = 16

// callFrame is the Frame of a call to a function from this function.
func (g *gen) callFrame() int32 { return g.frame - recordSize }

// resolveSites turns the pending sites into Sites relative to the code.
func (g *gen) resolveSites() ([]rt.Site, error) {
	out := make([]rt.Site, 0, len(g.sites))
	for _, s := range g.sites {
		at, err := g.a.Offset(s.label)
		if err != nil {
			return nil, err
		}
		out = append(out, rt.Site{Ret: at, Func: g.idx, Pos: s.pos, Frame: s.frame, Kind: s.kind})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ret < out[j].Ret })
	return out, nil
}

// trapKey names a trap site: the trap and the instruction (and whether
// it is the prologue's stack check).
type trapKey struct {
	code     rt.TrapCode
	pos      int32
	prologue bool
}

// trap is the label of a trap site for code at the current instruction:
// out of line, it calls the function's stub for code.
func (g *gen) trap(code rt.TrapCode) arm64.Label {
	k := trapKey{code, g.pos, g.prologue}
	l, ok := g.traps[k]
	if !ok {
		l = g.a.NewLabel()
		g.traps[k] = l
		stub := g.trapStub(code)
		a := g.a
		g.addLate(func() {
			a.Bind(l)
			a.BL(stub)
			if k.prologue {
				g.markSite(rt.SitePrologue, 0)
			} else {
				g.markSite(rt.SiteCall, g.frame)
			}
		})
	}
	return l
}

// trapStub is the label of this function's stub exiting with code: it
// pushes the trap site's record, then exits with Payload = code and the
// function index.
func (g *gen) trapStub(code rt.TrapCode) arm64.Label {
	l, ok := g.stubs[code]
	if !ok {
		l = g.a.NewLabel()
		g.stubs[code] = l
		a := g.a
		g.addLate(func() {
			a.Bind(l)
			a.Pair(arm64.STP, arm64.W64, arm64.FP, arm64.LR, arm64.PreIndex(arm64.RSP, -16))
			g.setExit(rt.ExitTrap)
			g.storeCtx(rt.CtxPayload, uint64(code)|uint64(g.idx)<<32)
			a.CallExtern(symExit)
			g.markSite(rt.SiteTrapStub, 0)
			a.Udf(0) // never resumed
		})
	}
	return l
}

// addLate queues out-of-line code, emitted after the body, at the
// current instruction's position (for the sites it marks).
func (g *gen) addLate(f func()) {
	pos := g.pos
	g.late = append(g.late, func() {
		g.pos = pos
		f()
	})
}
