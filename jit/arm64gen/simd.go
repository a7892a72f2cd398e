package arm64gen

import (
	"fmt"

	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/wasm"
)

// v128 values live in whole vector registers (Q) and in 16-byte slots
// (regalloc.VecSlot: 16-aligned, as SP is); argument and result slots
// hold one in two 8-byte slots, low half first, maybe not 16-aligned.
// A function with a v128 gives up V29 (vTmp3) to the allocator: an
// operation of several instructions computes into its result's register
// or, when the result lives in a slot, into V29, so no destination is
// ever an operand's register or its scratch (V30, V31; V30:V31 are the
// two-register table of a shuffle's TBL).

// vTmp3 is the third vector scratch of functions with a v128.
const vTmp3 = arm64.V29

// simdAllocConfig is allocConfig without vTmp3.
var simdAllocConfig = func() regalloc.Config {
	c := allocConfig
	c.Vecs = c.Vecs[:len(c.Vecs)-1] // V29
	return c
}()

// usesV128 reports whether f has a v128 value or a SIMD operation.
func usesV128(f *ir.Func) bool {
	for _, t := range f.Sig.Params {
		if t == ir.V128 {
			return true
		}
	}
	for _, b := range f.Blocks {
		for _, p := range b.Params {
			if p.Type == ir.V128 {
				return true
			}
		}
		for _, v := range b.Insts {
			if v.Type == ir.V128 || isSIMDOp(v.Op) {
				return true
			}
		}
	}
	return false
}

func isSIMDOp(op ir.Op) bool {
	return op == ir.OpV128Make || op == ir.OpSIMD || op == ir.OpSIMDLoad || op == ir.OpSIMDStore
}

// checkSIMD reports a SIMD operation the back end does not lower.
func checkSIMD(v *ir.Value) error {
	if v.Op != ir.OpSIMD {
		return nil
	}
	op, _ := v.SIMDOp()
	if !simdLowered(op) {
		return fmt.Errorf("%w: %v", ErrUnsupported, op)
	}
	if op == wasm.OpI8x16Shuffle && ir.ShuffleLanes(v) == nil {
		return fmt.Errorf("%w: i8x16.shuffle with lane indices not constant", ErrUnsupported)
	}
	return nil
}

// slotQ is the memory operand of a 16-byte value at stack offset off:
// the scaled or unscaled immediate forms, else through rFar.
func (g *gen) slotQ(off int32) arm64.Mem {
	if off >= 0 && off%16 == 0 && off < 16<<12 || off >= -256 && off < 256 {
		return arm64.Ptr(arm64.RSP, int64(off))
	}
	g.spOffset(rFar, int64(off))
	return arm64.Ptr(rFar, 0)
}

// moveV128 copies a v128 between registers and slots.
func (g *gen) moveV128(dst, src regalloc.Loc) {
	a := g.a
	switch {
	case dst.Kind == regalloc.LocVec && src.Kind == regalloc.LocVec:
		a.Vec3(arm64.VORR, arm64.B16, vreg(dst), vreg(src), vreg(src))
	case dst.Kind == regalloc.LocVec && src.Kind == regalloc.LocSlot:
		a.FLoadStore(arm64.LDR, arm64.S128, vreg(dst), g.slotQ(src.Off))
	case dst.Kind == regalloc.LocSlot && src.Kind == regalloc.LocVec:
		a.FLoadStore(arm64.STR, arm64.S128, vreg(src), g.slotQ(dst.Off))
	case dst.Kind == regalloc.LocSlot && src.Kind == regalloc.LocSlot:
		for _, off := range []int32{0, 8} {
			a.LoadStore(arm64.LDR, arm64.S64, rTmp, g.slot(src.Off+off))
			a.LoadStore(arm64.STR, arm64.S64, rTmp, g.slot(dst.Off+off))
		}
	default:
		g.err = fmt.Errorf("arm64gen: v128 moved from %v to %v", src, dst)
	}
}

// vdst is the register to compute v128 (or float) v in with several
// instructions: its own, or vTmp3 when it lives in a slot. It is never
// an operand's register, nor V30 or V31.
func (g *gen) vdst(v *ir.Value) arm64.VReg {
	if l := g.locs[v.ID]; l.Kind == regalloc.LocVec {
		return vreg(l)
	}
	return vTmp3
}

// vinto copies v128 x into register d.
func (g *gen) vinto(d arm64.VReg, x *ir.Value) {
	g.move(regalloc.Vec(uint8(d)), g.locs[x.ID], ir.V128)
}

// simd emits a SIMD operation.
func (g *gen) simd(v *ir.Value) {
	switch v.Op {
	case ir.OpV128Make:
		g.v128Make(v)
	case ir.OpSIMDLoad:
		g.simdLoad(v)
	case ir.OpSIMDStore:
		g.simdStore(v)
	default:
		op, _ := v.SIMDOp()
		op = ir.SIMDAlias(op)
		// V128 and float results are computed in d; integer results
		// (lanes, masks, tests) in their general register.
		vec := regalloc.IsVec(v.Type)
		d := vTmp3
		if vec {
			d = g.vdst(v)
		}
		if b, ok := simdBinary[op]; ok {
			g.vbinary(v, d, b)
		} else if u, ok := simdUnary[op]; ok {
			g.a.Vec2(u.op, u.arr, d, g.useX(v.Args[0], vTmp))
		} else {
			simdSpecial[op](g, v, d)
		}
		if vec {
			g.defX(v, d)
		}
	}
}

