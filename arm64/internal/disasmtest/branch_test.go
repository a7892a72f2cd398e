package disasmtest

import (
	"fmt"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
)

// brKind is one label-referencing instruction: how to emit it and the
// text arm64asm prints for it with a given target.
type brKind struct {
	name  string
	emit  func(a *A.Assembler, l A.Label)
	text  func(target string) string
	reach int // largest forward distance in words that stays one instruction
	// inverted is the text of the opposite test, when Finish may lengthen it.
	inverted func(target string) string
}

func rel(words int) string { return fmt.Sprintf(".+0x%x", uint64(int64(words)*4)) }

func branchKinds() []brKind {
	const cond19, test14, b26 = 1<<18 - 1, 1<<13 - 1, 1<<25 - 1
	ks := []brKind{
		{name: "b", emit: func(a *A.Assembler, l A.Label) { a.B(l) }, text: func(t string) string { return "b " + t }, reach: b26},
		{name: "bl", emit: func(a *A.Assembler, l A.Label) { a.BL(l) }, text: func(t string) string { return "bl " + t }, reach: b26},
		{name: "adr", emit: func(a *A.Assembler, l A.Label) { a.ADR(A.R7, l) }, text: func(t string) string { return "adr x7, " + t }, reach: b26},
	}
	for _, w := range widths {
		for _, r := range []A.Reg{A.R7, A.ZR} {
			w, r := w, r
			ks = append(ks, brKind{name: "ldr literal " + reg(r, w), emit: func(a *A.Assembler, l A.Label) { a.LdrLiteral(w, r, l) },
				text: func(t string) string { return "ldr " + reg(r, w) + ", " + t }})
		}
	}
	for sz := A.S32; sz <= A.S128; sz++ {
		sz := sz
		v := map[A.Size]string{A.S32: "s", A.S64: "d", A.S128: "q"}[sz] + "31"
		ks = append(ks, brKind{name: "ldr literal " + v, emit: func(a *A.Assembler, l A.Label) { a.FLdrLiteral(sz, A.V31, l) },
			text: func(t string) string { return "ldr " + v + ", " + t }})
	}
	for c := A.EQ; c < A.AL; c++ {
		c := c
		ks = append(ks, brKind{name: "b." + c.String(), emit: func(a *A.Assembler, l A.Label) { a.BCond(c, l) },
			text: func(t string) string { return "b." + condNames[c] + " " + t }, reach: cond19,
			inverted: func(t string) string { return "b." + condNames[c^1] + " " + t }})
	}
	for _, w := range widths {
		for _, r := range []A.Reg{A.R0, A.R30, A.ZR} {
			w, r := w, r
			ks = append(ks,
				brKind{name: "cbz " + reg(r, w), emit: func(a *A.Assembler, l A.Label) { a.CBZ(w, r, l) },
					text: func(t string) string { return "cbz " + reg(r, w) + ", " + t }, reach: cond19,
					inverted: func(t string) string { return "cbnz " + reg(r, w) + ", " + t }},
				brKind{name: "cbnz " + reg(r, w), emit: func(a *A.Assembler, l A.Label) { a.CBNZ(w, r, l) },
					text: func(t string) string { return "cbnz " + reg(r, w) + ", " + t }, reach: cond19,
					inverted: func(t string) string { return "cbz " + reg(r, w) + ", " + t }})
		}
	}
	for _, bit := range []uint8{0, 5, 31, 32, 63} {
		for _, r := range []A.Reg{A.R3, A.ZR} {
			bit, r := bit, r
			w := A.W32
			if bit >= 32 {
				w = A.W64
			}
			ks = append(ks,
				brKind{name: fmt.Sprintf("tbz #%d", bit), emit: func(a *A.Assembler, l A.Label) { a.TBZ(r, bit, l) },
					text: func(t string) string { return fmt.Sprintf("tbz %s, #%d, %s", reg(r, w), bit, t) }, reach: test14,
					inverted: func(t string) string { return fmt.Sprintf("tbnz %s, #%d, %s", reg(r, w), bit, t) }},
				brKind{name: fmt.Sprintf("tbnz #%d", bit), emit: func(a *A.Assembler, l A.Label) { a.TBNZ(r, bit, l) },
					text: func(t string) string { return fmt.Sprintf("tbnz %s, #%d, %s", reg(r, w), bit, t) }, reach: test14,
					inverted: func(t string) string { return fmt.Sprintf("tbz %s, #%d, %s", reg(r, w), bit, t) }})
		}
	}
	return ks
}

