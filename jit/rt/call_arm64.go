//go:build unix

package rt

// CallLeaf calls the machine code at fn with a0 in X0 and a1 in X1 and
// returns X0. See the package documentation for what such code may do;
// fn must point into a live Code.
func CallLeaf(fn uintptr, a0, a1 uint64) uint64

// enter saves Go's SP, frame pointer (X29) and g register (X28) in ctx,
// loads X26 = ctx and X25 = ctx.MemBase, writes the trampoline's frame
// record {0, return address} at sp-16 (ctx.entrySP), switches SP to it,
// zeroes X29, poisons the registers machine code allocates and calls fn
// with BLR (X17 = fn). When fn returns (normally, or through the exit
// stub, which loads the return address from ctx.entrySP+8) it restores
// Go's registers and returns.
//
//go:noescape
func enter(fn uintptr, ctx *Ctx, sp uintptr)
