//go:build linux && amd64

package codegen

import (
	"testing"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/internal/gentest"
)

func TestFuelBytesShift(t *testing.T) {
	if 1<<fuelBytesShift != engine.FuelBytesPerUnit {
		t.Errorf("fuelBytesShift %d, engine.FuelBytesPerUnit %d", fuelBytesShift, engine.FuelBytesPerUnit)
	}
}

// The inline memory.fill and memory.copy agree with ir.Run (see
// gentest.MemoryBulk).
func TestMemoryBulkAgainstIR(t *testing.T) { gentest.MemoryBulk(t, backends(t)) }
