package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// The SIMD operations that take more than one SSE instruction. Each
// computes in d (v's register, or xTmp when v lives in a slot) with xTmp2
// and the frame's 16-byte temporary slot (g.vtemp: constants, shift
// counts) as scratch, so no sequence needs a third vector register.

type special = func(g *gen, v *ir.Value)

func simdSpecials() map[wasm.Opcode]special {
	m := map[wasm.Opcode]special{
		wasm.OpV128Not: func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			g.vnot(d)
			g.defX(v, d)
		},
		wasm.OpV128AnyTrue: func(g *gen, v *ir.Value) {
			x := g.useX(v.Args[0], xTmp)
			g.a.VV(amd64.PTEST, x, x)
			g.setcc(v, amd64.CondNE)
		},
		wasm.OpV128Bitselect: func(g *gen, v *ir.Value) {
			a, b, c := v.Args[0], v.Args[1], v.Args[2]
			d := g.vdst(v, a, nil)
			g.move(xmmLoc(d), g.locs[a.ID], ir.V128)
			g.vop(amd64.PXOR, d, b, -1)
			g.vop(amd64.PAND, d, c, -1)
			g.vop(amd64.PXOR, d, b, -1)
			g.defX(v, d)
		},
		wasm.OpI8x16Swizzle: func(g *gen, v *ir.Value) {
			// Indices >= 16 select 0: saturating 0x70 + index sets the
			// high bit PSHUFB reads as "zero" exactly for them.
			a, s := v.Args[0], v.Args[1]
			g.a.VV(amd64.MOVAPS, xTmp2, g.useX(s, xTmp2))
			g.a.VM(amd64.PADDUSB, xTmp2, g.vconst(0x7070707070707070, 0x7070707070707070))
			d := g.vdst(v, a, nil)
			g.move(xmmLoc(d), g.locs[a.ID], ir.V128)
			g.a.VV(amd64.PSHUFB, d, xTmp2)
			g.defX(v, d)
		},
		wasm.OpI8x16Shuffle: shuffle,
		wasm.OpI64x2Abs: func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			g.a.VV(amd64.PXOR, xTmp2, xTmp2)
			g.a.VV(amd64.PCMPGTQ, xTmp2, d) // sign mask
			g.a.VV(amd64.PXOR, d, xTmp2)
			g.a.VV(amd64.PSUBQ, d, xTmp2)
			g.defX(v, d)
		},
		wasm.OpI64x2Mul: func(g *gen, v *ir.Value) {
			// lo(a)*lo(b) + (hi(a)*lo(b) + lo(a)*hi(b)) << 32.
			a, b := v.Args[0], v.Args[1]
			d := g.vdst(v, a, nil)
			g.move(xmmLoc(xTmp2), g.locs[a.ID], ir.V128)
			g.a.VI(amd64.PSRLQ, xTmp2, 32)
			g.vop(amd64.PMULUDQ, xTmp2, b, -1)
			g.move(xmmLoc(d), g.locs[b.ID], ir.V128)
			g.a.VI(amd64.PSRLQ, d, 32)
			g.vop(amd64.PMULUDQ, d, a, -1)
			g.a.VV(amd64.PADDQ, xTmp2, d)
			g.a.VI(amd64.PSLLQ, xTmp2, 32)
			g.move(xmmLoc(d), g.locs[a.ID], ir.V128)
			g.vop(amd64.PMULUDQ, d, b, -1)
			g.a.VV(amd64.PADDQ, d, xTmp2)
			g.defX(v, d)
		},
		wasm.OpI16x8Q15mulrSatS: func(g *gen, v *ir.Value) {
			// PMULHRSW is q15mulr except 0x8000 * 0x8000 -> 0x8000,
			// which saturates to 0x7fff.
			d := g.vcopy(v)
			g.vop(amd64.PMULHRSW, d, v.Args[1], -1)
			g.a.VM(amd64.MOVUPS, xTmp2, g.vconst(0x8000800080008000, 0x8000800080008000))
			g.a.VV(amd64.PCMPEQW, xTmp2, d)
			g.a.VV(amd64.PXOR, d, xTmp2)
			g.defX(v, d)
		},
		wasm.OpI16x8ExtaddPairwiseI8x16S: func(g *gen, v *ir.Value) { g.extaddBytes(v, amd64.PSRAW) },
		wasm.OpI16x8ExtaddPairwiseI8x16U: func(g *gen, v *ir.Value) { g.extaddBytes(v, amd64.PSRLW) },
		wasm.OpI32x4ExtaddPairwiseI16x8S: func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			g.a.VM(amd64.PMADDWD, d, g.vconst(0x0001000100010001, 0x0001000100010001))
			g.defX(v, d)
		},
		wasm.OpI32x4ExtaddPairwiseI16x8U: func(g *gen, v *ir.Value) {
			// Bias to signed, PMADDWD by ones, unbias the pair sums.
			d := g.vcopy(v)
			g.a.VM(amd64.PXOR, d, g.vconst(0x8000800080008000, 0x8000800080008000))
			g.a.VM(amd64.PMADDWD, d, g.vconst(0x0001000100010001, 0x0001000100010001))
			g.a.VM(amd64.PADDD, d, g.vconst(0x0001000000010000, 0x0001000000010000))
			g.defX(v, d)
		},
		wasm.OpF32x4Abs: func(g *gen, v *ir.Value) { g.signMask(v, amd64.PSRLD, 1, amd64.ANDPS) },
		wasm.OpF32x4Neg: func(g *gen, v *ir.Value) { g.signMask(v, amd64.PSLLD, 31, amd64.XORPS) },
		wasm.OpF64x2Abs: func(g *gen, v *ir.Value) { g.signMask(v, amd64.PSRLQ, 1, amd64.ANDPD) },
		wasm.OpF64x2Neg: func(g *gen, v *ir.Value) { g.signMask(v, amd64.PSLLQ, 63, amd64.XORPD) },
		wasm.OpF32x4Min: func(g *gen, v *ir.Value) { g.fminmax(v, amd64.MINPS, amd64.CMPPS, amd64.ORPS, amd64.PSRLD, 10, true) },
		wasm.OpF64x2Min: func(g *gen, v *ir.Value) { g.fminmax(v, amd64.MINPD, amd64.CMPPD, amd64.ORPD, amd64.PSRLQ, 13, true) },
		wasm.OpF32x4Max: func(g *gen, v *ir.Value) { g.fminmax(v, amd64.MAXPS, amd64.CMPPS, amd64.ORPS, amd64.PSRLD, 10, false) },
		wasm.OpF64x2Max: func(g *gen, v *ir.Value) { g.fminmax(v, amd64.MAXPD, amd64.CMPPD, amd64.ORPD, amd64.PSRLQ, 13, false) },
		wasm.OpI32x4TruncSatF32x4S: func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			a := g.a
			a.VV(amd64.MOVAPS, xTmp2, d)
			a.VVI(amd64.CMPPS, xTmp2, xTmp2, 0) // not NaN
			a.VV(amd64.PAND, d, xTmp2)          // NaN -> 0
			a.VV(amd64.PXOR, xTmp2, d)          // sign bit set where x >= 0
			a.VV(amd64.CVTTPS2DQ, d, d)         // out of range -> 0x80000000
			a.VV(amd64.PAND, xTmp2, d)          // set where x >= 0 overflowed
			a.VI(amd64.PSRAD, xTmp2, 31)
			a.VV(amd64.PXOR, d, xTmp2) // -> 0x7fffffff
			g.defX(v, d)
		},
		wasm.OpI32x4TruncSatF32x4U: func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			a := g.a
			saved := amd64.Ptr(amd64.RSP, g.vtemp+16)
			a.VV(amd64.XORPS, xTmp2, xTmp2)
			a.VV(amd64.MAXPS, d, xTmp2) // NaN and negatives -> 0
			a.MV(amd64.MOVUPS, saved, d)
			a.VM(amd64.MOVUPS, xTmp2, g.vconst(0x4F0000004F000000, 0x4F0000004F000000)) // 2^31
			a.VV(amd64.SUBPS, d, xTmp2)                                                 // x - 2^31
			a.VVI(amd64.CMPPS, xTmp2, d, 2)                                             // x >= 2^32: overflow
			a.VV(amd64.CVTTPS2DQ, d, d)                                                 // exact below 2^31, 0x80000000 above
			a.VV(amd64.PXOR, d, xTmp2)                                                  // overflow -> 0x7fffffff
			a.VV(amd64.PXOR, xTmp2, xTmp2)                                              //
			a.VV(amd64.PMAXSD, d, xTmp2)                                                // x < 2^31 -> 0
			a.VM(amd64.MOVUPS, xTmp2, saved)                                            //
			a.VV(amd64.CVTTPS2DQ, xTmp2, xTmp2)
			a.VV(amd64.PADDD, d, xTmp2) // x < 2^31: x; else 2^31 + (x - 2^31)
			g.defX(v, d)
		},
		wasm.OpI8x16Popcnt: func(g *gen, v *ir.Value) {
			// A 16-entry table of nibble counts looked up by PSHUFB for
			// the low and the high nibble of every byte.
			const lut0, lut1 = 0x0302020102010100, 0x0403030203020201
			x := v.Args[0]
			a := g.a
			high := amd64.Ptr(amd64.RSP, g.vtemp+16)
			nibble := g.vconst(0x0f0f0f0f0f0f0f0f, 0x0f0f0f0f0f0f0f0f)
			g.move(xmmLoc(xTmp2), g.locs[x.ID], ir.V128)
			a.VI(amd64.PSRLW, xTmp2, 4)
			a.VM(amd64.PAND, xTmp2, nibble)
			a.MV(amd64.MOVUPS, high, xTmp2)
			d := g.vdst(v, x, nil)
			g.move(xmmLoc(d), g.locs[x.ID], ir.V128)
			a.VM(amd64.PAND, d, nibble)
			a.VM(amd64.MOVUPS, xTmp2, g.vconst(lut0, lut1))
			a.VV(amd64.PSHUFB, xTmp2, d)
			a.VM(amd64.MOVUPS, d, amd64.Ptr(amd64.RSP, g.vtemp))
			a.VM(amd64.PSHUFB, d, high)
			a.VV(amd64.PADDB, d, xTmp2)
			g.defX(v, d)
		},
		wasm.OpI32x4TruncSatF64x2SZero: func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			a := g.a
			a.VV(amd64.MOVAPD, xTmp2, d)
			a.VVI(amd64.CMPPD, xTmp2, xTmp2, 0)                                        // not NaN
			a.VM(amd64.ANDPD, xTmp2, g.vconst(0x41DFFFFFFFC00000, 0x41DFFFFFFFC00000)) // 2^31-1, or 0 for NaN
			a.VV(amd64.MINPD, d, xTmp2)                                                // NaN -> 0 (the second operand)
			a.VV(amd64.CVTTPD2DQ, d, d)                                                // below -2^31 -> 0x80000000; high half 0
			g.defX(v, d)
		},
		wasm.OpI32x4TruncSatF64x2UZero: func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			a := g.a
			a.VV(amd64.XORPD, xTmp2, xTmp2)
			a.VV(amd64.MAXPD, d, xTmp2) // NaN and negatives -> 0
			a.VM(amd64.MINPD, d, g.vconst(0x41EFFFFFFFE00000, 0x41EFFFFFFFE00000))
			a.VVI(amd64.ROUNDPD, d, d, 3)
			a.VM(amd64.ADDPD, d, g.vconst(0x4330000000000000, 0x4330000000000000)) // the integer in the low 32 bits
			a.VVI(amd64.SHUFPS, d, xTmp2, 0x88)
			g.defX(v, d)
		},
		wasm.OpF64x2ConvertLowI32x4U: func(g *gen, v *ir.Value) {
			// 2^52 + x as a double, minus 2^52.
			d := g.vcopy(v)
			g.a.VM(amd64.PUNPCKLDQ, d, g.vconst(0x4330000043300000, 0x4330000043300000))
			g.a.VM(amd64.SUBPD, d, g.vconst(0x4330000000000000, 0x4330000000000000))
			g.defX(v, d)
		},
		wasm.OpF32x4ConvertI32x4U: func(g *gen, v *ir.Value) {
			// The low 16 bits convert exactly; the high part halved
			// converts exactly too and is doubled; one rounding in the sum.
			d := g.vcopy(v)
			a := g.a
			a.VV(amd64.PXOR, xTmp2, xTmp2)
			a.VVI(amd64.PBLENDW, xTmp2, d, 0x55)
			a.VV(amd64.PSUBD, d, xTmp2)
			a.VV(amd64.CVTDQ2PS, xTmp2, xTmp2)
			a.VI(amd64.PSRLD, d, 1)
			a.VV(amd64.CVTDQ2PS, d, d)
			a.VV(amd64.ADDPS, d, d)
			a.VV(amd64.ADDPS, d, xTmp2)
			g.defX(v, d)
		},
	}
	for op, t := range map[wasm.Opcode]struct {
		cmp   amd64.Op
		width int
	}{
		wasm.OpI8x16AllTrue: {amd64.PCMPEQB, 1}, wasm.OpI16x8AllTrue: {amd64.PCMPEQW, 2},
		wasm.OpI32x4AllTrue: {amd64.PCMPEQD, 4}, wasm.OpI64x2AllTrue: {amd64.PCMPEQQ, 8},
	} {
		t := t
		m[op] = func(g *gen, v *ir.Value) {
			g.a.VV(amd64.PXOR, xTmp2, xTmp2)
			g.vop(t.cmp, xTmp2, v.Args[0], -1) // lanes equal to zero
			g.a.VV(amd64.PTEST, xTmp2, xTmp2)
			g.setcc(v, amd64.CondE)
		}
	}
	for op, neg := range map[wasm.Opcode]amd64.Op{
		wasm.OpI8x16Neg: amd64.PSUBB, wasm.OpI16x8Neg: amd64.PSUBW, wasm.OpI32x4Neg: amd64.PSUBD, wasm.OpI64x2Neg: amd64.PSUBQ,
	} {
		neg := neg
		m[op] = func(g *gen, v *ir.Value) {
			d := g.vdst(v, v, nil)
			g.a.VV(amd64.PXOR, d, d)
			g.vop(neg, d, v.Args[0], -1)
			g.defX(v, d)
		}
	}
	for op, ins := range map[wasm.Opcode]amd64.Op{
		wasm.OpI8x16Bitmask: amd64.PMOVMSKB, wasm.OpI32x4Bitmask: amd64.MOVMSKPS, wasm.OpI64x2Bitmask: amd64.MOVMSKPD,
	} {
		ins := ins
		m[op] = func(g *gen, v *ir.Value) {
			g.a.RV(ins, amd64.W32, rTmp, g.useX(v.Args[0], xTmp2))
			g.defG(v, rTmp)
		}
	}
	// relaxed madd/nmadd as internal/numeric defines them: unfused.
	for op, x := range map[wasm.Opcode]struct {
		mul, add, shl amd64.Op
		neg           bool
		n             uint8
	}{
		wasm.OpF32x4RelaxedMadd: {amd64.MULPS, amd64.ADDPS, amd64.PSLLD, false, 31}, wasm.OpF32x4RelaxedNmadd: {amd64.MULPS, amd64.ADDPS, amd64.PSLLD, true, 31},
		wasm.OpF64x2RelaxedMadd: {amd64.MULPD, amd64.ADDPD, amd64.PSLLQ, false, 63}, wasm.OpF64x2RelaxedNmadd: {amd64.MULPD, amd64.ADDPD, amd64.PSLLQ, true, 63},
	} {
		x := x
		m[op] = func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			g.vop(x.mul, d, v.Args[1], -1)
			if x.neg {
				g.a.VV(amd64.PCMPEQD, xTmp2, xTmp2)
				g.a.VI(x.shl, xTmp2, x.n)
				g.a.VV(amd64.XORPS, d, xTmp2)
			}
			g.vop(x.add, d, v.Args[2], -1)
			g.defX(v, d)
		}
	}
	// relaxed dot products, both operands signed: the odd and the even
	// bytes sign-extended to words, multiplied (and summed in pairs by
	// PMADDWD for the i32x4 form), added.
	for op, mul := range map[wasm.Opcode]amd64.Op{
		wasm.OpI16x8RelaxedDotI8x16I7x16S: amd64.PMULLW, wasm.OpI32x4RelaxedDotI8x16I7x16AddS: amd64.PMADDWD,
	} {
		mul := mul
		m[op] = func(g *gen, v *ir.Value) {
			a, b := v.Args[0], v.Args[1]
			odd := amd64.Ptr(amd64.RSP, g.vtemp+16)
			d := g.vdst(v, a, nil)
			for _, even := range []bool{false, true} {
				for _, r := range []struct {
					reg amd64.VReg
					x   *ir.Value
				}{{d, a}, {xTmp2, b}} {
					g.move(xmmLoc(r.reg), g.locs[r.x.ID], ir.V128)
					if even {
						g.a.VI(amd64.PSLLW, r.reg, 8)
					}
					g.a.VI(amd64.PSRAW, r.reg, 8)
				}
				g.a.VV(mul, d, xTmp2)
				if !even {
					g.a.MV(amd64.MOVUPS, odd, d)
				}
			}
			if mul == amd64.PMULLW {
				g.a.VM(amd64.PADDW, d, odd)
			} else {
				g.a.VM(amd64.PADDD, d, odd)
				g.vop(amd64.PADDD, d, v.Args[2], -1)
			}
			g.defX(v, d)
		}
	}
	m[wasm.OpI16x8Bitmask] = func(g *gen, v *ir.Value) {
		g.a.VV(amd64.MOVAPS, xTmp2, g.useX(v.Args[0], xTmp2))
		g.a.VV(amd64.PACKSSWB, xTmp2, xTmp2)
		g.a.RV(amd64.PMOVMSKB, amd64.W32, rTmp, xTmp2)
		g.a.RR(amd64.MOVZXB, amd64.W32, rTmp, rTmp)
		g.defG(v, rTmp)
	}
	for op, x := range map[wasm.Opcode]struct {
		ext, mul amd64.Op
		high     bool
	}{
		wasm.OpI16x8ExtmulLowI8x16S: {amd64.PMOVSXBW, amd64.PMULLW, false}, wasm.OpI16x8ExtmulHighI8x16S: {amd64.PMOVSXBW, amd64.PMULLW, true},
		wasm.OpI16x8ExtmulLowI8x16U: {amd64.PMOVZXBW, amd64.PMULLW, false}, wasm.OpI16x8ExtmulHighI8x16U: {amd64.PMOVZXBW, amd64.PMULLW, true},
		wasm.OpI32x4ExtmulLowI16x8S: {amd64.PMOVSXWD, amd64.PMULLD, false}, wasm.OpI32x4ExtmulHighI16x8S: {amd64.PMOVSXWD, amd64.PMULLD, true},
		wasm.OpI32x4ExtmulLowI16x8U: {amd64.PMOVZXWD, amd64.PMULLD, false}, wasm.OpI32x4ExtmulHighI16x8U: {amd64.PMOVZXWD, amd64.PMULLD, true},
		wasm.OpI64x2ExtmulLowI32x4S: {amd64.PMOVSXDQ, amd64.PMULDQ, false}, wasm.OpI64x2ExtmulHighI32x4S: {amd64.PMOVSXDQ, amd64.PMULDQ, true},
		wasm.OpI64x2ExtmulLowI32x4U: {amd64.PMOVZXDQ, amd64.PMULUDQ, false}, wasm.OpI64x2ExtmulHighI32x4U: {amd64.PMOVZXDQ, amd64.PMULUDQ, true},
	} {
		x := x
		m[op] = func(g *gen, v *ir.Value) {
			d := g.vdst(v, v, nil)
			for i, r := range []amd64.VReg{d, xTmp2} {
				if x.high {
					g.vop(amd64.PSHUFD, r, v.Args[i], 0xEE)
					g.a.VV(x.ext, r, r)
				} else {
					g.vop(x.ext, r, v.Args[i], -1)
				}
			}
			g.a.VV(x.mul, d, xTmp2)
			g.defX(v, d)
		}
	}
	for op, s := range map[wasm.Opcode]struct {
		op   amd64.Op
		bits int
	}{
		wasm.OpI16x8Shl: {amd64.PSLLW, 16}, wasm.OpI16x8ShrS: {amd64.PSRAW, 16}, wasm.OpI16x8ShrU: {amd64.PSRLW, 16},
		wasm.OpI32x4Shl: {amd64.PSLLD, 32}, wasm.OpI32x4ShrS: {amd64.PSRAD, 32}, wasm.OpI32x4ShrU: {amd64.PSRLD, 32},
		wasm.OpI64x2Shl: {amd64.PSLLQ, 64}, wasm.OpI64x2ShrU: {amd64.PSRLQ, 64},
	} {
		s := s
		m[op] = func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			g.vshift(s.op, d, v.Args[1], s.bits, 0)
			g.defX(v, d)
		}
	}
	m[wasm.OpI64x2ShrS] = func(g *gen, v *ir.Value) {
		// No PSRAQ: ((x ^ s) >>u n) ^ s with s the sign mask.
		d := g.vcopy(v)
		g.a.VV(amd64.PXOR, xTmp2, xTmp2)
		g.a.VV(amd64.PCMPGTQ, xTmp2, d)
		g.a.VV(amd64.PXOR, d, xTmp2)
		g.vshift(amd64.PSRLQ, d, v.Args[1], 64, 0)
		g.a.VV(amd64.PXOR, d, xTmp2)
		g.defX(v, d)
	}
	// i8x16 shifts (no byte shifts): shl and shr_u shift words and mask
	// the bits that crossed into the neighbouring byte; shr_s widens
	// each byte to the high byte of a word, shifts by n+8, and packs.
	for op, s := range map[wasm.Opcode]amd64.Op{wasm.OpI8x16Shl: amd64.PSLLW, wasm.OpI8x16ShrU: amd64.PSRLW} {
		s := s
		m[op] = func(g *gen, v *ir.Value) {
			d := g.vcopy(v)
			g.vshift(s, d, v.Args[1], 8, 0)
			// mask = 0xff shifted the same way, in every byte.
			a := g.a
			a.MovImm(amd64.W32, rTmp, 0xff)
			g.move(gprLoc(amd64.RCX), g.locs[v.Args[1].ID], ir.I32)
			a.RI(amd64.AND, amd64.W32, amd64.RCX, 7)
			if s == amd64.PSLLW {
				a.RR(amd64.SHL, amd64.W32, rTmp, amd64.RCX)
			} else {
				a.RR(amd64.SHR, amd64.W32, rTmp, amd64.RCX)
			}
			a.RI(amd64.AND, amd64.W32, rTmp, 0xff)
			a.MovImm(amd64.W64, amd64.RCX, 0x0101010101010101)
			a.RR(amd64.IMUL, amd64.W64, rTmp, amd64.RCX)
			a.VR(amd64.MOVQ, amd64.W64, xTmp2, rTmp)
			a.VV(amd64.PUNPCKLQDQ, xTmp2, xTmp2)
			a.VV(amd64.PAND, d, xTmp2)
			g.defX(v, d)
		}
	}
	m[wasm.OpI8x16ShrS] = func(g *gen, v *ir.Value) {
		x := v.Args[0]
		d := g.vdst(v, x, nil)
		g.move(xmmLoc(xTmp2), g.locs[x.ID], ir.V128)
		g.a.VV(amd64.PUNPCKHBW, xTmp2, xTmp2)
		g.vshift(amd64.PSRAW, xTmp2, v.Args[1], 8, 8)
		g.move(xmmLoc(d), g.locs[x.ID], ir.V128)
		g.a.VV(amd64.PUNPCKLBW, d, d)
		g.vshift(amd64.PSRAW, d, v.Args[1], 8, 8)
		g.a.VV(amd64.PACKSSWB, d, xTmp2)
		g.defX(v, d)
	}
	for op, s := range map[wasm.Opcode]func(g *gen, d amd64.VReg, x *ir.Value){
		wasm.OpI8x16Splat: func(g *gen, d amd64.VReg, x *ir.Value) {
			g.a.VR(amd64.MOVD, amd64.W32, d, g.useG(x, rTmp2))
			g.a.VV(amd64.PXOR, xTmp2, xTmp2)
			g.a.VV(amd64.PSHUFB, d, xTmp2)
		},
		wasm.OpI16x8Splat: func(g *gen, d amd64.VReg, x *ir.Value) {
			g.a.VR(amd64.MOVD, amd64.W32, d, g.useG(x, rTmp2))
			g.a.VVI(amd64.PSHUFLW, d, d, 0)
			g.a.VVI(amd64.PSHUFD, d, d, 0)
		},
		wasm.OpI32x4Splat: func(g *gen, d amd64.VReg, x *ir.Value) {
			g.a.VR(amd64.MOVD, amd64.W32, d, g.useG(x, rTmp2))
			g.a.VVI(amd64.PSHUFD, d, d, 0)
		},
		wasm.OpI64x2Splat: func(g *gen, d amd64.VReg, x *ir.Value) {
			g.a.VR(amd64.MOVQ, amd64.W64, d, g.useG(x, rTmp2))
			g.a.VV(amd64.PUNPCKLQDQ, d, d)
		},
		wasm.OpF32x4Splat: func(g *gen, d amd64.VReg, x *ir.Value) { g.a.VVI(amd64.PSHUFD, d, g.useX(x, xTmp2), 0) },
		wasm.OpF64x2Splat: func(g *gen, d amd64.VReg, x *ir.Value) { g.a.VVI(amd64.PSHUFD, d, g.useX(x, xTmp2), 0x44) },
	} {
		s := s
		m[op] = func(g *gen, v *ir.Value) {
			d := g.vdst(v, v, nil)
			s(g, d, v.Args[0])
			g.defX(v, d)
		}
	}
	for op, e := range map[wasm.Opcode]struct {
		ins  amd64.Op
		w    amd64.Width
		sext amd64.Op
	}{
		wasm.OpI8x16ExtractLaneS: {amd64.PEXTRB, amd64.W32, amd64.MOVSXB}, wasm.OpI8x16ExtractLaneU: {amd64.PEXTRB, amd64.W32, 0},
		wasm.OpI16x8ExtractLaneS: {amd64.PEXTRW, amd64.W32, amd64.MOVSXW}, wasm.OpI16x8ExtractLaneU: {amd64.PEXTRW, amd64.W32, 0},
		wasm.OpI32x4ExtractLane: {amd64.PEXTRD, amd64.W32, 0}, wasm.OpI64x2ExtractLane: {amd64.PEXTRQ, amd64.W64, 0},
	} {
		e := e
		m[op] = func(g *gen, v *ir.Value) {
			_, lane := v.SIMDOp()
			g.a.Inst(e.ins, e.w, rTmp, g.useX(v.Args[0], xTmp2), amd64.Imm(lane))
			if e.sext != 0 {
				g.a.RR(e.sext, amd64.W32, rTmp, rTmp)
			}
			g.defG(v, rTmp)
		}
	}
	for op, sh := range map[wasm.Opcode]func(lane uint8) uint8{
		wasm.OpF32x4ExtractLane: func(l uint8) uint8 { return l & 3 },
		wasm.OpF64x2ExtractLane: func(l uint8) uint8 { return 0x44 + (l&1)*0xAA },
	} {
		sh := sh
		m[op] = func(g *gen, v *ir.Value) {
			_, lane := v.SIMDOp()
			d := g.vdst(v, v, nil)
			g.vop(amd64.PSHUFD, d, v.Args[0], int16(sh(lane)))
			g.defX(v, d)
		}
	}
	for op, r := range map[wasm.Opcode]struct {
		ins amd64.Op
		w   amd64.Width
	}{
		wasm.OpI8x16ReplaceLane: {amd64.PINSRB, amd64.W32}, wasm.OpI16x8ReplaceLane: {amd64.PINSRW, amd64.W32},
		wasm.OpI32x4ReplaceLane: {amd64.PINSRD, amd64.W32}, wasm.OpI64x2ReplaceLane: {amd64.PINSRQ, amd64.W64},
	} {
		r := r
		m[op] = func(g *gen, v *ir.Value) {
			_, lane := v.SIMDOp()
			d := g.vcopy(v)
			g.a.Inst(r.ins, r.w, d, g.useG(v.Args[1], rTmp2), amd64.Imm(lane))
			g.defX(v, d)
		}
	}
	m[wasm.OpF32x4ReplaceLane] = func(g *gen, v *ir.Value) {
		_, lane := v.SIMDOp()
		d := g.vcopy(v)
		g.a.VVI(amd64.INSERTPS, d, g.useX(v.Args[1], xTmp2), (lane&3)<<4)
		g.defX(v, d)
	}
	m[wasm.OpF64x2ReplaceLane] = func(g *gen, v *ir.Value) {
		_, lane := v.SIMDOp()
		d := g.vcopy(v)
		y := g.useX(v.Args[1], xTmp2)
		if lane&1 == 0 {
			g.a.VV(amd64.MOVSD, d, y)
		} else {
			g.a.VV(amd64.PUNPCKLQDQ, d, y)
		}
		g.defX(v, d)
	}
	return m
}

