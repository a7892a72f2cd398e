package disasmtest

import (
	"fmt"
	"strings"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
)

// reachWords is how far, in words each way, a kind's own instruction
// reaches (the Arm ARM's field widths: imm26, imm19, imm14, and ADR's
// imm21 counting bytes).
func reachWords(k brKind) int {
	switch {
	case k.name == "b" || k.name == "bl":
		return 1 << 25
	case strings.HasPrefix(k.name, "tb"):
		return 1 << 13
	}
	return 1 << 18
}

// farText is what arm64asm prints for a far form d bytes from the
// sequence's first word: X17 = that word's address, X16 = d, and then rd
// = X17 + sign-extended W16 and, unless the kind is ADR, the use of X16.
func farText(k brKind, d int64) string {
	u := uint32(d)
	rd, use := "x16", ""
	switch {
	case k.name == "adr":
		rd = "x7"
	case k.name == "b" || k.inverted != nil:
		use = "; br x16"
	case k.name == "bl":
		use = "; blr x16"
	default: // ldr literal: the same load from [x16]
		use = "; " + k.text("[x16]")
	}
	return fmt.Sprintf("adr x17, .+0x0; mov x16, #0x%x; movk x16, #0x%x, lsl #16; add %s, x17, w16, sxtw%s", u&0xffff, u>>16, rd, use)
}

// expect is the text of kind k's reference at byte offset pc to target,
// in the form its distance needs, and its length in words.
func expect(k brKind, pc, target int) (string, int) {
	d := (target - pc) / 4
	reach := reachWords(k)
	switch {
	case d >= -reach && d < reach:
		return k.text(rel(d)), 1
	case k.inverted != nil && d-1 >= -(1<<25) && d-1 < 1<<25:
		return k.inverted(rel(2)) + "; b " + rel(d-1), 2
	case k.inverted != nil:
		return k.inverted(rel(6)) + "; " + farText(k, int64(target-pc-4)), 6
	case k.name == "adr":
		return farText(k, int64(target-pc)), 4
	}
	return farText(k, int64(target-pc)), 5
}

// Every kind of label reference over gaps of code just beyond 1 MiB and
// just beyond 128 MiB, forward and backward, decodes as the form its
// distance needs (short, the opposite test around a B, or the far form
// through X16) and reaches its label.
func TestFarForms(t *testing.T) {
	kinds := branchKinds()
	n := 0
	for _, gap := range []int{1<<18 + 8, 1<<25 + 8} {
		a := A.NewAssembler(A.All)
		start, end := a.NewLabel(), a.NewLabel()
		a.Bind(start)
		for _, k := range kinds {
			k.emit(a, end)
		}
		for i := 0; i < gap; i++ {
			a.Nop()
		}
		a.Bind(end)
		for _, k := range kinds {
			k.emit(a, start)
		}
		code, err := a.Finish()
		if err != nil {
			t.Fatalf("gap of %d words: %v", gap, err)
		}
		forms := map[int]int{}
		check := func(pc, target int) int {
			for _, k := range kinds {
				want, words := expect(k, pc, target)
				if got := disasm(code[pc : pc+4*words]); got != want {
					t.Errorf("gap %d, %s at %#x to %#x:\\n got %s\\nwant %s", gap, k.name, pc, target, got, want)
				}
				forms[words]++
				pc += 4 * words
				n++
			}
			return pc
		}
		to, _ := a.Offset(end)
		pc := check(0, to)
		if pc+4*gap != to {
			t.Fatalf("gap %d: label at %#x, references end at %#x", gap, to, pc)
		}
		if pc = check(to, 0); pc != len(code) {
			t.Fatalf("gap %d: references end at %#x, code at %#x", gap, pc, len(code))
		}
		t.Logf("gap of %d words: %v references of each length in words", gap, forms)
	}
	checked["far label references"] = n
}
