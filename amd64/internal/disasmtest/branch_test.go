package disasmtest

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/amd64"
	"golang.org/x/arch/x86/x86asm"
)

// decodeAll disassembles code instruction by instruction.
func decodeAll(t *testing.T, code []byte) (insts []x86asm.Inst, pcs []int) {
	t.Helper()
	for pc := 0; pc < len(code); {
		in, err := x86asm.Decode(code[pc:], 64)
		if err != nil {
			t.Fatalf("decode at %d: %v (% x)", pc, err, code[pc:min(pc+16, len(code))])
		}
		insts, pcs = append(insts, in), append(pcs, pc)
		pc += in.Len
	}
	return insts, pcs
}

// TestBranchesResolve builds random control flow (forward and backward
// jumps, conditional jumps, calls and RIP-relative loads of labels, with
// padding of random sizes so that some branches fit in rel8 and others do
// not), then checks with x86asm that every branch lands on its label and
// that every branch that can be short is.
func TestBranchesResolve(t *testing.T) {
	nShort, nLong := 0, 0
	defer func() {
		if nShort == 0 || nLong == 0 {
			t.Errorf("the random programs produced %d short and %d long branches; both kinds must be covered", nShort, nLong)
		}
	}()
	for seed := int64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewSource(seed))
		a := amd64.NewAssembler(amd64.Baseline)
		const nLabels = 12
		labels := make([]amd64.Label, nLabels)
		for i := range labels {
			labels[i] = a.NewLabel()
		}
		type use struct {
			kind  string // "jmp", "jcc", "call", "lea"
			label int
			cc    amd64.Cond
		}
		var uses []use
		bound := 0
		for bound < nLabels {
			switch r := rng.Intn(10); {
			case r < 2:
				a.Bind(labels[bound])
				bound++
			case r < 4:
				u := use{kind: "jmp", label: rng.Intn(nLabels)}
				uses = append(uses, u)
				a.Jmp(labels[u.label])
			case r < 6:
				u := use{kind: "jcc", label: rng.Intn(nLabels), cc: amd64.Cond(rng.Intn(16))}
				uses = append(uses, u)
				a.Jcc(u.cc, labels[u.label])
			case r < 7:
				u := use{kind: "call", label: rng.Intn(nLabels)}
				uses = append(uses, u)
				a.Call(labels[u.label])
			case r < 8:
				u := use{kind: "lea", label: rng.Intn(nLabels)}
				uses = append(uses, u)
				a.RM(amd64.LEA, amd64.W64, amd64.R11, amd64.LabelRef(labels[u.label], 0))
			default:
				// padding: a run of 7-byte instructions
				for n := rng.Intn(30); n > 0; n-- {
					a.MI(amd64.MOV, amd64.W64, amd64.Ptr(amd64.RBX, 0x100), 1)
				}
			}
		}
		code, err := a.Finish()
		if err != nil {
			t.Fatal(err)
		}
		offsets := make([]int, nLabels)
		for i, l := range labels {
			if offsets[i], err = a.Offset(l); err != nil {
				t.Fatal(err)
			}
		}
		insts, pcs := decodeAll(t, code)
		k := 0
		for i, in := range insts {
			var kind string
			switch {
			case in.Op == x86asm.JMP:
				kind = "jmp"
			case in.Op == x86asm.CALL:
				kind = "call"
			case in.Op == x86asm.LEA:
				kind = "lea"
			case strings.HasPrefix(in.Op.String(), "J") && !strings.HasSuffix(in.Op.String(), "CXZ"):
				kind = "jcc"
			default:
				continue
			}
			if k >= len(uses) {
				t.Fatalf("seed %d: more branches decoded than emitted", seed)
			}
			u := uses[k]
			k++
			if kind != u.kind {
				t.Fatalf("seed %d: instruction %d is %v, want %s", seed, i, in.Op, u.kind)
			}
			end := pcs[i] + in.Len
			var target int
			switch x := in.Args[0].(type) {
			case x86asm.Rel:
				target = end + int(x)
			}
			if kind == "lea" {
				m := in.Args[1].(x86asm.Mem)
				if m.Base != x86asm.RIP {
					t.Fatalf("seed %d: lea operand %v is not RIP-relative", seed, m)
				}
				target = end + int(m.Disp)
			}
			if target != offsets[u.label] {
				t.Fatalf("seed %d: %s at %d goes to %d, label %d is at %d", seed, kind, pcs[i], target, u.label, offsets[u.label])
			}
			if kind == "jmp" || kind == "jcc" {
				short := in.Len == 2
				if short {
					nShort++
				} else {
					nLong++
				}
				fits := target-(pcs[i]+2) >= -128 && target-(pcs[i]+2) <= 127
				if fits && !short {
					t.Errorf("seed %d: %s at %d to %d could be short but is %d bytes", seed, kind, pcs[i], target, in.Len)
				}
				if kind == "jcc" && in.Op.String() != "J"+upper(ccName[u.cc]) {
					t.Errorf("seed %d: %v, want condition %v", seed, in.Op, u.cc)
				}
			}
		}
		if k != len(uses) {
			t.Fatalf("seed %d: decoded %d branches, emitted %d", seed, k, len(uses))
		}
	}
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

// TestJumpTable checks Diff32 entries: label minus table base.
func TestJumpTable(t *testing.T) {
	a := amd64.NewAssembler(amd64.Baseline)
	table, l1, l2 := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Jmp(l2)
	a.Bind(l1)
	a.Op0(amd64.RET, amd64.WNone)
	a.Bind(table)
	a.Diff32(l1, table, 0)
	a.Diff32(l2, table, 0)
	a.Bind(l2)
	a.Op0(amd64.UD2, amd64.WNone)
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	tab, _ := a.Offset(table)
	for i, l := range []amd64.Label{l1, l2} {
		off, _ := a.Offset(l)
		got := int32(uint32(code[tab+4*i]) | uint32(code[tab+4*i+1])<<8 | uint32(code[tab+4*i+2])<<16 | uint32(code[tab+4*i+3])<<24)
		if int(got) != off-tab {
			t.Errorf("entry %d = %d, want %d", i, got, off-tab)
		}
	}
	// The forward jump over 1+8 bytes is short: EB 09.
	if code[0] != 0xEB || code[1] != 9 {
		t.Errorf("jmp = % x, want eb 09", code[:2])
	}
}
