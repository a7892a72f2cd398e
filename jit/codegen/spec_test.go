//go:build linux && amd64

package codegen

import (
	"testing"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/internal/gentest"
)

// TestSpecNative runs the 2.0 suite's assertions whose function this
// back end compiles natively (gentest.SpecNative).
func TestSpecNative(t *testing.T) {
	host := amd64.Detect()
	if !host.Has(Required) {
		t.Skipf("host %v below %v", host, Required)
	}
	gentest.SpecNative(t, amd64Backend(host))
}

// TestRandomModulesNative compares random modules run natively with
// ir.Run (gentest.RandomModules).
func TestRandomModulesNative(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 50
	}
	gentest.RandomModules(t, backends(t), n)
}
