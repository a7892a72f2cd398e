package disasmtest

import (
	"fmt"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
)

func TestMemory(t *testing.T) { runForms(t, memoryForms()) }

// memName is the mnemonic of a general-register load/store of size sz,
// with "ur" in place of "r" for the unscaled form.
func memName(op A.MemOp, sz A.Size, unscaled bool) (string, A.Width) {
	base := map[A.MemOp]string{A.STR: "str", A.LDR: "ldr", A.LDRS: "ldrs", A.LDRS32: "ldrs"}[op]
	if unscaled {
		base = map[A.MemOp]string{A.STR: "stur", A.LDR: "ldur", A.LDRS: "ldurs", A.LDRS32: "ldurs"}[op]
	}
	suffix := map[A.Size]string{A.S8: "b", A.S16: "h", A.S32: "", A.S64: ""}[sz]
	if (op == A.LDRS) && sz == A.S32 {
		suffix = "w"
	}
	w := A.W32
	if sz == A.S64 || op == A.LDRS {
		w = A.W64
	}
	return base + suffix, w
}

// addr formats the address arm64asm prints for m's shape.
func addrText(base A.Reg, mode string, off int64) string {
	b := x(base)
	switch mode {
	case "pre":
		return fmt.Sprintf("[%s,#%d]!", b, off)
	case "post":
		return fmt.Sprintf("[%s],#%d", b, off)
	}
	if off == 0 {
		return "[" + b + "]"
	}
	return fmt.Sprintf("[%s,#%d]", b, off)
}

func mkMem(base A.Reg, mode string, off int64) A.Mem {
	switch mode {
	case "pre":
		return A.PreIndex(base, off)
	case "post":
		return A.PostIndex(base, off)
	}
	return A.Ptr(base, off)
}

