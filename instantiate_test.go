package kiln

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// sleb128 encodes x as a signed LEB128.
func sleb128(x int64) []byte {
	var out []byte
	for {
		b := byte(x & 0x7F)
		x >>= 7
		if (x == 0 && b&0x40 == 0) || (x == -1 && b&0x40 != 0) {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}

func TestSimpleConstMatchesReader(t *testing.T) {
	ce := &constEval{st: nil, features: wasm.Features2}
	vals := []int64{0, 1, -1, 63, 64, -64, -65, 8191, 8192, -8192, -8193, 1 << 20, 65536 * 17,
		math.MaxInt32, math.MinInt32, math.MaxUint32, math.MaxInt64, math.MinInt64, -1 << 40}
	for _, op := range []wasm.Opcode{wasm.OpI32Const, wasm.OpI64Const} {
		for _, x := range vals {
			if op == wasm.OpI32Const && (x > math.MaxInt32 || x < math.MinInt32) {
				continue
			}
			code := append(append([]byte{byte(op)}, sleb128(x)...), byte(wasm.OpEnd))
			fast, ok := simpleConst(code)
			if !ok {
				t.Fatalf("%v %d: not handled by simpleConst", op, x)
			}
			// The general path, with the fast path bypassed.
			ce.rd.Reset(code, 0, wasm.Features2)
			var in wasm.Instr
			if err := ce.rd.Next(&in); err != nil {
				t.Fatal(err)
			}
			want := in.Const
			if op == wasm.OpI32Const {
				want = uint64(uint32(want))
			}
			if fast.Lo != want {
				t.Errorf("%v %d: simpleConst %#x, reader %#x", op, x, fast.Lo, want)
			}
		}
	}
	for _, code := range [][]byte{
		{byte(wasm.OpF32Const), 0, 0, 0, 0, byte(wasm.OpEnd)},
		{byte(wasm.OpI32Const), 1, byte(wasm.OpI32Const), 2, byte(wasm.OpI32Add), byte(wasm.OpEnd)},
		{byte(wasm.OpGlobalGet), 0, byte(wasm.OpEnd)},
	} {
		if _, ok := simpleConst(code); ok {
			t.Errorf("simpleConst accepted % x", code)
		}
	}
}

// dataSegmentsWAT returns a module with n active data segments.
func dataSegmentsWAT(n int) string {
	var b strings.Builder
	b.WriteString("(module (memory 4) (global $g i32 (i32.const 100))\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "(data (i32.const %d) \"ab\")\n", i*3)
	}
	b.WriteString("(data (global.get $g) \"c\") (data (i32.add (global.get $g) (i32.const 7)) \"d\"))")
	return b.String()
}

func TestInstantiationAllocationsDoNotGrowWithSegments(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features3})
	ctx := context.Background()
	allocs := func(n int) float64 {
		cm := compile(t, rt, dataSegmentsWAT(n))
		inst, err := rt.Instantiate(ctx, cm, ModuleConfig{})
		if err != nil {
			t.Fatal(err)
		}
		mem := inst.st.Mems[0].Bytes()
		if mem[3*(n-1)] != 'a' || mem[100] != 'c' || mem[107] != 'd' {
			t.Fatalf("%d segments: data not applied", n)
		}
		inst.Close(ctx)
		return testing.AllocsPerRun(5, func() {
			inst, err := rt.Instantiate(ctx, cm, ModuleConfig{})
			if err != nil {
				t.Fatal(err)
			}
			inst.Close(ctx)
		})
	}
	few, many := allocs(10), allocs(5000)
	t.Logf("allocations per instantiation: %v with 10 data segments, %v with 5000", few, many)
	if many > few+2 {
		t.Fatalf("instantiation allocates %v times with 10 data segments, %v with 5000", few, many)
	}
}
