package kiln

import (
	"os"
	"strings"
	"testing"
)

func TestBuildID(t *testing.T) {
	id := buildID()
	if !strings.Contains(id, " exe:") && !strings.Contains(id, " vcs:") && !strings.Contains(id, " mod:") {
		t.Errorf("buildID() = %q", id)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	if got := goBuildID(exe); got == "" || strings.ContainsAny(got, "\x00") {
		t.Errorf("goBuildID(test binary) = %q, want the linker's build ID", got)
	}
	if got := goBuildID("/nonexistent"); got != "" {
		t.Errorf("goBuildID(missing file) = %q", got)
	}
}