func memoryForms() []form {
	var fs []form
	add := func(name string, cs []tcase) { fs = append(fs, form{name, cs}) }
	bases := []A.Reg{A.R0, A.R9, A.R30, A.RSP}
	type opSize struct {
		op A.MemOp
		sz A.Size
	}
	var gp []opSize
	for sz := A.S8; sz <= A.S64; sz++ {
		gp = append(gp, opSize{A.STR, sz}, opSize{A.LDR, sz})
		if sz < A.S64 {
			gp = append(gp, opSize{A.LDRS, sz})
		}
		if sz < A.S32 {
			gp = append(gp, opSize{A.LDRS32, sz})
		}
	}
	// Immediate offsets: scaled, unscaled, pre- and post-index.
	for _, o := range gp {
		var cs []tcase
		scale := int64(o.sz.Bytes())
		for _, rt := range []A.Reg{A.R1, A.R30, A.ZR} {
			for _, base := range bases {
				for _, off := range []int64{0, scale, 4095 * scale, -1, -256, 255, 1, 3 * scale} {
					o, rt, base, off := o, rt, base, off
					unscaled := off < 0 || off%scale != 0
					name, w := memName(o.op, o.sz, unscaled)
					cs = append(cs, tcase{func(a *A.Assembler) { a.LoadStore(o.op, o.sz, rt, A.Ptr(base, off)) },
						fmt.Sprintf("%s %s, %s", name, reg(rt, w), addrText(base, "", off))})
				}
				for _, mode := range []string{"pre", "post"} {
					for _, off := range []int64{-256, -1, 0, 8, 255} {
						if rt == base {
							continue // refused: see TestErrors
						}
						o, rt, base, off, mode := o, rt, base, off, mode
						name, w := memName(o.op, o.sz, false)
						cs = append(cs, tcase{func(a *A.Assembler) { a.LoadStore(o.op, o.sz, rt, mkMem(base, mode, off)) },
							fmt.Sprintf("%s %s, %s", name, reg(rt, w), addrText(base, mode, off))})
					}
				}
			}
		}
		name, _ := memName(o.op, o.sz, false)
		add(fmt.Sprintf("%s/%d imm", name, o.sz.Bytes()), cs)
	}
	// Register offsets.
	for _, o := range gp {
		var cs []tcase
		for _, base := range bases {
			for _, idx := range []A.Reg{A.R2, A.R17, A.ZR} {
				for _, e := range []A.Extend{A.UXTW, A.UXTX, A.SXTW, A.SXTX} {
					for _, scaled := range []bool{false, true} {
						o, base, idx, e, scaled := o, base, idx, e, scaled
						name, w := memName(o.op, o.sz, false)
						iw := A.W32
						if e == A.UXTX || e == A.SXTX {
							iw = A.W64
						}
						ext := e.String()
						if e == A.UXTX {
							ext = "lsl"
						}
						shift := ""
						if scaled {
							shift = fmt.Sprintf(" #%d", o.sz)
						}
						var mem string
						switch {
						case e == A.UXTX && !scaled:
							mem = fmt.Sprintf("[%s,%s]", x(base), reg(idx, iw))
						default:
							mem = fmt.Sprintf("[%s,%s,%s%s]", x(base), reg(idx, iw), ext, shift)
						}
						cs = append(cs, tcase{func(a *A.Assembler) { a.LoadStore(o.op, o.sz, A.R3, A.Indexed(base, idx, e, scaled)) },
							fmt.Sprintf("%s %s, %s", name, reg(A.R3, w), mem)})
					}
				}
			}
		}
		name, _ := memName(o.op, o.sz, false)
		add(fmt.Sprintf("%s/%d register", name, o.sz.Bytes()), cs)
	}
	// SIMD&FP registers.
	{
		var cs []tcase
		views := []string{"b", "h", "s", "d", "q"}
		for sz := A.S8; sz <= A.S128; sz++ {
			scale := int64(sz.Bytes())
			for _, op := range []A.MemOp{A.LDR, A.STR} {
				for _, vt := range []A.VReg{A.V0, A.V31} {
					for _, base := range bases {
						vname := fmt.Sprintf("%s%d", views[sz], vt)
						mn := map[A.MemOp]string{A.LDR: "ldr", A.STR: "str"}[op]
						for _, off := range []int64{0, 4095 * scale, -8, 255} {
							sz, op, vt, base, off := sz, op, vt, base, off
							n := mn
							if off < 0 || off%scale != 0 {
								n = mn[:len(mn)-1] + "ur"
							}
							cs = append(cs, tcase{func(a *A.Assembler) { a.FLoadStore(op, sz, vt, A.Ptr(base, off)) }, fmt.Sprintf("%s %s, %s", n, vname, addrText(base, "", off))})
						}
						for _, mode := range []string{"pre", "post"} {
							sz, op, vt, base, mode := sz, op, vt, base, mode
							cs = append(cs, tcase{func(a *A.Assembler) { a.FLoadStore(op, sz, vt, mkMem(base, mode, -16)) }, fmt.Sprintf("%s %s, %s", mn, vname, addrText(base, mode, -16))})
						}
						sz, op, vt, base := sz, op, vt, base
						shift := ""
						if sz > A.S8 {
							shift = fmt.Sprintf(" #%d", sz)
						} else {
							shift = " #0"
						}
						cs = append(cs, tcase{func(a *A.Assembler) { a.FLoadStore(op, sz, vt, A.Indexed(base, A.R4, A.SXTW, true)) }, fmt.Sprintf("%s %s, [%s,w4,sxtw%s]", mn, vname, x(base), shift)})
					}
				}
			}
		}
		add("simd&fp ldr/str", cs)
	}
	// Pairs.
	{
		var cs []tcase
		for _, op := range []A.PairOp{A.STP, A.LDP, A.LDPSW} {
			for _, w := range widths {
				if op == A.LDPSW && w == A.W32 {
					continue
				}
				scale := int64(w) / 8
				if op == A.LDPSW {
					scale = 4
				}
				name := map[A.PairOp]string{A.STP: "stp", A.LDP: "ldp", A.LDPSW: "ldpsw"}[op]
				for _, rt := range []A.Reg{A.R1, A.ZR} {
					for _, base := range bases {
						for _, mode := range []string{"", "pre", "post"} {
							for _, off := range []int64{-64 * scale, 0, scale, 63 * scale} {
								op, w, rt, base, mode, off := op, w, rt, base, mode, off
								cs = append(cs, tcase{func(a *A.Assembler) { a.Pair(op, w, rt, A.R29, mkMem(base, mode, off)) },
									fmt.Sprintf("%s %s, %s, %s", name, reg(rt, w), reg(A.R29, w), addrText(base, mode, off))})
							}
						}
					}
				}
			}
		}
		for sz := A.S32; sz <= A.S128; sz++ {
			v := map[A.Size]string{A.S32: "s", A.S64: "d", A.S128: "q"}[sz]
			scale := int64(sz.Bytes())
			for _, op := range []A.PairOp{A.STP, A.LDP} {
				for _, mode := range []string{"", "pre", "post"} {
					for _, off := range []int64{-64 * scale, 0, 63 * scale} {
						sz, op, mode, off := sz, op, mode, off
						name := map[A.PairOp]string{A.STP: "stp", A.LDP: "ldp"}[op]
						cs = append(cs, tcase{func(a *A.Assembler) { a.FPair(op, sz, A.V8, A.V31, mkMem(A.RSP, mode, off)) },
							fmt.Sprintf("%s %s8, %s31, %s", name, v, v, addrText(A.RSP, mode, off))})
					}
				}
			}
		}
		add("ldp/stp", cs)
	}
	// Ordered and exclusive accesses.
	{
		var cs []tcase
		suffix := []string{"b", "h", "", ""}
		for sz := A.S8; sz <= A.S64; sz++ {
			w := A.W32
			if sz == A.S64 {
				w = A.W64
			}
			for _, rn := range []A.Reg{A.R3, A.RSP} {
				for _, rt := range []A.Reg{A.R1, A.ZR} {
					sz, rn, rt := sz, rn, rt
					for _, op := range []A.ExclOp{A.LDXR, A.LDAXR, A.LDAR} {
						op := op
						cs = append(cs, tcase{func(a *A.Assembler) { a.LoadOrdered(op, sz, rt, rn) }, fmt.Sprintf("%v%s %s, [%s]", op, suffix[sz], reg(rt, w), x(rn))})
					}
					cs = append(cs, tcase{func(a *A.Assembler) { a.StoreRelease(sz, rt, rn) }, fmt.Sprintf("stlr%s %s, [%s]", suffix[sz], reg(rt, w), x(rn))})
					for _, op := range []A.ExclOp{A.STXR, A.STLXR} {
						op := op
						cs = append(cs, tcase{func(a *A.Assembler) { a.StoreExclusive(op, sz, A.R9, rt, rn) }, fmt.Sprintf("%v%s w9, %s, [%s]", op, suffix[sz], reg(rt, w), x(rn))})
					}
				}
			}
		}
		for _, w := range widths {
			for _, rn := range []A.Reg{A.R3, A.RSP} {
				w, rn := w, rn
				for _, op := range []A.ExclOp{A.LDXP, A.LDAXP} {
					op := op
					cs = append(cs, tcase{func(a *A.Assembler) { a.LoadExclusivePair(op, w, A.R1, A.R2, rn) }, fmt.Sprintf("%v %s, %s, [%s]", op, reg(A.R1, w), reg(A.R2, w), x(rn))})
				}
				for _, op := range []A.ExclOp{A.STXP, A.STLXP} {
					op := op
					cs = append(cs, tcase{func(a *A.Assembler) { a.StoreExclusivePair(op, w, A.R5, A.R1, A.ZR, rn) }, fmt.Sprintf("%v w5, %s, %s, [%s]", op, reg(A.R1, w), reg(A.ZR, w), x(rn))})
				}
			}
		}
		add("exclusive and ordered", cs)
	}
	return fs
}
