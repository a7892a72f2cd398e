//go:build unix

package jitengine

import (
	"fmt"

	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/arm64gen"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// The arm64 back end (jit/arm64gen); see backend_amd64.go.

type target = arm64.Features

type genModule = arm64gen.Module

const backendName = "arm64"

func hostTarget() (target, error) {
	host := arm64.Detect()
	if !host.Has(arm64gen.Required) {
		return 0, fmt.Errorf("jit: host CPU (%v) lacks %v", host, arm64gen.Required)
	}
	return host, nil
}

func checkFunc(f *ir.Func) error { return arm64gen.Check(f) }

// serial (codegen.Options.Serial) is not an option of arm64gen yet.
// (arm64gen links into its own buffer: mem is not used.)
func compileCode(funcs []*ir.Func, t target, links uintptr, countDepth, serial bool, mem *codeMem) (*genModule, error) {
	return arm64gen.CompileWith(funcs, t, links, arm64gen.Options{CountDepth: countDepth})
}

func newStream(compiled []bool, t target, countDepth, ctxLinks bool, mem *codeMem) (*arm64gen.Stream, error) {
	return arm64gen.NewStream(compiled, t, arm64gen.Options{CountDepth: countDepth})
}

// stackExits: arm64gen's prologues exit with rt.ExitStack below
// Ctx.StackLimit, so machine stacks can be charged as they grow
// (stackcharge.go).
const stackExits = true

// baselineVisitor: arm64gen has no baseline compiler yet (hasBaseline).
func baselineVisitor(s *arm64gen.Stream, idx int) baseline { panic("jit: no arm64 baseline") }

func enableBaseline(s *arm64gen.Stream, outSlots int) {}

// genLoops: loop entries are the baseline's, which arm64gen lacks.
func genLoops(cm *genModule) []rt.LoopEntry { return nil }

// hasBaseline: arm64gen has no baseline compiler; Baseline is ignored.
const hasBaseline = false
