package codegen

import (
	"fmt"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
)

// Stream compiles a module's functions one at a time, on any goroutines,
// in any order, then links them: the JIT compiles each function as soon
// as it is built and optimised, and lets its IR go at once. Calls
// between the functions marked compiled are direct, so Link fails when
// one of them was called that never got its code (compile such a module
// with Compile, which knows the functions before it starts).
type Stream struct {
	m   *module
	out []funcCode
}

// NewStream starts compiling functions indexed like compiled (function
// indices), of which those marked will be compiled (and called
// directly), for target.
func NewStream(compiled []bool, target amd64.Features, opts Options) (*Stream, error) {
	return newStream(compiled, target, 0, opts)
}

func newStream(compiled []bool, target amd64.Features, links uintptr, opts Options) (*Stream, error) {
	if !target.Has(Required) {
		return nil, fmt.Errorf("codegen: target %v lacks the required %v", target, Required)
	}
	m := &module{target: target, compiled: compiled, links: links, opts: opts}
	return &Stream{m: m, out: make([]funcCode, len(compiled))}, nil
}

// Compile lowers f, function idx, which must pass Check. Calls for
// different indices may run concurrently; f is not used afterwards.
func (s *Stream) Compile(idx int, f *ir.Func) error {
	s.out[idx] = s.m.function(uint32(idx), f)
	return s.out[idx].err
}

// Link lays the compiled functions out in index order (the result does
// not depend on the order they were compiled in).
func (s *Stream) Link() (*Module, error) {
	for i := range s.out {
		if s.out[i].err != nil {
			return nil, s.out[i].err
		}
	}
	return link(s.m.target, s.out, s.m.opts)
}