// vcopy returns the register v is computed in, holding a copy of its
// first argument.
func (g *gen) vcopy(v *ir.Value) amd64.VReg {
	d := g.vdst(v, v.Args[0], nil)
	g.move(xmmLoc(d), g.locs[v.Args[0].ID], ir.V128)
	return d
}

// vconst stores the v128 constant (lo, hi) in the frame's temporary slot
// and returns it as an aligned memory operand (uses rTmp).
func (g *gen) vconst(lo, hi uint64) amd64.Mem {
	m := amd64.Ptr(amd64.RSP, g.vtemp)
	g.a.MovImm(amd64.W64, rTmp, int64(lo))
	g.a.MR(amd64.MOV, amd64.W64, m, rTmp)
	g.a.MovImm(amd64.W64, rTmp, int64(hi))
	g.a.MR(amd64.MOV, amd64.W64, amd64.Ptr(amd64.RSP, g.vtemp+8), rTmp)
	return m
}

// vshift shifts d by count n (an i32) modulo bits, plus extra: by an
// immediate when n is a constant, else by a count stored in the
// temporary slot (uses RCX).
func (g *gen) vshift(op amd64.Op, d amd64.VReg, n *ir.Value, bits int, extra int) {
	if n.Op == ir.OpConst {
		g.a.VI(op, d, uint8(int(n.Aux)&(bits-1)+extra))
		return
	}
	a := g.a
	g.move(gprLoc(amd64.RCX), g.locs[n.ID], ir.I32)
	a.RI(amd64.AND, amd64.W32, amd64.RCX, int64(bits-1))
	if extra != 0 {
		a.RI(amd64.ADD, amd64.W32, amd64.RCX, int64(extra))
	}
	m := amd64.Ptr(amd64.RSP, g.vtemp)
	a.MR(amd64.MOV, amd64.W64, m, amd64.RCX)
	a.VM(op, d, m)
}

