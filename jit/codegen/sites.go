package codegen

import (
	"sort"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/rt"
)

// Sites (rt.Site): every call instruction in machine code (calls
// between functions, calls of the exit stub, calls of trap stubs) is
// followed by a return address that Module.Sites describes. On amd64 a
// return record is the return address CALL pushed; a SiteCall's Frame is
// its function's frame size (bytes below the function's return address),
// other sites have Frame 0.
//
// A trap site does not exit by itself: it calls its function's shared
// stub for the trap code (a 5-byte CALL out of line), which exits, so
// the stub's return address (SiteTrapStub) is followed on the stack by
// the trap site's.

// Site, SiteKind and the kinds are rt's.
type (
	Site     = rt.Site
	SiteKind = rt.SiteKind
)

const (
	SiteCall     = rt.SiteCall
	SitePrologue = rt.SitePrologue
	SiteTrapStub = rt.SiteTrapStub
)

// SiteAt returns the site whose return address is at offset ret of
// Code.
func (m *Module) SiteAt(ret int) (Site, bool) { return rt.SiteAt(m.Sites, ret) }

// pendingSite is a site of the function being assembled: its return
// address is where label is bound.
type pendingSite struct {
	label amd64.Label
	pos   int32
	frame int32
	kind  SiteKind
}

// markSite records the return address of the call just emitted.
func (g *gen) markSite(kind SiteKind) {
	l := g.a.NewLabel()
	g.a.Bind(l)
	frame := g.frame
	if kind != SiteCall {
		frame = 0
	}
	g.sites = append(g.sites, pendingSite{label: l, pos: g.pos, frame: frame, kind: kind})
}

// resolveSites turns the function's pending sites into Sites relative to
// its code, after Finish.
func (g *gen) resolveSites() ([]Site, error) {
	out := make([]Site, 0, len(g.sites))
	for _, s := range g.sites {
		at, err := g.a.Offset(s.label)
		if err != nil {
			return nil, err
		}
		out = append(out, Site{Ret: at, Func: g.idx, Pos: s.pos, Frame: s.frame, Kind: s.kind})
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
// out of line, it calls the function's stub for code (trapStub). The
// sites are emitted after the other out-of-line code (trapSites).
func (g *gen) trap(code rt.TrapCode) amd64.Label {
	k := trapKey{code, g.pos, g.prologue}
	l, ok := g.traps[k]
	if !ok {
		l = g.a.NewLabel()
		g.traps[k] = l
		kind := SiteCall
		if k.prologue {
			kind = SitePrologue
		}
		g.trapSites = append(g.trapSites, pendingTrap{label: l, stub: g.trapStub(code), pos: g.pos, kind: kind})
	}
	return l
}

// pendingTrap is a trap site to emit (trap).
type pendingTrap struct {
	label, stub amd64.Label
	pos         int32
	kind        SiteKind
}

// outOfLine emits the out-of-line code: the late code (which may ask
// for more), then the trap sites. A table of plain records, not a
// closure each: a function has a trap site per memory access.
func (g *gen) outOfLine() {
	for i := 0; i < len(g.late); i++ {
		g.late[i]()
	}
	for _, t := range g.trapSites {
		g.a.Bind(t.label)
		g.a.Call(t.stub)
		g.pos = t.pos
		g.markSite(t.kind)
	}
}

// trapStub is the label of this function's stub exiting with code:
// Payload carries the function index too, for the trap's frame.
func (g *gen) trapStub(code rt.TrapCode) amd64.Label {
	l, ok := g.trapStubs[code]
	if !ok {
		l = g.a.NewLabel()
		g.trapStubs[code] = l
		a := g.a
		g.addLate(func() {
			a.Bind(l)
			a.MI(amd64.MOV, amd64.W32, ctxMem(rt.CtxExit), int64(rt.ExitTrap))
			a.MovImm(amd64.W64, rTmp, int64(code)|int64(g.idx)<<32)
			a.MR(amd64.MOV, amd64.W64, ctxMem(rt.CtxPayload), rTmp)
			a.CallExtern(symExit)
			g.markSite(SiteTrapStub)
			a.Op0(amd64.UD2, amd64.WNone) // never resumed
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