// v128Make builds a v128 from two i64 halves: FMOV clears the upper
// half, INS sets it.
func (g *gen) v128Make(v *ir.Value) {
	a := g.a
	lo, hi := v.Args[0], v.Args[1]
	d := g.vdst(v)
	if lo.Op == ir.OpConst && hi.Op == ir.OpConst && lo.Aux == 0 && hi.Aux == 0 {
		a.MoviZero(d)
	} else {
		a.FmovFromGP(arm64.W64, d, g.useG(lo, rTmp))
		a.InsGP(arm64.S64, d, 1, g.useG(hi, rTmp2))
	}
	g.defX(v, d)
}

// laneBase sets rAddr to the absolute address of access m (address's
// [X25 + rAddr]) for the single-structure loads and stores, which take
// a base register only.
func (g *gen) laneBase() {
	g.a.AddReg(arm64.ADD, arm64.W64, rAddr, rMem, rAddr, arm64.LSL, 0)
}

// simdLoadKind says how a v128 load is lowered.
type simdLoadKind uint8

const (
	loadPlain simdLoadKind = iota // LDR of size (a scalar load clears the rest of the register)
	loadWiden                     // a 64-bit LDR widened from arr
	loadSplat                     // LD1R of arr
	loadLane                      // LD1 of one lane of size
)

// simdLoads are the v128 loads.
var simdLoads = map[wasm.Opcode]struct {
	kind  simdLoadKind
	size  arm64.Size
	arr   arm64.Arrangement
	widen arm64.WidenOp
}{
	wasm.OpV128Load:        {kind: loadPlain, size: arm64.S128},
	wasm.OpV128Load8x8S:    {kind: loadWiden, widen: arm64.SSHLL, arr: arm64.B8},
	wasm.OpV128Load8x8U:    {kind: loadWiden, widen: arm64.USHLL, arr: arm64.B8},
	wasm.OpV128Load16x4S:   {kind: loadWiden, widen: arm64.SSHLL, arr: arm64.H4},
	wasm.OpV128Load16x4U:   {kind: loadWiden, widen: arm64.USHLL, arr: arm64.H4},
	wasm.OpV128Load32x2S:   {kind: loadWiden, widen: arm64.SSHLL, arr: arm64.S2},
	wasm.OpV128Load32x2U:   {kind: loadWiden, widen: arm64.USHLL, arr: arm64.S2},
	wasm.OpV128Load8Splat:  {kind: loadSplat, arr: arm64.B16},
	wasm.OpV128Load16Splat: {kind: loadSplat, arr: arm64.H8},
	wasm.OpV128Load32Splat: {kind: loadSplat, arr: arm64.S4},
	wasm.OpV128Load64Splat: {kind: loadSplat, arr: arm64.D2},
	wasm.OpV128Load32Zero:  {kind: loadPlain, size: arm64.S32},
	wasm.OpV128Load64Zero:  {kind: loadPlain, size: arm64.S64},
	wasm.OpV128Load8Lane:   {kind: loadLane, size: arm64.S8},
	wasm.OpV128Load16Lane:  {kind: loadLane, size: arm64.S16},
	wasm.OpV128Load32Lane:  {kind: loadLane, size: arm64.S32},
	wasm.OpV128Load64Lane:  {kind: loadLane, size: arm64.S64},
}

// simdStoreLanes are the lane stores' element sizes.
var simdStoreLanes = map[wasm.Opcode]arm64.Size{
	wasm.OpV128Store8Lane: arm64.S8, wasm.OpV128Store16Lane: arm64.S16,
	wasm.OpV128Store32Lane: arm64.S32, wasm.OpV128Store64Lane: arm64.S64,
}

// simdLoad lowers the v128 loads, bounds-checked as a scalar load
// (address).
func (g *gen) simdLoad(v *ir.Value) {
	a := g.a
	op, lane := v.SIMDOp()
	l, ok := simdLoads[op]
	if !ok {
		g.err = fmt.Errorf("arm64gen: %v not lowered", op)
		return
	}
	d := g.vdst(v)
	if l.kind == loadLane {
		g.vinto(d, v.Args[1])
	}
	m := g.address(v)
	switch l.kind {
	case loadLane:
		g.laneBase()
		a.Ld1Lane(l.size, d, lane, rAddr)
	case loadSplat:
		g.laneBase()
		a.Ld1R(l.arr, d, rAddr)
	case loadWiden:
		a.FLoadStore(arm64.LDR, arm64.S64, d, m)
		a.Widen(l.widen, l.arr, d, d, 0)
	default:
		a.FLoadStore(arm64.LDR, l.size, d, m)
	}
	g.defX(v, d)
}

// simdStore lowers v128.store and the lane stores.
func (g *gen) simdStore(v *ir.Value) {
	a := g.a
	op, lane := v.SIMDOp()
	x := g.useX(v.Args[1], vTmp)
	m := g.address(v)
	if op == wasm.OpV128Store {
		a.FLoadStore(arm64.STR, arm64.S128, x, m)
		return
	}
	g.laneBase()
	a.St1Lane(simdStoreLanes[op], x, lane, rAddr)
}

// selV128 lowers select of two v128: the first into the result, the
// second over it unless the condition holds.
func (g *gen) selV128(v *ir.Value) {
	a := g.a
	cr := g.useG(v.Args[2], rAddr)
	d := g.vdst(v)
	g.vinto(d, v.Args[0])
	yr := g.useX(v.Args[1], vTmp2)
	done := a.NewLabel()
	a.CBNZ(arm64.W32, cr, done)
	a.Vec3(arm64.VORR, arm64.B16, d, yr, yr)
	a.Bind(done)
	g.defX(v, d)
}
