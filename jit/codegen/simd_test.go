//go:build linux && amd64

package codegen

import (
	"testing"

	"github.com/kilnrt/kiln/jit/internal/gentest"
)

// TestSIMDOpsAgainstIR runs every SIMD lowering on edge-case and random
// operands, for the x86-64-v2 floor and the host, against ir.Run (the
// interpreter's semantics, internal/numeric); 16 v128 values kept live
// across it in a variant put operands and results in slots too.
func TestSIMDOpsAgainstIR(t *testing.T) { gentest.SIMDOps(t, backends(t), simdLowered, 16) }

// TestShuffleForms: i8x16.shuffle's special forms (PSHUFD, one PSHUFB,
// the same operand twice) against ir.Run.
func TestShuffleForms(t *testing.T) { gentest.ShuffleForms(t, backends(t), 16) }
