//go:build !linux

package vfs

import "testing"

func hostCases() []fsCase { return nil }

func TestHostFSUnsupported(t *testing.T) {
	if _, err := NewHostFS(t.TempDir()); err == nil {
		t.Fatal("NewHostFS succeeded without confinement support")
	}
}
