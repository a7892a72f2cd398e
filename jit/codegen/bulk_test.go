//go:build linux && amd64

package codegen

import (
	"testing"

	"github.com/kilnrt/kiln/jit/internal/gentest"
)

// The inline memory.fill and memory.copy agree with ir.Run (see
// gentest.MemoryBulk).
func TestMemoryBulkAgainstIR(t *testing.T) { gentest.MemoryBulk(t, backends(t)) }
