package disasmtest

import (
	"encoding/binary"
	"math/rand"
	"regexp"
	"strconv"
	"strings"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
	"golang.org/x/arch/arm64/arm64asm"
)

var relRE = regexp.MustCompile(`\.\+0x([0-9a-f]+)$`)

// target decodes the word at byte offset pc and returns its mnemonic and
// where it branches.
func target(t *testing.T, code []byte, pc int) (string, int) {
	t.Helper()
	inst, err := arm64asm.Decode(code[pc : pc+4])
	if err != nil {
		t.Fatalf("at %#x: %v", pc, err)
	}
	text := arm64asm.GNUSyntax(inst)
	m := relRE.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("at %#x: %q is not a branch", pc, text)
	}
	d, _ := strconv.ParseUint(m[1], 16, 64)
	return strings.Fields(text)[0], pc + int(int64(d))
}

// Random programs of conditional and unconditional branches over gaps of
// every size: after Finish each branch, as arm64asm decodes it, reaches
// its label, directly or through the opposite test and a B.
func TestRelaxRandom(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	n, long := 0, 0
	for prog := 0; prog < 6; prog++ {
		a := A.NewAssembler(A.Baseline)
		labels := make([]A.Label, 40)
		for i := range labels {
			labels[i] = a.NewLabel()
		}
		bound := make([]bool, len(labels))
		type ref struct{ label int }
		var refs []ref
		for step := 0; step < 400; step++ {
			switch k := r.Intn(10); {
			case k < 3:
				gap := r.Intn(3000)
				if r.Intn(40) == 0 {
					gap = 1<<18 + r.Intn(1000) // beyond B.cond and CBZ
				}
				for i := 0; i < gap; i++ {
					a.Nop()
				}
			case k < 5:
				if i := r.Intn(len(labels)); !bound[i] {
					a.Bind(labels[i])
					bound[i] = true
				}
			default:
				l := r.Intn(len(labels))
				refs = append(refs, ref{l})
				switch r.Intn(4) {
				case 0:
					a.TBZ(A.R3, uint8(r.Intn(64)), labels[l])
				case 1:
					a.CBNZ(A.W32, A.R4, labels[l])
				case 2:
					a.BCond(A.Cond(r.Intn(14)), labels[l])
				default:
					a.B(labels[l])
				}
			}
		}
		for i := range labels {
			if !bound[i] {
				a.Bind(labels[i])
			}
		}
		code, err := a.Finish()
		if err != nil {
			t.Fatal(err)
		}
		// Walk the code: every word that is not a NOP starts the next
		// reference, in emission order.
		k := 0
		for pc := 0; pc < len(code); pc += 4 {
			if binary.LittleEndian.Uint32(code[pc:]) == 0xD503201F {
				continue
			}
			if k >= len(refs) {
				t.Fatalf("program %d: more branches than emitted", prog)
			}
			want, _ := a.Offset(labels[refs[k].label])
			op, to := target(t, code, pc)
			if to != want && op != "b" && to == pc+8 && pc+4 < len(code) {
				// Lengthened (only when want is out of reach, so never
				// pc+8): the opposite test skips a B to the label.
				if next, via := target(t, code, pc+4); next == "b" {
					to = via
					pc += 4
					long++
				}
			}
			if to != want {
				t.Fatalf("program %d: branch %d at %#x reaches %#x, its label is at %#x", prog, k, pc, to, want)
			}
			k++
		}
		if k != len(refs) {
			t.Fatalf("program %d: %d branches decoded, %d emitted", prog, k, len(refs))
		}
		n += k
	}
	checked["random branch layouts"] = n
	if long == 0 {
		t.Error("no branch was lengthened: the programs do not test relaxation")
	}
	t.Logf("%d branches, %d lengthened", n, long)
}