// extaddBytes adds the even and odd bytes of each word, sign- or
// zero-extended by shr (PSRAW or PSRLW).
func (g *gen) extaddBytes(v *ir.Value, shr amd64.Op) {
	d := g.vcopy(v)
	g.a.VV(amd64.MOVAPS, xTmp2, d)
	g.a.VI(amd64.PSLLW, d, 8)
	g.a.VI(shr, d, 8)
	g.a.VI(shr, xTmp2, 8)
	g.a.VV(amd64.PADDW, d, xTmp2)
	g.defX(v, d)
}

// signMask applies op with a sign-bit mask (all ones shifted by sh n).
func (g *gen) signMask(v *ir.Value, sh amd64.Op, n uint8, op amd64.Op) {
	d := g.vcopy(v)
	g.a.VV(amd64.PCMPEQD, xTmp2, xTmp2)
	g.a.VI(sh, xTmp2, n)
	g.a.VV(op, d, xTmp2)
	g.defX(v, d)
}

// fminmax lowers f32x4/f64x2 min and max with WebAssembly's rules (NaN
// if either operand is NaN, -0 < +0): MINPS/MAXPS in both operand
// orders, merged, and NaN lanes made canonical (the payload cleared by
// the shifted unordered mask; shift 10 for f32, 13 for f64).
func (g *gen) fminmax(v *ir.Value, op, cmp, or, shr amd64.Op, n uint8, isMin bool) {
	a := g.a
	x, y := v.Args[0], v.Args[1]
	d := g.vdst(v, x, nil)
	g.move(xmmLoc(xTmp2), g.locs[y.ID], ir.V128)
	g.vop(op, xTmp2, x, -1) // op(y, x)
	g.move(xmmLoc(d), g.locs[x.ID], ir.V128)
	g.vop(op, d, y, -1) // op(x, y)
	if isMin {
		a.VV(or, xTmp2, d) // -0 and NaNs of either order
		a.VVI(cmp, d, xTmp2, 3)
		a.VV(or, xTmp2, d)
	} else {
		a.VV(amd64.XORPS, d, xTmp2) // where the orders disagree
		a.VV(or, xTmp2, d)          // NaNs
		sub := amd64.SUBPS
		if cmp == amd64.CMPPD {
			sub = amd64.SUBPD
		}
		a.VV(sub, xTmp2, d) // +0 over -0, quiet NaNs
		a.VVI(cmp, d, xTmp2, 3)
	}
	a.VI(shr, d, n)
	a.VV(amd64.ANDNPS, d, xTmp2)
	g.defX(v, d)
}

