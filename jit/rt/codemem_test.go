//go:build linux && (amd64 || arm64)

package rt

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// The mapping holding code is read-execute, never writable.
func TestMapIsReadExecute(t *testing.T) {
	c, err := Map([]byte{0xC3, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	defer f.Close()
	addr := uint64(c.Addr())
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var lo, hi uint64
		var perms string
		if _, err := fmt.Sscanf(sc.Text(), "%x-%x %s", &lo, &hi, &perms); err != nil {
			continue
		}
		if lo <= addr && addr < hi {
			if perms[:3] != "r-x" {
				t.Errorf("code mapping %s is %s, want r-x", strings.Fields(sc.Text())[0], perms)
			}
			return
		}
	}
	t.Errorf("code at %#x not found in /proc/self/maps", addr)
}

func TestMapErrors(t *testing.T) {
	if _, err := Map(nil); err == nil {
		t.Error("Map(nil) succeeded")
	}
	c, err := Map([]byte{0xC3})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err == nil {
		t.Error("second Close succeeded")
	}
}
