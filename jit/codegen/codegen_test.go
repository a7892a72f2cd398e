//go:build linux && amd64

package codegen

import (
	"testing"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/internal/gentest"
)

// targets are the feature sets the differential tests compile for: the
// required floor (BSR/BSF paths) and the host.
func targets(t *testing.T) []amd64.Features {
	host := amd64.Detect()
	if !host.Has(Required) {
		t.Skipf("host %v is below the back end's floor %v", host, Required)
	}
	return []amd64.Features{Required, host}
}

// TestNumericOpsAgainstIR compares every numeric lowering with ir.Run
// (gentest.NumericOps).
func TestNumericOpsAgainstIR(t *testing.T) { gentest.NumericOps(t, backends(t)) }