// shuffle: a permutation of whole 32-bit lanes of one operand is one
// PSHUFD; other shuffles of one operand (both operands the same value,
// or every index in one of them) are one PSHUFB; otherwise each
// operand's bytes are picked by PSHUFB with a mask that zeroes the lanes
// taken from the other, then or-ed. The lane indices are a constant
// (checkSIMD).
func shuffle(g *gen, v *ir.Value) {
	lanes := ir.ShuffleLanes(v)
	a, b := v.Args[0], v.Args[1]
	if src, idx := shuffleSource(lanes, a, b); src != nil {
		d := g.vdst(v, src, nil)
		if imm, ok := dwordShuffle(idx); ok {
			g.vop(amd64.PSHUFD, d, src, int16(imm))
		} else {
			var m [2]uint64
			for i, l := range idx {
				m[i/8] |= uint64(l) << (8 * (i % 8))
			}
			g.move(xmmLoc(d), g.locs[src.ID], ir.V128)
			g.a.VM(amd64.PSHUFB, d, g.vconst(m[0], m[1]))
		}
		g.defX(v, d)
		return
	}
	var ma, mb [2]uint64
	for i, l := range lanes {
		pa, pb := uint64(0x80), uint64(0x80)
		if l < 16 {
			pa = uint64(l)
		} else {
			pb = uint64(l - 16)
		}
		ma[i/8] |= pa << (8 * (i % 8))
		mb[i/8] |= pb << (8 * (i % 8))
	}
	g.move(xmmLoc(xTmp2), g.locs[b.ID], ir.V128)
	g.a.VM(amd64.PSHUFB, xTmp2, g.vconst(mb[0], mb[1]))
	d := g.vdst(v, a, nil)
	g.move(xmmLoc(d), g.locs[a.ID], ir.V128)
	g.a.VM(amd64.PSHUFB, d, g.vconst(ma[0], ma[1]))
	g.a.VV(amd64.POR, d, xTmp2)
	g.defX(v, d)
}

// shuffleSource is the one operand a shuffle reads (a and b the same
// value, or every index in one of them) with the byte indices into it
// (0-15), or nil when it reads both.
func shuffleSource(lanes []byte, a, b *ir.Value) (*ir.Value, []byte) {
	lo, hi := true, true
	for _, l := range lanes {
		lo = lo && l < 16
		hi = hi && l >= 16
	}
	var src *ir.Value
	switch {
	case lo || a == b:
		src = a
	case hi:
		src = b
	default:
		return nil, nil
	}
	idx := make([]byte, 16)
	for i, l := range lanes {
		idx[i] = l & 15
	}
	return src, idx
}

// dwordShuffle is PSHUFD's immediate for byte indices that move whole
// 32-bit lanes, if they do.
func dwordShuffle(idx []byte) (uint8, bool) {
	var imm uint8
	for j := 0; j < 4; j++ {
		k := idx[4*j]
		if k%4 != 0 {
			return 0, false
		}
		for i := 1; i < 4; i++ {
			if idx[4*j+i] != k+byte(i) {
				return 0, false
			}
		}
		imm |= (k / 4) << (2 * j)
	}
	return imm, true
}
