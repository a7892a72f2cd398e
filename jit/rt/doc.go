// Package rt is the JIT's runtime contract with machine code: W^X code
// memory, machine stacks with their execution context, and the assembly
// trampoline that enters machine code and gets it back.
//
// The contract (amd64):
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
//   - Bulk memory, table and reference instructions exit (ExitMemoryFill
//     to ExitRefFunc): Payload holds the instruction's immediates, Aux
//     the exiting function's index (for a trap's frame), Args the
//     address of its operand slots, and a result comes back in the first
//     slot. Go charges the bulk fuel and checks the bounds before
//     writing anything, as the interpreter does. memory.fill and
//     memory.copy run inline and exit only when Ctx.Budget cannot pay
//     their bulk fuel.
//   - Every function prologue compares its lowest stack address with
//     Ctx.StackLimit (StackReserve above the guard page) and traps with
//     TrapCallStackExhausted; the budget (Ctx.Budget, Ctx.Interrupt) is
//     checked at function entry and loop back-edges.
//   - Go cannot preempt machine code (it is not at a safe point), so it
//     must reach a budget check or an exit regularly; signals land on the
//     signal stack as for any non-Go code.
//   - Code memory is never writable and executable at once (W^X): Map
//     maps pages read-write, copies the code, then makes them read-execute.
//     Code is immutable afterwards; Close unmaps it.
//   - CallLeaf (amd64) is for short leaf code that follows the System V
//     convention for two integer arguments, keeps RSP, RBP, R14 and X15,
//     and uses no stack beyond its return address, on the goroutine stack.
//   - On arm64 the instruction cache must be made coherent before new code
//     runs; that is not written yet, so Map's code is run only on amd64.
package rt
