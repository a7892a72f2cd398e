package disasmtest

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
)

// MovImm's instructions, as arm64asm decodes them, compute the constant:
// arm64asm prints the value of the MOVZ, MOVN and ORR mov aliases itself,
// so the check does not rely on the encoder's idea of those fields.
func TestMovImm(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	values := []uint64{0, 1, 0xffff, 0x10000, 0xffffffff, 0x100000000, ^uint64(0), 1 << 63,
		0x5555555555555555, 0x00ff00ff00ff00ff, 0x1234567890abcdef, 0xffff0000ffff0000, 0xfffffffffffffffe}
	for i := 0; i < 3000; i++ {
		v := r.Uint64()
		for j := 0; j < 4; j++ {
			switch r.Intn(3) {
			case 0:
				v &^= 0xffff << (16 * j)
			case 1:
				v |= 0xffff << (16 * j)
			}
		}
		values = append(values, v)
	}
	n := 0
	for _, w := range widths {
		mask := ^uint64(0) >> (64 - uint(w))
		for _, v := range values {
			a := A.NewAssembler(A.Baseline)
			a.MovImm(w, A.R5, v)
			code, err := a.Finish()
			if err != nil {
				t.Fatalf("%d bits %#x: %v", w, v, err)
			}
			if len(code) != 4*A.MovImmLen(w, v) {
				t.Fatalf("%d bits %#x: %d bytes, MovImmLen %d", w, v, len(code), A.MovImmLen(w, v))
			}
			text := disasm(code)
			got, err := simulateMov(text, reg(A.R5, w))
			if err != nil || got&mask != v&mask {
				t.Fatalf("%d bits %#x: %q computes %#x (%v)", w, v, text, got&mask, err)
			}
			n++
		}
	}
	checked["movimm sequences"] = n
}

// simulateMov runs a sequence of mov/movz/movn/movk/orr on register rd as
// arm64asm prints them.
func simulateMov(text, rd string) (uint64, error) {
	var x uint64
	for _, in := range strings.Split(text, "; ") {
		var op, dst string
		var imm uint64
		var shift uint
		f := strings.Fields(strings.NewReplacer(",", " ", "#", "").Replace(in))
		if len(f) < 3 {
			return 0, fmt.Errorf("cannot parse %q", in)
		}
		op, dst = f[0], f[1]
		if op == "orr" { // orr rd, zr, #imm (when arm64asm does not show mov)
			f = append(f[:2], f[3:]...)
		}
		if _, err := fmt.Sscanf(f[2], "0x%x", &imm); err != nil {
			return 0, fmt.Errorf("%q: %v", in, err)
		}
		if len(f) == 5 && f[3] == "lsl" {
			fmt.Sscanf(f[4], "%d", &shift)
		}
		if dst != rd {
			return 0, fmt.Errorf("%q writes %s", in, dst)
		}
		switch op {
		case "mov", "orr":
			x = imm
		case "movz":
			x = imm << shift
		case "movn":
			x = ^(imm << shift)
		case "movk":
			x = x&^(0xffff<<shift) | imm<<shift
		default:
			return 0, fmt.Errorf("unexpected %q", in)
		}
	}
	return x, nil
}
