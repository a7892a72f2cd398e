//go:build unix

package jitengine

import (
	"fmt"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/codegen"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// The amd64 back end (jit/codegen): everything of the engine that names
// an instruction set is here and in backend_arm64.go.

// target is the CPU features code is compiled for.
type target = amd64.Features

// genModule is a module's compiled code.
type genModule = codegen.Module

// backendName names the back end in cache keys (CacheKey).
const backendName = "amd64"

// hostTarget is the host's features, or an error when the host is below
// the back end's floor.
func hostTarget() (target, error) {
	host := amd64.Detect()
	if !host.Has(codegen.Required) {
		return 0, fmt.Errorf("jit: host CPU (%v) lacks %v", host, codegen.Required)
	}
	return host, nil
}

// checkFunc reports whether the back end lowers f.
func checkFunc(f *ir.Func) error { return codegen.Check(f) }

// compileCode compiles funcs (see codegen.CompileWith).
// The code is linked into mem's mapping.
func compileCode(funcs []*ir.Func, t target, links uintptr, countDepth, serial bool, mem *codeMem) (*genModule, error) {
	return codegen.CompileWith(funcs, t, links, codegen.Options{CountDepth: countDepth, Serial: serial, Mem: mem.alloc})
}

// newStream starts compiling a module function by function (see
// codegen.NewStream).
// Link links into mem's mapping.
func newStream(compiled []bool, t target, countDepth, ctxLinks bool, mem *codeMem) (*codegen.Stream, error) {
	return codegen.NewStream(compiled, t, codegen.Options{CountDepth: countDepth, Mem: mem.alloc, CtxLinks: ctxLinks})
}

// stackExits: codegen's prologues exit with rt.ExitStack below
// Ctx.StackLimit, so machine stacks can be charged as they grow
// (stackcharge.go).
const stackExits = true

// baselineVisitor returns the visitor compiling function idx of s with
// the one-pass baseline (codegen.Baseline), after EnableBaseline.
func baselineVisitor(s *codegen.Stream, idx int) baseline { return s.Baseline(idx) }

// genLoops is cm's loop entries (codegen.Module.Loops).
func genLoops(cm *genModule) []rt.LoopEntry { return cm.Loops }

// enableBaseline prepares s for baselineVisitor.
func enableBaseline(s *codegen.Stream, outSlots int) { s.EnableBaseline(outSlots) }

// hasBaseline: codegen has a baseline compiler.
const hasBaseline = true
