package wasix_test

import (
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wasi"
)

// TestNativeLongjmp: without asyncify, stack_restore returns to the
// checkpoint's frame from four frames down with the value and the stack
// pointer of the checkpoint; a longjmp to a checkpoint whose call has
// returned ends the run with an error.
func TestNativeLongjmp(t *testing.T) {
	g := loadWAT(t, "sjlj", wasi.Config{})
	if got := g.call("run")[0]; got != 4096*1000+9 {
		t.Errorf("run: %d, want %d (stack pointer 4096, value 9)", got, 4096*1000+9)
	}
	_, err := g.callErr("stale")
	if err == nil || !strings.Contains(err.Error(), "longjmp") {
		t.Errorf("longjmp to a returned checkpoint: %v, want the run ended", err)
	}
}
