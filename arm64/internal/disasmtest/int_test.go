package disasmtest

import (
	"fmt"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
)

func TestInteger(t *testing.T) { runForms(t, integerForms()) }

func integerForms() []form {
	var fs []form
	add := func(name string, cs []tcase) { fs = append(fs, form{name, cs}) }

	// Add/subtract immediate.
	addNames := map[A.AddOp]string{A.ADD: "add", A.ADDS: "adds", A.SUB: "sub", A.SUBS: "subs"}
	for _, op := range []A.AddOp{A.ADD, A.ADDS, A.SUB, A.SUBS} {
		var cs []tcase
		flags := op == A.ADDS || op == A.SUBS
		for _, w := range widths {
			rds := spRegs
			if flags {
				rds = zrRegs
			}
			for _, rd := range rds {
				for _, rn := range spRegs {
					for _, imm := range []uint32{0, 1, 0x7ff, 0xfff, 0x1000, 0x5000, 0xfff000} {
						op, w, rd, rn, imm := op, w, rd, rn, imm
						text := addNames[op]
						ops := fmt.Sprintf("%s, %s, %s", reg(rd, w), reg(rn, w), hex(uint64(imm)))
						if imm >= 0x1000 {
							ops = fmt.Sprintf("%s, %s, %s, lsl #12", reg(rd, w), reg(rn, w), hex(uint64(imm>>12)))
						}
						switch {
						case op == A.ADD && imm == 0 && (rd == A.RSP || rn == A.RSP):
							text, ops = "mov", reg(rd, w)+", "+reg(rn, w)
						case flags && rd == A.ZR:
							text = map[A.AddOp]string{A.ADDS: "cmn", A.SUBS: "cmp"}[op]
							ops = ops[len(reg(rd, w))+2:]
						}
						cs = append(cs, tcase{func(a *A.Assembler) { a.AddImm(op, w, rd, rn, imm) }, text + " " + ops})
					}
				}
			}
		}
		add(addNames[op]+" imm", cs)
	}

	// Add/subtract shifted register.
	for _, op := range []A.AddOp{A.ADD, A.ADDS, A.SUB, A.SUBS} {
		var cs []tcase
		for _, w := range widths {
			for _, rd := range zrRegs {
				for _, rn := range zrRegs {
					for _, rm := range few {
						for _, sh := range []A.Shift{A.LSL, A.LSR, A.ASR} {
							for _, amt := range []uint8{0, 1, uint8(w) - 1} {
								op, w, rd, rn, rm, sh, amt := op, w, rd, rn, rm, sh, amt
								text := addNames[op]
								args := []string{reg(rd, w), reg(rn, w), reg(rm, w)}
								switch {
								case (op == A.ADDS || op == A.SUBS) && rd == A.ZR:
									text, args = map[A.AddOp]string{A.ADDS: "cmn", A.SUBS: "cmp"}[op], args[1:]
								case (op == A.SUB || op == A.SUBS) && rn == A.ZR:
									text, args = map[A.AddOp]string{A.SUB: "neg", A.SUBS: "negs"}[op], []string{args[0], args[2]}
								}
								want := text + " " + join(args)
								if sh != A.LSL || amt != 0 {
									want += fmt.Sprintf(", %v #%d", sh, amt)
								}
								cs = append(cs, tcase{func(a *A.Assembler) { a.AddReg(op, w, rd, rn, rm, sh, amt) }, want})
							}
						}
					}
				}
			}
		}
		add(addNames[op]+" shifted", cs)
	}

	// Add/subtract extended register.
	for _, op := range []A.AddOp{A.ADD, A.ADDS, A.SUB, A.SUBS} {
		var cs []tcase
		flags := op == A.ADDS || op == A.SUBS
		for _, w := range widths {
			rds := spRegs
			if flags {
				rds = []A.Reg{A.R3, A.ZR}
			}
			for _, rd := range rds {
				for _, rn := range spRegs {
					for _, rm := range []A.Reg{A.R9, A.ZR} {
						for e := A.UXTB; e <= A.SXTX; e++ {
							for _, amt := range []uint8{0, 2, 4} {
								op, w, rd, rn, rm, e, amt := op, w, rd, rn, rm, e, amt
								mw := w
								if w == A.W64 && e != A.UXTX && e != A.SXTX {
									mw = A.W32
								}
								text := addNames[op]
								args := []string{reg(rd, w), reg(rn, w), reg(rm, mw)}
								if flags && rd == A.ZR {
									text, args = map[A.AddOp]string{A.ADDS: "cmn", A.SUBS: "cmp"}[op], args[1:]
								}
								ext := e.String()
								// With sp the extend that does nothing is printed lsl.
								lslExt := (w == A.W64 && e == A.UXTX) || (w == A.W32 && e == A.UXTW)
								if lslExt && (rd == A.RSP || rn == A.RSP) {
									ext = "lsl"
									if amt == 0 {
										ext = ""
									}
								}
								want := text + " " + join(args)
								if ext != "" {
									want += ", " + ext
									if amt != 0 || ext == "lsl" {
										want += fmt.Sprintf(" #%d", amt)
									}
								}
								cs = append(cs, tcase{func(a *A.Assembler) { a.AddExt(op, w, rd, rn, rm, e, amt) }, want})
							}
						}
					}
				}
			}
		}
		add(addNames[op]+" extended", cs)
	}

	// Logical immediate over generated bitmask values.
	logicNames := []string{"and", "orr", "eor", "ands", "bic", "orn", "eon", "bics"}
	for _, op := range []A.LogicOp{A.AND, A.ORR, A.EOR, A.ANDS} {
		var cs []tcase
		for _, w := range widths {
			rds := spRegs
			if op == A.ANDS {
				rds = zrRegs
			}
			for _, bm := range bitmaskSample(w) {
				for _, rd := range rds {
					for _, rn := range few {
						op, w, rd, rn, v := op, w, rd, rn, bm.v
						text := logicNames[op]
						args := []string{reg(rd, w), reg(rn, w), hex(v)}
						switch {
						case op == A.ANDS && rd == A.ZR:
							text, args = "tst", args[1:]
						case op == A.ORR && rn == A.ZR && !moveWidePreferred(w, bm):
							text, args = "mov", []string{args[0], args[2]}
						}
						cs = append(cs, tcase{func(a *A.Assembler) { a.LogicImm(op, w, rd, rn, v) }, text + " " + join(args)})
					}
				}
			}
		}
		add(logicNames[op]+" imm", cs)
	}

	// Logical shifted register.
	for op := A.AND; op <= A.BICS; op++ {
		var cs []tcase
		for _, w := range widths {
			for _, rd := range zrRegs {
				for _, rn := range few {
					for _, rm := range zrRegs {
						for sh := A.LSL; sh <= A.ROR; sh++ {
							for _, amt := range []uint8{0, 3, uint8(w) - 1} {
								op, w, rd, rn, rm, sh, amt := op, w, rd, rn, rm, sh, amt
								text := logicNames[op]
								args := []string{reg(rd, w), reg(rn, w), reg(rm, w)}
								plain := sh == A.LSL && amt == 0
								switch {
								case op == A.ANDS && rd == A.ZR:
									text, args = "tst", args[1:]
								case op == A.ORR && rn == A.ZR && plain:
									text, args = "mov", []string{args[0], args[2]}
								case op == A.ORN && rn == A.ZR:
									text, args = "mvn", []string{args[0], args[2]}
								}
								want := text + " " + join(args)
								if !plain {
									want += fmt.Sprintf(", %v #%d", sh, amt)
								}
								cs = append(cs, tcase{func(a *A.Assembler) { a.LogicReg(op, w, rd, rn, rm, sh, amt) }, want})
							}
						}
					}
				}
			}
		}
		add(logicNames[op]+" shifted", cs)
	}

	// Move wide.
	{
		var cs []tcase
		for _, w := range widths {
			for _, rd := range zrRegs {
				for _, imm := range []uint16{0, 1, 0x1234, 0x8000, 0xffff} {
					for sh := uint8(0); sh < uint8(w); sh += 16 {
						w, rd, imm, sh := w, rd, imm, sh
						v := uint64(imm) << sh
						// movz: mov alias unless imm is 0 with a shift.
						want := fmt.Sprintf("movz %s, %s, lsl #%d", reg(rd, w), hex(uint64(imm)), sh)
						if !(imm == 0 && sh != 0) {
							want = fmt.Sprintf("mov %s, %s", reg(rd, w), hex(v))
						}
						cs = append(cs, tcase{func(a *A.Assembler) { a.MoveWide(A.MOVZ, w, rd, imm, sh) }, want})
						nv := ^v
						if w == A.W32 {
							nv &= 0xffffffff
						}
						want = fmt.Sprintf("movn %s, %s", reg(rd, w), hex(uint64(imm)))
						if sh != 0 {
							want += fmt.Sprintf(", lsl #%d", sh)
						}
						if !(imm == 0 && sh != 0) && !(w == A.W32 && imm == 0xffff) {
							want = fmt.Sprintf("mov %s, %s", reg(rd, w), hex(nv))
						}
						cs = append(cs, tcase{func(a *A.Assembler) { a.MoveWide(A.MOVN, w, rd, imm, sh) }, want})
						want = fmt.Sprintf("movk %s, %s", reg(rd, w), hex(uint64(imm)))
						if sh != 0 {
							want += fmt.Sprintf(", lsl #%d", sh)
						}
						cs = append(cs, tcase{func(a *A.Assembler) { a.MoveWide(A.MOVK, w, rd, imm, sh) }, want})
					}
				}
			}
		}
		add("movz/movn/movk", cs)
	}

	// Two-source.
	{
		var cs []tcase
		names := map[A.DP2Op]string{A.UDIV: "udiv", A.SDIV: "sdiv", A.LSLV: "lsl", A.LSRV: "lsr", A.ASRV: "asr", A.RORV: "ror"}
		for op := A.UDIV; op <= A.RORV; op++ {
			for _, w := range widths {
				for _, rd := range zrRegs {
					for _, rn := range few {
						for _, rm := range few {
							op, w, rd, rn, rm := op, w, rd, rn, rm
							cs = append(cs, tcase{func(a *A.Assembler) { a.DataProc2(op, w, rd, rn, rm) },
								names[op] + " " + join([]string{reg(rd, w), reg(rn, w), reg(rm, w)})})
						}
					}
				}
			}
		}
		add("two-source", cs)
	}

	// One-source.
	{
		var cs []tcase
		names := map[A.DP1Op]string{A.RBIT: "rbit", A.REV16: "rev16", A.REV32: "rev32", A.REV: "rev", A.CLZ: "clz", A.CLS: "cls"}
		for op := A.RBIT; op <= A.CLS; op++ {
			for _, w := range widths {
				if op == A.REV32 && w == A.W32 {
					continue
				}
				for _, rd := range zrRegs {
					for _, rn := range zrRegs {
						op, w, rd, rn := op, w, rd, rn
						cs = append(cs, tcase{func(a *A.Assembler) { a.DataProc1(op, w, rd, rn) }, names[op] + " " + reg(rd, w) + ", " + reg(rn, w)})
					}
				}
			}
		}
		add("one-source", cs)
	}

	// Add/subtract with carry.
	{
		var cs []tcase
		names := map[A.CarryOp]string{A.ADC: "adc", A.ADCS: "adcs", A.SBC: "sbc", A.SBCS: "sbcs"}
		for op := A.ADC; op <= A.SBCS; op++ {
			for _, w := range widths {
				for _, rd := range few {
					for _, rn := range few {
						for _, rm := range few {
							op, w, rd, rn, rm := op, w, rd, rn, rm
							want := names[op] + " " + join([]string{reg(rd, w), reg(rn, w), reg(rm, w)})
							if (op == A.SBC || op == A.SBCS) && rn == A.ZR {
								want = map[A.CarryOp]string{A.SBC: "ngc", A.SBCS: "ngcs"}[op] + " " + reg(rd, w) + ", " + reg(rm, w)
							}
							cs = append(cs, tcase{func(a *A.Assembler) { a.AddCarry(op, w, rd, rn, rm) }, want})
						}
					}
				}
			}
		}
		add("add/sub with carry", cs)
	}

	// Three-source (multiply).
	{
		var cs []tcase
		type row struct {
			op          A.DP3Op
			name, alias string // alias when ra is zr
			long        bool
		}
		rows := []row{
			{A.MADD, "madd", "mul", false}, {A.MSUB, "msub", "mneg", false},
			{A.SMADDL, "smaddl", "smull", true}, {A.SMSUBL, "smsubl", "smnegl", true},
			{A.UMADDL, "umaddl", "umull", true}, {A.UMSUBL, "umsubl", "umnegl", true},
		}
		for _, r := range rows {
			for _, w := range widths {
				if r.long && w == A.W32 {
					continue
				}
				for _, rd := range few {
					for _, rn := range few {
						for _, rm := range few {
							for _, ra := range []A.Reg{A.R4, A.ZR} {
								r, w, rd, rn, rm, ra := r, w, rd, rn, rm, ra
								sw := w
								if r.long {
									sw = A.W32
								}
								want := r.name + " " + join([]string{reg(rd, w), reg(rn, sw), reg(rm, sw), reg(ra, w)})
								if ra == A.ZR {
									want = r.alias + " " + join([]string{reg(rd, w), reg(rn, sw), reg(rm, sw)})
								}
								cs = append(cs, tcase{func(a *A.Assembler) { a.DataProc3(r.op, w, rd, rn, rm, ra) }, want})
							}
						}
					}
				}
			}
		}
		for _, op := range []A.DP3Op{A.SMULH, A.UMULH} {
			for _, rd := range few {
				for _, rn := range few {
					op, rd, rn := op, rd, rn
					name := map[A.DP3Op]string{A.SMULH: "smulh", A.UMULH: "umulh"}[op]
					cs = append(cs, tcase{func(a *A.Assembler) { a.DataProc3(op, A.W64, rd, rn, A.R9, A.ZR) }, name + " " + join([]string{x(rd), x(rn), "x9"})})
				}
			}
		}
		add("multiply", cs)
	}

	// Shifts by an immediate, field extracts and inserts, extensions.
	{
		var cs []tcase
		for _, w := range widths {
			n := uint8(w)
			for _, rd := range few {
				for _, rn := range few {
					w, rd, rn := w, rd, rn
					d, s := reg(rd, w), reg(rn, w)
					for _, amt := range []uint8{1, 7, n - 1} {
						amt := amt
						for _, sh := range []A.Shift{A.LSL, A.LSR, A.ASR} {
							sh := sh
							cs = append(cs, tcase{func(a *A.Assembler) { a.ShiftImm(sh, w, rd, rn, amt) }, fmt.Sprintf("%v %s, %s, #%d", sh, d, s, amt)})
						}
						want := fmt.Sprintf("ror %s, %s, #%d", d, s, amt)
						cs = append(cs, tcase{func(a *A.Assembler) { a.ShiftImm(A.ROR, w, rd, rn, amt) }, want})
					}
					cs = append(cs,
						tcase{func(a *A.Assembler) { a.ShiftImm(A.LSR, w, rd, rn, 0) }, fmt.Sprintf("lsr %s, %s, #0", d, s)},
						tcase{func(a *A.Assembler) { a.ShiftImm(A.ASR, w, rd, rn, 0) }, fmt.Sprintf("asr %s, %s, #0", d, s)},
					)
					for _, f := range [][2]uint8{{0, 1}, {1, 7}, {3, n - 4}, {n - 1, 1}, {0, n - 1}} {
						lsb, width := f[0], f[1]
						cs = append(cs,
							tcase{func(a *A.Assembler) { a.Ubfx(w, rd, rn, lsb, width) }, ubfxText("ubfx", d, s, lsb, width, n, true)},
							tcase{func(a *A.Assembler) { a.Sbfx(w, rd, rn, lsb, width) }, ubfxText("sbfx", d, s, lsb, width, n, false)},
							tcase{func(a *A.Assembler) { a.Bfxil(w, rd, rn, lsb, width) }, fmt.Sprintf("bfxil %s, %s, #%d, #%d", d, s, lsb, width)},
						)
						if lsb > 0 && rn != A.ZR {
							cs = append(cs, tcase{func(a *A.Assembler) { a.Bfi(w, rd, rn, lsb, width) }, fmt.Sprintf("bfi %s, %s, #%d, #%d", d, s, lsb, width)})
						}
					}
					for _, e := range []A.Extend{A.UXTB, A.UXTH, A.SXTB, A.SXTH, A.SXTW, A.UXTW} {
						if e == A.SXTW && w == A.W32 {
							continue
						}
						e := e
						var want string
						switch e {
						case A.UXTB, A.UXTH:
							want = fmt.Sprintf("%v %s, %s", e, reg(rd, A.W32), reg(rn, A.W32))
						case A.UXTW:
							want = fmt.Sprintf("mov %s, %s", reg(rd, A.W32), reg(rn, A.W32))
						default:
							want = fmt.Sprintf("%v %s, %s", e, d, reg(rn, A.W32))
						}
						cs = append(cs, tcase{func(a *A.Assembler) { a.ExtendReg(e, w, rd, rn) }, want})
					}
					cs = append(cs, tcase{func(a *A.Assembler) { a.Extr(w, rd, rn, A.R11, 5) }, fmt.Sprintf("extr %s, %s, %s, #5", d, s, reg(A.R11, w))})
				}
			}
		}
		add("bitfield and shifts", cs)
	}

	// Conditional select and compare.
	{
		var cs []tcase
		for _, w := range widths {
			for _, rd := range few {
				for _, rn := range few {
					for _, rm := range few {
						for c := A.EQ; c <= A.NV; c++ {
							w, rd, rn, rm, c := w, rd, rn, rm, c
							args := join([]string{reg(rd, w), reg(rn, w), reg(rm, w)})
							cs = append(cs, tcase{func(a *A.Assembler) { a.CondSel(A.CSEL, w, rd, rn, rm, c) }, "csel " + args + ", " + condNames[c]})
							for _, r := range []struct {
								op               A.CselOp
								name, one, zeros string
							}{{A.CSINC, "csinc", "cinc", "cset"}, {A.CSINV, "csinv", "cinv", "csetm"}, {A.CSNEG, "csneg", "cneg", ""}} {
								r := r
								want := r.name + " " + args + ", " + condNames[c]
								if rn == rm && c < A.AL {
									switch {
									case rn == A.ZR && r.zeros != "":
										want = r.zeros + " " + reg(rd, w) + ", " + condNames[c^1]
									default:
										want = r.one + " " + reg(rd, w) + ", " + reg(rn, w) + ", " + condNames[c^1]
									}
								}
								cs = append(cs, tcase{func(a *A.Assembler) { a.CondSel(r.op, w, rd, rn, rm, c) }, want})
							}
							if rn == rm {
								continue
							}
							cs = append(cs,
								tcase{func(a *A.Assembler) { a.CondCmp(A.CCMP, w, rn, rm, uint8(c), c) }, fmt.Sprintf("ccmp %s, %s, #0x%x, %s", reg(rn, w), reg(rm, w), uint8(c), condNames[c])},
								tcase{func(a *A.Assembler) { a.CondCmp(A.CCMN, w, rn, rm, 15-uint8(c), c) }, fmt.Sprintf("ccmn %s, %s, #0x%x, %s", reg(rn, w), reg(rm, w), 15-uint8(c), condNames[c])},
								tcase{func(a *A.Assembler) { a.CondCmpImm(A.CCMP, w, rn, 31-uint8(c), 1, c) }, fmt.Sprintf("ccmp %s, #0x%x, #0x1, %s", reg(rn, w), 31-uint8(c), condNames[c])},
								tcase{func(a *A.Assembler) { a.CondCmpImm(A.CCMN, w, rn, uint8(c), 8, c) }, fmt.Sprintf("ccmn %s, #0x%x, #0x8, %s", reg(rn, w), uint8(c), condNames[c])},
							)
						}
						w, rd := w, rd
						cs = append(cs, tcase{func(a *A.Assembler) { a.Cset(w, rd, A.HI) }, "cset " + reg(rd, w) + ", hi"},
							tcase{func(a *A.Assembler) { a.Csetm(w, rd, A.LT) }, "csetm " + reg(rd, w) + ", lt"})
					}
				}
			}
		}
		add("conditional select/compare", cs)
	}

	// Aliases the code generator calls directly.
	{
		var cs []tcase
		for _, w := range widths {
			w := w
			cs = append(cs,
				tcase{func(a *A.Assembler) { a.Cmp(w, A.R1, A.R2) }, "cmp " + reg(A.R1, w) + ", " + reg(A.R2, w)},
				tcase{func(a *A.Assembler) { a.CmpImm(w, A.RSP, 16) }, "cmp " + reg(A.RSP, w) + ", #0x10"},
				tcase{func(a *A.Assembler) { a.Cmn(w, A.R1, A.R2) }, "cmn " + reg(A.R1, w) + ", " + reg(A.R2, w)},
				tcase{func(a *A.Assembler) { a.CmnImm(w, A.R3, 1) }, "cmn " + reg(A.R3, w) + ", #0x1"},
				tcase{func(a *A.Assembler) { a.Tst(w, A.R1, A.R2) }, "tst " + reg(A.R1, w) + ", " + reg(A.R2, w)},
				tcase{func(a *A.Assembler) { a.TstImm(w, A.R1, 0xff) }, "tst " + reg(A.R1, w) + ", #0xff"},
				tcase{func(a *A.Assembler) { a.Neg(w, A.R1, A.R2) }, "neg " + reg(A.R1, w) + ", " + reg(A.R2, w)},
				tcase{func(a *A.Assembler) { a.Mvn(w, A.R1, A.R2) }, "mvn " + reg(A.R1, w) + ", " + reg(A.R2, w)},
				tcase{func(a *A.Assembler) { a.Mov(w, A.R1, A.R2) }, "mov " + reg(A.R1, w) + ", " + reg(A.R2, w)},
				tcase{func(a *A.Assembler) { a.Mov(w, A.RSP, A.R2) }, "mov " + reg(A.RSP, w) + ", " + reg(A.R2, w)},
				tcase{func(a *A.Assembler) { a.Mov(w, A.R29, A.RSP) }, "mov " + reg(A.R29, w) + ", " + reg(A.RSP, w)},
				tcase{func(a *A.Assembler) { a.LogicImm(A.BIC, w, A.R1, A.R2, 0xff) }, "and " + reg(A.R1, w) + ", " + reg(A.R2, w) + ", " + hex(^uint64(0xff)&(^uint64(0)>>(64-uint(w))))},
				tcase{func(a *A.Assembler) { a.Mul(w, A.R1, A.R2, A.R3) }, "mul " + reg(A.R1, w) + ", " + reg(A.R2, w) + ", " + reg(A.R3, w)},
			)
		}
		cs = append(cs,
			tcase{func(a *A.Assembler) { a.Nop() }, "nop"},
			tcase{func(a *A.Assembler) { a.Brk(0xf000) }, "brk #0xf000"},
			tcase{func(a *A.Assembler) { a.Dmb(A.BarrierISH) }, "dmb ish"},
			tcase{func(a *A.Assembler) { a.Dmb(A.BarrierISHLD) }, "dmb ishld"},
			tcase{func(a *A.Assembler) { a.Dsb(A.BarrierSY) }, "dsb sy"},
			tcase{func(a *A.Assembler) { a.Isb() }, "isb"},
		)
		add("aliases and system", cs)
	}
	return fs
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// ubfxText is the preferred disassembly of a field extract: lsr/asr when
// the field reaches the top bit, uxtb/uxth/sxtb/sxth for low byte and half
// fields of the right width.
func ubfxText(name, d, s string, lsb, width, n uint8, unsigned bool) string {
	if lsb+width == n {
		sh := "asr"
		if unsigned {
			sh = "lsr"
		}
		return fmt.Sprintf("%s %s, %s, #%d", sh, d, s, lsb)
	}
	if lsb == 0 && (width == 8 || width == 16) && (n == 32 || !unsigned) {
		e := map[uint8]string{8: "b", 16: "h"}[width]
		p := "s"
		if unsigned {
			p = "u"
		}
		src := "w" + s[1:]
		return fmt.Sprintf("%sxt%s %s, %s", p, e, d, src)
	}
	return fmt.Sprintf("%s %s, %s, #%d, #%d", name, d, s, lsb, width)
}

// bitmask is a logical immediate with the fields the Arm ARM encodes it
// by, derived here from how the value was built.
type bitmask struct {
	v             uint64
	n, immr, imms uint
}

// bitmaskSample lists encodable logical immediates: every element size,
// run length and rotation edge.
func bitmaskSample(w A.Width) []bitmask {
	var vs []bitmask
	for size := uint(2); size <= uint(w); size *= 2 {
		for _, ones := range []uint{1, size / 2, size - 1} {
			for _, rot := range []uint{0, 1, size - 1} {
				mask := ^uint64(0) >> (64 - size)
				e := uint64(1)<<ones - 1
				e = (e>>rot | e<<(size-rot)) & mask
				v := e
				for s := size; s < 64; s *= 2 {
					v |= v << s
				}
				if w == A.W32 {
					v &= 0xffffffff
				}
				b := bitmask{v: v, immr: rot, imms: (^(size-1)<<1)&0x3f | (ones - 1)}
				if size == 64 {
					b.n = 1
				}
				vs = append(vs, b)
			}
		}
	}
	return vs
}

// moveWidePreferred is the Arm ARM's rule for when ORR #imm with the zero
// register is shown as MOVZ/MOVN rather than as the mov alias.
func moveWidePreferred(w A.Width, b bitmask) bool {
	width := uint(w)
	if (w == A.W64 && b.n != 1) || (w == A.W32 && (b.n != 0 || b.imms&0x20 != 0)) {
		return false
	}
	if b.imms < 16 {
		return (16-b.immr%16)%16 <= 15-b.imms
	}
	if b.imms >= width-15 {
		return b.immr%16 <= b.imms-(width-15)
	}
	return false
}
