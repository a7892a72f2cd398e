//go:build linux && amd64

package codegen

import (
	"testing"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/internal/gentest"
	"github.com/kilnrt/kiln/jit/ir"
)

// amd64Backend is this package for jit/internal/gentest's harness,
// compiling for a feature set.
type amd64Backend amd64.Features

func (b amd64Backend) Check(f *ir.Func) error { return Check(f) }

func (b amd64Backend) Compile(funcs []*ir.Func) (*gentest.Compiled, error) {
	m, err := Compile(funcs, amd64.Features(b))
	if err != nil {
		return nil, err
	}
	return &gentest.Compiled{Code: m.Code, Entries: m.Entries, Resume: m.Resume}, nil
}

func (b amd64Backend) String() string { return amd64.Features(b).String() }

// compileNative compiles every function of funcs that passes Check.
func compileNative(t testing.TB, funcs []*ir.Func, nglobals int, mem *gentest.Memory, target amd64.Features) (*gentest.Native, int) {
	t.Helper()
	return gentest.Compile(t, amd64Backend(target), funcs, nglobals, mem)
}

// backends are the feature sets the differential tests compile for: the
// required floor (BSR/BSF paths) and the host.
func backends(t *testing.T) []gentest.Backend {
	var bs []gentest.Backend
	for _, target := range targets(t) {
		bs = append(bs, amd64Backend(target))
	}
	return bs
}
