//go:build (amd64 || arm64) && unix

package jitengine

import "github.com/kilnrt/kiln/jit/rt"

// codeMem is the mapping a module's code is linked into
// (codegen.Options.Mem): read-write while the linker writes it,
// read-execute once load seals it, so the code is neither built in a
// Go buffer nor copied. A back end that links into its own buffer
// (arm64gen) never asks for it, and load maps its code as before.
type codeMem struct{ code *rt.Code }

// alloc maps size bytes read-write for the linker.
func (c *codeMem) alloc(size int) ([]byte, error) {
	code, err := rt.NewWritable(size)
	if err != nil {
		return nil, err
	}
	c.code = code
	return code.Writable(), nil
}

// discard unmaps the mapping of a link that failed.
func (c *codeMem) discard() {
	if c.code != nil {
		_ = c.code.Close()
		c.code = nil
	}
}

// mapped is cm's code in read-execute memory: the mapping it was linked
// into, sealed, or else a new mapping of a copy.
func (c *codeMem) mapped(cm *genModule) (*rt.Code, error) {
	if c.code == nil {
		return rt.Map(cm.Code)
	}
	code := c.code
	c.code = nil
	if err := code.Seal(); err != nil {
		return nil, err
	}
	return code, nil
}
