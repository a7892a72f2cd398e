package difftest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
)

func TestParseWabt(t *testing.T) {
	out := `a() => i32:4294967291
b() => i64:18446744073709551609, i32:7
c() => error: integer divide by zero
d() => v128 i32x4:0x00000001 0x00000002 0x00000003 0xffffffff
e() => error: out of bounds memory access: access at 70000+4 >= max value 65536
f() =>
g() => error: undefined table index
`
	got, err := ParseWabt(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []Outcome{
		{Export: "a", Values: []string{"i32:4294967291"}},
		{Export: "b", Values: []string{"i64:18446744073709551609", "i32:7"}},
		{Export: "c", Trap: trapDivZero},
		{Export: "d", Values: []string{"v128 i32x4:0x00000001 0x00000002 0x00000003 0xffffffff"}},
		{Export: "e", Trap: trapMemory},
		{Export: "f"},
		{Export: "g", Trap: trapUndefined},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseWabt (-want +got):\n%s", diff)
	}
	if _, err := ParseWabt("h() => error: something new\n"); err == nil {
		t.Error("unknown wasm-interp error accepted")
	}
}

func TestFormatValueMatchesWabt(t *testing.T) {
	for _, c := range []struct {
		v    kiln.Value
		want string
	}{
		{kiln.ValueI32(-5), "i32:4294967291"},
		{kiln.ValueI64(-7), "i64:18446744073709551609"},
		{kiln.ValueV128(0x0000000200000001, 0xffffffff00000003), "v128 i32x4:0x00000001 0x00000002 0x00000003 0xffffffff"},
		{kiln.ValueNullRef(wasm.FuncRef), "funcref:null"},
	} {
		if got := FormatValue(c.v); got != c.want {
			t.Errorf("FormatValue(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestCompareOutcomes(t *testing.T) {
	want := []Outcome{{Export: "f0", Values: []string{"i32:1"}}, {Export: "s0", Trap: trapMemory}}
	for _, c := range []struct {
		name     string
		got      []Outcome
		disagree bool
	}{
		{"same", []Outcome{{Export: "f0", Values: []string{"i32:1"}}, {Export: "s0", Trap: trapMemory}}, false},
		{"value", []Outcome{{Export: "f0", Values: []string{"i32:2"}}, {Export: "s0", Trap: trapMemory}}, true},
		{"trap kind", []Outcome{{Export: "f0", Values: []string{"i32:1"}}, {Export: "s0", Trap: trapTable}}, true},
		{"missing", []Outcome{{Export: "f0", Values: []string{"i32:1"}}}, true},
		{"fuel", []Outcome{{Export: "f0", Inconclusive: "fuel exhausted"}, {Export: "s0"}}, false},
		{"stack", []Outcome{{Export: "f0", Trap: trapStack}, {Export: "s0"}}, false},
	} {
		diff, _, _ := compareOutcomes(c.got, want)
		if (diff != "") != c.disagree {
			t.Errorf("%s: compareOutcomes = %q, want disagreement %v", c.name, diff, c.disagree)
		}
	}
}