// placeBranch assembles pad nops and a reference to a label: forward
// (reference first, label after the pad) or backward (label, pad,
// reference). It returns the code and the word index of the reference.
func placeBranch(t *testing.T, k brKind, pad int, forward bool) ([]byte, int) {
	t.Helper()
	a := A.NewAssembler(A.All)
	l := a.NewLabel()
	at := 0
	if forward {
		k.emit(a, l)
	} else {
		a.Bind(l)
		at = pad
	}
	for i := 0; i < pad; i++ {
		a.Nop()
	}
	if forward {
		a.Bind(l)
	} else {
		k.emit(a, l)
	}
	code, err := a.Finish()
	if err != nil {
		t.Fatalf("%s over %d words: %v", k.name, pad, err)
	}
	return code, at
}

func TestBranches(t *testing.T) {
	n := 0
	for _, k := range branchKinds() {
		k := k
		t.Run(k.name, func(t *testing.T) {
			// Short distances, in range.
			for _, pad := range []int{0, 1, 7, 100} {
				for _, fwd := range []bool{true, false} {
					code, at := placeBranch(t, k, pad, fwd)
					d := pad + 1
					if !fwd {
						d = -pad
					}
					if got, want := disasm(code[4*at:4*at+4]), k.text(rel(d)); got != want {
						t.Errorf("pad %d forward %v: got %q, want %q", pad, fwd, got, want)
					}
					n++
				}
			}
			if k.inverted == nil {
				return
			}
			// The edges of the reach: the largest forward and backward
			// displacements stay one instruction; one word further is the
			// opposite test over a b.
			limit := k.reach
			for _, c := range []struct {
				pad  int
				fwd  bool
				long bool
			}{{limit - 1, true, false}, {limit, true, true}, {limit + 1, false, false}, {limit + 2, false, true}} {
				code, at := placeBranch(t, k, c.pad, c.fwd)
				var want string
				switch {
				case !c.long && c.fwd:
					want = k.text(rel(c.pad + 1))
				case !c.long:
					want = k.text(rel(-c.pad))
				case c.fwd:
					want = k.inverted(rel(2)) + "; b " + rel(c.pad+1)
				default:
					want = k.inverted(rel(2)) + "; b " + rel(-c.pad-1)
				}
				words := 1
				if c.long {
					words = 2
				}
				if got := disasm(code[4*at : 4*(at+words)]); got != want {
					t.Errorf("pad %d forward %v: got %q, want %q", c.pad, c.fwd, got, want)
				}
				if c.long && len(code) != 4*(c.pad+2) {
					t.Errorf("pad %d: code is %d bytes, want %d", c.pad, len(code), 4*(c.pad+2))
				}
				n++
			}
		})
	}
	checked["branches"] = n
}

// A call left for the linker decodes as the BL PatchCall made of it.
func TestPatchCall(t *testing.T) {
	n := 0
	for _, target := range []int{0, 4, 64, -64, 1<<27 - 4, -(1 << 27)} {
		a := A.NewAssembler(A.Baseline)
		a.Nop()
		a.CallExtern(3)
		code, err := a.Finish()
		if err != nil {
			t.Fatal(err)
		}
		at := a.Externs()[0].At
		if err := A.PatchCall(code, at, at+target); err != nil {
			t.Fatalf("to %+d: %v", target, err)
		}
		if got, want := disasm(code[at:at+4]), "bl "+rel(target/4); got != want {
			t.Errorf("to %+d: got %q, want %q", target, got, want)
		}
		n++
	}
	checked["extern calls"] = n
}
