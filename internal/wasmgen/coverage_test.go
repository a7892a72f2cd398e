package wasmgen

import (
	"sort"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// opCounter counts the instructions the validator visits.
type opCounter struct{ counts map[wasm.Opcode]int }

func (c *opCounter) Begin(*validator.Func) error { return nil }
func (c *opCounter) End(*validator.Func) error   { return nil }
func (c *opCounter) Instr(in *wasm.Instr, _ *validator.State) error {
	c.counts[in.Op]++
	return nil
}

// notGenerated lists the WebAssembly 2.0 instructions the generator does
// not emit, with the reason.
var notGenerated = map[string]string{
	"else": "", // counted by the validator as part of if; listed for clarity
}

// TestOpcodeCoverage checks that generated modules (2000 of them) use every instruction
// of WebAssembly 2.0.
func TestOpcodeCoverage(t *testing.T) {
	c := &opCounter{counts: map[wasm.Opcode]int{}}
	for seed := int64(0); seed < 2000; seed++ {
		bin := Generate(seedBytes(seed, 4096), Config{})
		m, err := decoder.Decode(bin, wasm.Features2)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if err := validator.ValidateModule(m, wasm.Features2, func(uint32) validator.FuncVisitor { return c }); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
	var missing []string
	total := 0
	for _, info := range wasm.OpInfos() {
		if !isWasm2(info.Op) {
			continue
		}
		total++
		if c.counts[info.Op] == 0 {
			if _, ok := notGenerated[info.Name]; !ok {
				missing = append(missing, info.Name)
			}
		}
	}
	sort.Strings(missing)
	t.Logf("%d of %d WebAssembly 2.0 instructions generated", total-len(missing), total)
	if len(missing) > 0 {
		t.Errorf("never generated in 2000 modules: %v", missing)
	}
}

// isWasm2 reports whether op is any instruction of WebAssembly 2.0.
func isWasm2(op wasm.Opcode) bool {
	switch op.Prefix() {
	case 0:
		return op <= 0x05 || (op >= 0x0b && op <= 0x11) || (op >= 0x1a && op <= 0x1c) || (op >= 0x20 && op <= 0x26) ||
			(op >= 0x28 && op <= 0xc4) || (op >= 0xd0 && op <= 0xd2)
	}
	return inWasm2(op)
}
