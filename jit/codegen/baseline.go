package codegen

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Baseline compiles one function to machine code during the validator's
// pass over its body, with no IR, no optimisation and no register
// allocation: the shape of V8's Liftoff, for a compile an order of
// magnitude cheaper than the optimising pipeline's (the code is slower).
//
// Every local and every operand stack height has a slot of its own in
// the frame; an instruction loads its operands into scratch registers,
// computes and stores its result in the slot of the height it leaves it
// at. Two kinds of stack entry are lazy: an integer constant (an
// immediate at its use, as the optimising back end's rematerialised
// constants) and a local.get (the local's slot itself, until a
// local.set of that local or the start of a block writes it to its own
// slot). The instructions themselves are the optimising back end's
// (gen.inst on a synthetic ir.Value whose locations are those slots), so
// both back ends have one lowering of each operation, traps, exits and
// sites included.
//
// Frame, from RSP after the prologue: the outgoing argument/result slots
// (Stream.EnableBaseline: as many as the module's widest function type
// needs, so that they are known before any body is read), the locals,
// then the operand stack slots; its size is known only at the end, so
// the few instructions that depend on it (the prologue's stack check and
// frame, the parameters' copies, the results' copies and the return) are
// encoded with a 32-bit placeholder and patched after Finish.
//
// A function using anything the baseline does not compile (v128, the
// proposals beyond 2.0's memory and table instructions) makes Err wrap
// ErrUnsupported; the engine compiles it with the optimising pipeline.
type Baseline struct {
	s   *Stream
	g   gen
	err error

	idx     uint32
	nloc    int
	out     int32 // bytes of outgoing slots
	h       int   // operand stack height
	inReg   int   // height of the entry in baseG or baseX, or -1
	maxH    int
	dead    front.DeadCode
	done    bool
	frames  []bframe
	vals    []ir.Value // by ID: 0 the instruction's result, 1+i local i, 1+nloc+h stack height h
	locs    []loc
	aliases []int32 // by local: stack entries that are that local (a lazy local.get)
	nalias  int
	args    []*ir.Value
	sigs    map[*wasm.FuncType]*ir.Signature
	patches []framePatch
	// numeric: every local is an i32, i64, f32 or f64, so loops can have
	// entries (rt.LoopEntry), which take the locals as plain slots.
	numeric bool
	loops   []loopLabel
}

// loopLabel is a loop entry being assembled.
type loopLabel struct {
	offset int32 // of the loop instruction
	entry  amd64.Label
}

// bframe is an open control construct.
type bframe struct {
	kind              validator.FrameKind
	label             amd64.Label // a branch's target: the loop's head, or after end
	els               amd64.Label // if: the else branch, until else
	hasEls            bool
	height            int // stack height below the parameters
	nparams, nresults int
}

// framePatch is a 32-bit displacement or immediate, the last four bytes
// of the instruction ending at label, that is frame size * sign + add.
type framePatch struct {
	label amd64.Label
	sign  int32
	add   int32
}

// placeholder forces a 32-bit encoding of a patched field.
const placeholder = 0x40000000

var baselines = sync.Pool{New: func() any { return &Baseline{sigs: map[*wasm.FuncType]*ir.Signature{}} }}

// EnableBaseline lets Baseline compile functions of s; outSlots is the
// largest ir.SlotCount of any function type's parameters or results in
// the module (the outgoing slots every baseline frame reserves).
func (s *Stream) EnableBaseline(outSlots int) { s.m.baseOut = int32(8 * max(outSlots, 4)) }

// Baseline returns a visitor compiling function idx straight from the
// validator's pass; Done hands it to the stream. Use a new one per
// function.
func (s *Stream) Baseline(idx int) *Baseline {
	b := baselines.Get().(*Baseline)
	b.s, b.idx, b.out = s, uint32(idx), s.m.baseOut
	return b
}

// Err reports why the function was not compiled (it wraps ErrUnsupported).
func (b *Baseline) Err() error { return b.err }

// Release gives b back for another function.
func (b *Baseline) Release() {
	if b.g.w != nil {
		b.g.putWork()
	}
	b.g = gen{}
	b.s, b.err, b.done, b.dead, b.h, b.maxH, b.nalias = nil, nil, false, front.DeadCode{}, 0, 0, 0
	b.frames, b.patches, b.loops = b.frames[:0], b.patches[:0], b.loops[:0]
	clear(b.sigs)
	baselines.Put(b)
}

