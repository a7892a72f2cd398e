package rt

// The machine stack's frames are walked by Go (jit/jitengine) on a trap
// or a profiler sample, from the innermost exit up to the trampoline,
// with the return-address metadata of jit/codegen (codegen.Site): these
// give the two ends of the walk.

// ResumeSP is the machine SP of the last exit: the word there is the
// return address of the exit's call (a site of the exiting code).
func (c *Ctx) ResumeSP() uintptr { return c.resumeSP }

// EntrySP is the address of the return address into the trampoline:
// the walk ends when a frame's return address is there.
func (c *Ctx) EntrySP() uintptr { return c.entrySP }
