package amd64

// Reset empties the assembler for new code for the same target, keeping
// the memory of its buffers: a compiler assembling many functions one
// after the other reuses one assembler instead of growing a new one each
// time. Code returned by an earlier Finish must be copied first.
func (a *Assembler) Reset() {
	a.buf = a.buf[:0]
	a.labels.Reset()
	a.fixups = a.fixups[:0]
	a.used = 0
	a.err = nil
	a.done = false
}
