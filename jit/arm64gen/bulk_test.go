//go:build linux && arm64

package arm64gen

import (
	"testing"

	"github.com/kilnrt/kiln/jit/internal/gentest"
)

// The inline memory.fill and memory.copy agree with ir.Run (see
// gentest.MemoryBulk).
func TestMemoryBulkAgainstIR(t *testing.T) { gentest.MemoryBulk(t, backends()) }
