package interp

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// serializeWAT exercises what the bench workloads do not: exception
// handlers, multi-memory and memory64 accesses, br_table.
const serializeWAT = `(module
  (tag $e (param i32))
  (memory 1) (memory $m64 i64 1)
  (func (export "f") (param i32) (result i32)
    (block $a (block $b (br_table $a $b $a (local.get 0))))
    (i64.store $m64 offset=8 (i64.const 0) (i64.const 1))
    (block $h (result i32)
      (try_table (catch $e $h) (throw $e (local.get 0))) (i32.const 0))
    (try (do (throw $e (i32.const 1))) (catch $e drop) (catch_all))))`

func translateBinary(t *testing.T, bin []byte) []*Code {
	t.Helper()
	m, err := decoder.Decode(bin, wasm.FeaturesAll)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCompiler(m)
	if err := validator.ValidateModule(m, wasm.FeaturesAll, c.Visitor); err != nil {
		t.Fatal(err)
	}
	return c.Codes()
}

var codeOpts = cmp.Options{
	cmp.AllowUnexported(Code{}, instr{}, memOp{}, handler{}, catchClause{}),
	cmpopts.EquateEmpty(),
}

// normalized copies c with empty slices as nil.
func normalized(c *Code) Code {
	n := *c
	if len(n.offsets) == 0 {
		n.offsets = nil
	}
	if len(n.brTables) == 0 {
		n.brTables = nil
	}
	if len(n.shuffles) == 0 {
		n.shuffles = nil
	}
	if len(n.memOps) == 0 {
		n.memOps = nil
	}
	if len(n.handlers) == 0 {
		n.handlers = nil
	}
	n.handlers = append([]handler(nil), n.handlers...)
	for i := range n.handlers {
		if len(n.handlers[i].clauses) == 0 {
			n.handlers[i].clauses = nil
		}
	}
	if len(n.handlers) == 0 {
		n.handlers = nil
	}
	return n
}

func TestSerializeRoundTrip(t *testing.T) {
	bins := map[string][]byte{}
	paths, _ := filepath.Glob("../bench/workloads/wasm/*.wasm")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		bins[filepath.Base(p)] = b
	}
	b, err := wast.Parser{Features: wasm.FeaturesAll}.ParseModule("t.wat", []byte(serializeWAT))
	if err != nil {
		t.Fatal(err)
	}
	bins["serialize.wat"] = b
	seen := map[string]bool{}
	for name, bin := range bins {
		codes := translateBinary(t, bin)
		got, err := DecodeCodes(AppendCodes(nil, codes), true)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != len(codes) {
			t.Fatalf("%s: %d codes back, want %d", name, len(got), len(codes))
		}
		for i := range codes {
			// DeepEqual on normalised copies first: cmp is slow on the
			// large jsonrt module.
			if a, b := normalized(codes[i]), normalized(got[i]); !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: code %d differs (-want +got):\n%s", name, i, cmp.Diff(a, b, codeOpts))
			}
		}
		for _, c := range codes {
			seen["memOps"] = seen["memOps"] || len(c.memOps) > 0
			seen["handlers"] = seen["handlers"] || len(c.handlers) > 0
			seen["brTables"] = seen["brTables"] || len(c.brTables) > 0
			seen["shuffles"] = seen["shuffles"] || len(c.shuffles) > 0
			seen["loops"] = seen["loops"] || len(c.loops) > 0
		}
	}
	for _, k := range []string{"memOps", "handlers", "brTables", "shuffles", "loops"} {
		if !seen[k] {
			t.Errorf("no module exercised %s", k)
		}
	}
}

// TestSerializeCoversCode fails when Code gains a field: serialize it in
// AppendCodes and DecodeCodes, then list it here.
func TestSerializeCoversCode(t *testing.T) {
	want := []string{"instrs", "offsets", "brTables", "shuffles", "memOps", "handlers", "loops",
		"numParams", "numLocals", "numResults", "frameSize", "refLocals", "refSlots", "funcIndex",
		"heat", "tier"} // the tiering state, not serialized (tier.go)
	typ := reflect.TypeOf(Code{})
	var got []string
	for i := 0; i < typ.NumField(); i++ {
		got = append(got, typ.Field(i).Name)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Code's fields changed; update serialize.go (-serialized +fields):\n%s", d)
	}
}

// TestDecodeCodesMalformed: truncations and damaged counts are errors,
// never panics or huge allocations.
func TestDecodeCodesMalformed(t *testing.T) {
	b, err := os.ReadFile("../bench/workloads/wasm/qsort.wasm")
	if err != nil {
		t.Fatal(err)
	}
	enc := AppendCodes(nil, translateBinary(t, b))
	for n := 0; n < len(enc); n++ {
		if _, err := DecodeCodes(enc[:n], false); err == nil {
			t.Fatalf("truncated to %d of %d bytes: no error", n, len(enc))
		}
	}
	for i := range enc {
		bad := append([]byte(nil), enc...)
		bad[i] = 0xff
		DecodeCodes(bad, true) // must not panic
	}
	if _, err := DecodeCodes(append(enc, 0), false); err == nil {
		t.Error("trailing byte: no error")
	}
}

// TestDecodeInstrs: the in-place, copying and field-by-field (big-endian
// hosts) decoders agree, on aligned and misaligned input.
func TestDecodeInstrs(t *testing.T) {
	b, err := os.ReadFile("../bench/workloads/wasm/sha256.wasm")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range translateBinary(t, b) {
		enc := appendInstrs(make([]byte, 0, 8+len(c.instrs)*instrBytes), c.instrs)
		shifted := append(make([]byte, 1, 1+len(enc)), enc...)[1:]
		n := len(c.instrs)
		for name, got := range map[string][]instr{
			"in place":   decodeInstrs(&reader{}, enc, n),
			"copied":     decodeInstrs(&reader{noAlias: true}, enc, n),
			"misaligned": decodeInstrs(&reader{}, shifted, n),
			"portable":   decodeInstrsPortable(&reader{}, enc, n),
		} {
			if !reflect.DeepEqual(got, c.instrs) {
				t.Fatalf("%s: decoded instructions differ from the translated ones", name)
			}
		}
	}
}
