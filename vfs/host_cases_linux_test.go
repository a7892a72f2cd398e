package vfs

import (
	"os"
	"path/filepath"
	"testing"
)

func hostCases() []fsCase {
	return []fsCase{
		{"host", func(t *testing.T) Dir { h, _ := hostFS(t, false); return openRoot(t, h) }},
		{"host-walk", func(t *testing.T) Dir { h, _ := hostFS(t, true); return openRoot(t, h) }},
	}
}

// hostFS returns a HostFS beneath a fresh temporary directory; walk forces
// the fallback resolver used on kernels without openat2.
func hostFS(t *testing.T, walk bool) (*HostFS, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "root")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	h, err := NewHostFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	h.noOpenat2.Store(walk)
	return h, dir
}
