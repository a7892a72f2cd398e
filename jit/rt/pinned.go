package rt

// Registers the arm64 trampoline (call_arm64.s) loads for machine code,
// which keeps them for the whole run: AArch64 X-register numbers, for a
// back end on any host.
const (
	Arm64RegCtx     = 26 // X26: the *Ctx
	Arm64RegMemBase = 25 // X25: Ctx.MemBase
)
