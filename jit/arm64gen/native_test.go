//go:build linux && arm64

package arm64gen

import (
	"testing"

	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/internal/gentest"
	"github.com/kilnrt/kiln/jit/ir"
)

// These run the machine code: on arm64 hosts, and under qemu-aarch64 in
// CI (.ci/run).

// arm64Backend is this package for jit/internal/gentest's harness.
type arm64Backend arm64.Features

func (b arm64Backend) Check(f *ir.Func) error { return Check(f) }

func (b arm64Backend) Compile(funcs []*ir.Func) (*gentest.Compiled, error) {
	m, err := Compile(funcs, arm64.Features(b))
	if err != nil {
		return nil, err
	}
	return &gentest.Compiled{Code: m.Code, Entries: m.Entries, Resume: m.Resume}, nil
}

func (b arm64Backend) String() string { return arm64.Features(b).String() }

// backends are the baseline and the host (which may have LSE and more,
// unused by the lowering so far but part of the target).
func backends() []gentest.Backend {
	return []gentest.Backend{arm64Backend(Required), arm64Backend(arm64.Detect())}
}

func TestNumericOpsAgainstIR(t *testing.T) { gentest.NumericOps(t, backends()) }

func TestSpecNative(t *testing.T) { gentest.SpecNative(t, arm64Backend(arm64.Detect())) }

func TestRandomModulesNative(t *testing.T) {
	n := 150
	if testing.Short() {
		n = 40
	}
	gentest.RandomModules(t, backends(), n)
}
