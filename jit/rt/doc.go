// Package rt is the JIT's runtime contract with machine code: W^X code
// memory, machine stacks with their execution context, and the assembly
// trampoline that enters machine code and gets it back.
//
// The contract (amd64; arm64's differences follow it):
//   - Machine code runs on its own Stack (an mmap'd region with a guard
//     page, never the goroutine's stack). Stack.Call writes nothing but
//     the registers: the caller fills Slots(n), the argument/result area
//     at the top of the stack; the code is entered with [RSP+8+8i] = slot
//     i and leaves its results in the same slots.
//   - R15 holds the *Ctx and R14 Ctx.MemBase for the whole run (enter
//     loads both); every other register may be clobbered, and enter
//     poisons the ones machine code allocates, so a value not saved
//     across an exit is lost every time. Ctx lives in the
//     stack's mapping, outside the Go heap; memory bases are mmap
//     reservations (store/region_unix.go), so machine code never holds or
//     stores a Go pointer. Offsets are the Ctx* constants, checked by the
//     tests.
//   - Go walks a machine stack (trap backtraces) from Ctx.ResumeSP, the
//     last exit's return address, to Ctx.EntrySP, the trampoline's, with
//     the return-address metadata of the back ends (Site; Stack.Word reads it).
//   - Machine code never calls Go. It exits: it stores an ExitCode in
//     Ctx.Exit (and Ctx.Payload, Ctx.Args), then calls the module's exit
//     stub, which saves RSP in Ctx.resumeSP and returns to the trampoline
//     through the address at Ctx.entrySP. Go serves the exit and calls
//     Stack.Resume with the module's resume stub, which reloads RSP from
//     Ctx.resumeSP and returns to the instruction after the exit. Traps
//     (ExitTrap, Payload = TrapCode) are not resumed.
//   - References (funcref, externref, and any other reference type
//     machine code carries) are 64-bit handles: 0 is null, any other
//     value indexes a table of Go values (any) that the executor owns,
//     where the garbage collector sees them (jit/jitengine's refTable).
//     Go turns references into handles where they enter machine code
//     (arguments of the entry, results of calls out, globals, table.get,
//     ref.func) and back where they leave it; handles pass unchanged
//     between compiled functions. They are interned (one handle per
//     reference) and live until the outermost call returns.
//   - call_indirect reads the instance's call index without exiting:
//     Ctx.Tables is the address of its header (0: none, always exit),
//     laid out as the Index* and View* constants say (index.go; built and
//     kept by store.CallIndex). Machine code loads the table's view
//     address from the header, compares the element index (zero-extended)
//     with the view's length word, loads the element's word, compares
//     its low 32 bits with the expected type ID (the header's type-ID
//     array at the call's type index), and calls entry word (word>>32)
//     when it is not 0. Any other outcome (out of bounds, null, another
//     instance's or a host function, code not compiled, a type that
//     differs, which may still be a subtype) takes ExitCallIndirect,
//     which stays the only place traps come from. The store writes every
//     word atomically, publishes a moved view's address only once it is
//     complete and a grown view's length only after its new elements, and
//     keeps arrays it moved away from allocated while the table lives:
//     so the loads, in the order above, need no fence on amd64 (loads are
//     not reordered with loads); an ISA with a weaker order must make the
//     view address and length loads acquire loads (or carry an address
//     dependency to the loads after them). The index's memory is Go heap
//     with no pointers in it, kept alive by the instance.
//   - Bulk memory, table and reference instructions exit (ExitMemoryFill
//     to ExitRefFunc): Payload holds the instruction's immediates, Aux
//     the exiting function's index (for a trap's frame), Args the
//     address of its operand slots, and a result comes back in the first
//     slot. Go charges the bulk fuel and checks the bounds before
//     writing anything, as the interpreter does. memory.fill and
//     memory.copy run inline and exit only when Ctx.Budget cannot pay
//     their bulk fuel.
//   - Every function prologue compares its lowest stack address with
//     Ctx.StackLimit (at most StackReserve above the guard page); below
//     it, the prologue exits with ExitStack (Payload: the frame's
//     bytes), for Go to lower the limit if it will (Stack.SetLimit: a
//     stack charged to a memory limiter grows in steps), then checks
//     again and traps with TrapCallStackExhausted; the budget (Ctx.Budget, Ctx.Interrupt) is
//     checked at function entry and loop back-edges.
//   - Go cannot preempt machine code (it is not at a safe point), so it
//     must reach a budget check or an exit regularly; signals land on the
//     signal stack as for any non-Go code.
//   - Code memory is never writable and executable at once (W^X): Map
//     maps pages read-write, copies the code, then makes them read-execute;
//     a linker writing in place takes the read-write pages from
//     NewWritable and makes them read-execute with Seal. Code is
//     immutable afterwards; Close unmaps it.
//   - CallLeaf (amd64) is for short leaf code that follows the System V
//     convention for two integer arguments, keeps RSP, RBP, R14 and X15,
//     and uses no stack beyond its return address, on the goroutine stack.
//   - Map and Seal make written code visible to instruction fetch before
//     returning (syncInstructionCache): nothing to do on amd64, cache
//     maintenance on arm64; other ISAs refuse until they have theirs.
//
// arm64 (linux; other Unix systems compile, untested). The same Ctx,
// offsets, exit codes and stubs' protocol, with AArch64's registers:
//   - X26 holds the *Ctx and X25 Ctx.MemBase for the whole run
//     (Arm64RegCtx, Arm64RegMemBase). Machine code never writes X18 (the
//     platform register, reserved by Go everywhere) or X28 (g: Go's signal
//     handler reads it, and a signal may land at any instruction), keeps
//     SP 16-byte aligned and leaves FPCR as Go set it (round to nearest,
//     no flush to zero). Every other register may be clobbered: X0-X17,
//     X19-X24, X27, X29, X30, V0-V31, flags, FPSR. enter poisons all of
//     them but X17 (the entry address it branches to); it restores SP, X29
//     and X28 from the Ctx, which is all a Go assembly function owes its
//     caller (Go's arm64 ABI has no other callee-saved register).
//   - Code is entered with BLR (X30 = the trampoline's return address),
//     X29 = 0 (the end of the frame-pointer chain) and SP = Ctx.entrySP,
//     where enter wrote its frame record {X29 0, X30 return address}; slot
//     i is at [SP+16+8i] (amd64: the return address at [RSP], slot i at
//     [RSP+8+8i]).
//   - The exit stub (called with BL) pushes the exiting function's record
//     {X29, X30}, saves SP in Ctx.resumeSP, and returns to the trampoline
//     with SP = Ctx.entrySP and X30 loaded from [SP+8]. The resume stub
//     reloads SP from Ctx.resumeSP, pops the record and returns to the
//     instruction after the exit's BL.
//   - AArch64 does not keep instruction fetch coherent with data stores:
//     Map cleans the data cache to the point of unification (DC CVAU per
//     CTR_EL0 D-line), DSB ISH, invalidates the instruction cache (IC IVAU
//     per I-line), DSB ISH, ISB, skipping what CTR_EL0's IDC/DIC bits make
//     unnecessary, and enter executes an ISB so a core that did not map
//     the code drops anything it fetched before. Emulators (qemu-user, as
//     in CI) keep code coherent by themselves: tests there show the
//     sequence runs, not that it suffices; that takes real hardware.
//   - CallLeaf passes X0 and X1 and returns X0; the code may clobber all
//     but SP, X18, X28 and X29 and must not use the stack.
//   - jit/arm64gen emits the code: a function keeps its return record
//     {X29, X30} in the 16 bytes its caller leaves at the bottom of its
//     frame (where the trampoline left its own), so FrameRecord is 16.
package rt
