//go:build linux && (amd64 || arm64)

package rt

import (
	"bufio"
	"fmt"
	"os"
	"testing"
)

// The mapping holding code is read-execute, never writable.
func TestMapIsReadExecute(t *testing.T) {
	c, err := Map([]byte{0xC3, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if p := perms(t, c.Addr()); p != "r-x" {
		t.Errorf("code mapping is %s, want r-x", p)
	}
}

// Code linked in place is read-write (not executable) until Seal, then
// read-execute (never writable).
func TestWritableThenSealed(t *testing.T) {
	c, err := NewWritable(3)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if p := perms(t, c.Addr()); p != "rw-" {
		t.Errorf("mapping being written is %s, want rw-", p)
	}
	copy(c.Writable(), []byte{0xC3, 0x90, 0x90})
	if err := c.Seal(); err != nil {
		t.Fatal(err)
	}
	if p := perms(t, c.Addr()); p != "r-x" {
		t.Errorf("sealed mapping is %s, want r-x", p)
	}
	if string(c.Bytes()) != "\xc3\x90\x90" {
		t.Errorf("code %x, want c39090", c.Bytes())
	}
}

// perms are the first three permission letters of the mapping holding
// addr, from /proc/self/maps.
func perms(t *testing.T, addr uintptr) string {
	t.Helper()
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var lo, hi uint64
		var p string
		if _, err := fmt.Sscanf(sc.Text(), "%x-%x %s", &lo, &hi, &p); err != nil {
			continue
		}
		if lo <= uint64(addr) && uint64(addr) < hi {
			return p[:3]
		}
	}
	t.Fatalf("code at %#x not found in /proc/self/maps", addr)
	return ""
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
