package disasmtest

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/arm64"
	"golang.org/x/arch/arm64/arm64asm"
)

// tcase is one instruction (or short sequence) to assemble and the text
// arm64asm must print for it, instructions joined by "; ".
type tcase struct {
	emit func(a *arm64.Assembler)
	want string
}

// form is one encoder form and every operand combination tried for it.
type form struct {
	name  string
	cases []tcase
}

var checked = map[string]int{} // cases per form, for the summary log

// assemble runs c.emit on an assembler targeting every feature.
func assemble(t *testing.T, c tcase) []byte {
	t.Helper()
	a := arm64.NewAssembler(arm64.All)
	c.emit(a)
	code, err := a.Finish()
	if err != nil {
		t.Fatalf("want %q: %v", c.want, err)
	}
	return code
}

// disasm decodes every word of code with arm64asm in GNU syntax.
func disasm(code []byte) string {
	var out []string
	for i := 0; i+4 <= len(code); i += 4 {
		inst, err := arm64asm.Decode(code[i : i+4])
		if err != nil {
			out = append(out, fmt.Sprintf("?%08x(%v)", binary.LittleEndian.Uint32(code[i:]), err))
			continue
		}
		out = append(out, strings.TrimSpace(arm64asm.GNUSyntax(inst)))
	}
	return strings.Join(out, "; ")
}

func runForms(t *testing.T, forms []form) {
	t.Helper()
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			if len(f.cases) == 0 {
				t.Fatal("no cases")
			}
			bad := 0
			for _, c := range f.cases {
				code := assemble(t, c)
				if got := disasm(code); got != c.want {
					if bad++; bad <= 10 {
						t.Errorf("got %q (%x), want %q", got, code, c.want)
					}
				}
			}
			checked[f.name] = len(f.cases)
		})
	}
}

// reg names r at width w as arm64asm prints it; sp is 31 in an SP slot.
func reg(r arm64.Reg, w arm64.Width) string {
	p := "x"
	if w == arm64.W32 {
		p = "w"
	}
	switch r {
	case arm64.ZR:
		return p + "zr"
	case arm64.RSP:
		if w == arm64.W32 {
			return "wsp"
		}
		return "sp"
	}
	return fmt.Sprintf("%s%d", p, uint8(r))
}

func x(r arm64.Reg) string { return reg(r, arm64.W64) }

// Operand sets: zero-register slots, stack-pointer slots.
var (
	zrRegs = []arm64.Reg{arm64.R0, arm64.R1, arm64.R7, arm64.R16, arm64.R29, arm64.R30, arm64.ZR}
	spRegs = []arm64.Reg{arm64.R0, arm64.R5, arm64.R18, arm64.R30, arm64.RSP}
	few    = []arm64.Reg{arm64.R2, arm64.R30, arm64.ZR}
	widths = []arm64.Width{arm64.W32, arm64.W64}
)

func hex(v uint64) string { return fmt.Sprintf("#0x%x", v) }

// condNames are the conditions as arm64asm names them; it prints the
// encoding 0b1111 (nv, which behaves as al) as "al".
var condNames = []string{"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "al"}

// TestMain reports how many forms and cases were checked.
func TestMain(m *testing.M) {
	code := m.Run()
	n := 0
	names := make([]string, 0, len(checked))
	for name, c := range checked {
		n += c
		names = append(names, name)
	}
	if testing.Verbose() {
		sort.Strings(names)
		for _, name := range names {
			fmt.Printf("  %6d  %s\n", checked[name], name)
		}
	}
	fmt.Printf("disasmtest: %d forms, %d cases checked\n", len(checked), n)
	os.Exit(code)
}
