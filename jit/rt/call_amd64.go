package rt

// CallLeaf calls the machine code at fn with a0 in RDI and a1 in RSI and
// returns RAX. See the package documentation for what such code may do;
// fn must point into a live Code.
func CallLeaf(fn uintptr, a0, a1 uint64) uint64

// enter saves Go's SP, BP and g register in ctx, loads R15 = ctx and
// R14 = ctx.MemBase, switches SP to sp and calls fn; when fn returns
// (normally, or through the exit stub that restores the SP recorded in
// ctx.entrySP) it restores Go's registers and returns.
//
//go:noescape
func enter(fn uintptr, ctx *Ctx, sp uintptr)
