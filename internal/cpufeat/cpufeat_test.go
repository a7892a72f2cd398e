package cpufeat

import (
	"testing"

	"github.com/klauspost/cpuid/v2"
)

func TestTable(t *testing.T) {
	tab := Table{{1, "a", cpuid.SSE2}, {4, "c", cpuid.ATOMICS}}
	if got := tab.All(); got != 5 {
		t.Errorf("All = %#x", got)
	}
	for _, c := range []struct {
		set  uint32
		want string
	}{{0, "none"}, {1, "a"}, {5, "a,c"}, {7, "a,c,unknown(0x2)"}, {8, "unknown(0x8)"}} {
		if got := tab.Format(c.set, "none"); got != c.want {
			t.Errorf("Format(%#x) = %q, want %q", c.set, got, c.want)
		}
	}
	if d := tab.Detect(); d&^tab.All() != 0 {
		t.Errorf("Detect = %#x", d)
	}
}