func baseUnsupported(what string) error { return fmt.Errorf("%w: baseline: %s", ErrUnsupported, what) }

// giveUp records an unsupported construct; the function is then only
// validated.
func (b *Baseline) giveUp(err error) error {
	if errors.Is(err, ErrUnsupported) {
		b.err = err
		if b.g.w != nil {
			b.g.putWork()
			b.g.a.Reset()
			b.s.m.asms.Put(b.g.a)
			b.g.a = nil
		}
		return nil
	}
	return err
}

func (b *Baseline) irType(t wasm.ValType) (ir.Type, error) {
	it, ok := front.IRType(t)
	if !ok || it == ir.V128 {
		return 0, baseUnsupported("value type " + t.String())
	}
	return it, nil
}

// Begin starts the function: the prologue, then the parameters copied to
// their local slots and the other locals zeroed.
func (b *Baseline) Begin(f *validator.Func) error { return b.giveUp(b.begin(f)) }

func (b *Baseline) begin(f *validator.Func) error {
	if b.out == 0 {
		return errors.New("codegen: Baseline on a stream without EnableBaseline")
	}
	b.nloc = len(f.Locals)
	b.inReg = -1
	b.vals = ir.Reuse(&b.vals, 1+b.nloc+16)
	b.locs = ir.Reuse(&b.locs, len(b.vals))
	b.aliases = ir.Reuse(&b.aliases, b.nloc)
	b.numeric = true
	for i, t := range f.Locals {
		b.numeric = b.numeric && (t == wasm.I32 || t == wasm.I64 || t == wasm.F32 || t == wasm.F64)
		it, err := b.irType(t)
		if err != nil {
			return err
		}
		b.vals[1+i] = ir.Value{ID: 1 + i, Type: it}
		b.locs[1+i] = slotLoc(b.localOff(i))
	}
	for _, t := range f.Type.Results {
		if _, err := b.irType(t); err != nil {
			return err
		}
	}
	m := b.s.m
	asm, _ := m.asms.Get().(*amd64.Assembler)
	if asm == nil {
		asm = amd64.NewAssembler(m.target)
	}
	w := works.Get().(*work)
	b.g = gen{m: m, a: asm, idx: b.idx, traps: w.traps, trapStubs: w.trapStubs, late: w.late, trapSites: w.trapSites, sites: w.sites, w: w}
	b.g.locs = b.locs
	b.prologue(f)
	b.frames = append(b.frames, bframe{kind: validator.FrameFunc, label: asm.NewLabel(), nresults: len(f.Type.Results)})
	return nil
}

func (b *Baseline) localOff(i int) int32 { return b.out + int32(8*i) }
func (b *Baseline) stackOff(h int) int32 { return b.out + int32(8*(b.nloc+h)) }
func (b *Baseline) id(h int) int         { return 1 + b.nloc + h }

// patch binds a label after the instruction just emitted, whose last four
// bytes become frame*sign + add.
func (b *Baseline) patch(sign, add int32) {
	l := b.g.a.NewLabel()
	b.g.a.Bind(l)
	b.patches = append(b.patches, framePatch{label: l, sign: sign, add: add})
}

// prologue: the frame (enter), one fuel unit, the parameters copied to
// their locals and the other locals zeroed.
func (b *Baseline) prologue(f *validator.Func) {
	params := f.Type.Params
	b.enter(true, len(params))
	if len(params) < b.nloc {
		a := b.g.a
		a.RR(amd64.XOR, amd64.W32, rTmp, rTmp)
		for i := len(params); i < b.nloc; i++ {
			a.MR(amd64.MOV, amd64.W64, amd64.Ptr(amd64.RSP, b.localOff(i)), rTmp)
		}
	}
}

