package rt

import (
	"testing"

	"github.com/kilnrt/kiln/internal/engine"
)

func TestFuelBytesShift(t *testing.T) {
	if 1<<FuelBytesShift != engine.FuelBytesPerUnit {
		t.Errorf("FuelBytesShift %d, engine.FuelBytesPerUnit %d", FuelBytesShift, engine.FuelBytesPerUnit)
	}
}