// enter makes the frame: the stack check (as gen.stackCheckFails, with
// the frame size patched), the depth count, the frame, one fuel unit if
// charge, and the first n incoming slots copied to locals 0...n-1.
func (b *Baseline) enter(charge bool, n int) {
	g := &b.g
	a := g.a
	a.RM(amd64.LEA, amd64.W64, rTmp, amd64.Ptr(amd64.RSP, -placeholder))
	b.patch(-1, 0)
	a.RM(amd64.CMP, amd64.W64, rTmp, ctxMem(rt.CtxStackLimit))
	g.prologue = true
	grow, fits := a.NewLabel(), a.NewLabel()
	a.Jcc(amd64.CondB, grow)
	trap := g.trap(rt.TrapCallStackExhausted)
	g.addLate(func() {
		a.Bind(grow)
		a.MI(amd64.MOV, amd64.W32, ctxMem(rt.CtxExit), int64(rt.ExitStack))
		a.MI(amd64.MOV, amd64.W64, ctxMem(rt.CtxPayload), placeholder)
		b.patch(1, 0)
		a.CallExtern(symExit)
		g.markSite(SitePrologue)
		a.RM(amd64.LEA, amd64.W64, rTmp, amd64.Ptr(amd64.RSP, -placeholder))
		b.patch(-1, 0)
		a.RM(amd64.CMP, amd64.W64, rTmp, ctxMem(rt.CtxStackLimit))
		a.Jcc(amd64.CondB, trap)
		a.Jmp(fits)
	})
	a.Bind(fits)
	g.depthIn()
	g.prologue = false
	a.RI(amd64.SUB, amd64.W64, amd64.RSP, placeholder)
	b.patch(1, 0)
	if charge {
		g.budget(-1)
	}
	for i := 0; i < n; i++ {
		a.RM(amd64.MOV, amd64.W64, rTmp, amd64.Ptr(amd64.RSP, placeholder))
		b.patch(1, int32(8+8*i))
		a.MR(amd64.MOV, amd64.W64, amd64.Ptr(amd64.RSP, b.localOff(i)), rTmp)
	}
}

// loopEntry gives the loop whose head is bound at head an entry
// (rt.LoopEntry), out of line: the frame, every local from the incoming
// slots, then the head. The loop must start at operand stack height 0
// with no parameters, so that the locals are all its state.
func (b *Baseline) loopEntry(head amd64.Label) {
	g := &b.g
	entry := g.a.NewLabel()
	b.loops = append(b.loops, loopLabel{offset: g.pos, entry: entry})
	g.addLate(func() {
		g.a.Bind(entry)
		b.enter(false, b.nloc)
		g.a.Jmp(head)
	})
}

// epilogue: the results (at stack heights 0...) to the incoming slots,
// the depth given back, the frame popped.
func (b *Baseline) epilogue(results []wasm.ValType) {
	g := &b.g
	a := g.a
	for i := range results {
		a.RM(amd64.MOV, amd64.W64, rTmp, amd64.Ptr(amd64.RSP, b.stackOff(i)))
		a.MR(amd64.MOV, amd64.W64, amd64.Ptr(amd64.RSP, placeholder), rTmp)
		b.patch(1, int32(8+8*i))
	}
	g.depthOut()
	a.RI(amd64.ADD, amd64.W64, amd64.RSP, placeholder)
	b.patch(1, 0)
	a.Op0(amd64.RET, amd64.WNone)
}

// End finishes the function and hands its code to the stream.
func (b *Baseline) End(f *validator.Func) error {
	if b.err != nil {
		return nil
	}
	if !b.done {
		return errors.New("codegen: baseline: function body ended without its final end")
	}
	g := &b.g
	g.outOfLine()
	frame := 8*int(b.out/8) + 8*(b.nloc+b.maxH)
	if frame%16 == 0 {
		frame += 8
	}
	fc := b.finish(int32(frame))
	g.a.Reset()
	b.s.m.asms.Put(g.a)
	g.putWork()
	b.s.out[b.idx] = fc
	return fc.err
}

func (b *Baseline) finish(frame int32) funcCode {
	g := &b.g
	code, err := g.a.Finish()
	if err == nil {
		err = g.err
	}
	var sites []Site
	if err == nil {
		sites, err = g.resolveSites()
	}
	for _, p := range b.patches {
		if err != nil {
			break
		}
		var at int
		if at, err = g.a.Offset(p.label); err == nil {
			binary.LittleEndian.PutUint32(code[at-4:], uint32(frame*p.sign+p.add))
		}
	}
	if err != nil {
		return funcCode{err: fmt.Errorf("function %d: baseline: %w", b.idx, err)}
	}
	for i := range sites {
		if sites[i].Kind == SiteCall {
			sites[i].Frame += frame
		}
	}
	var loops []rt.LoopEntry
	for _, l := range b.loops {
		at, err := g.a.Offset(l.entry)
		if err != nil {
			return funcCode{err: fmt.Errorf("function %d: baseline: loop entry: %w", b.idx, err)}
		}
		loops = append(loops, rt.LoopEntry{Func: b.idx, Offset: l.offset, At: at})
	}
	return funcCode{code: append([]byte(nil), code...), refs: g.a.Externs(), used: g.a.Used(), sites: sites, loops: loops}
}
