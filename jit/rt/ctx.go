package rt

// Ctx is the execution context machine code receives: the only memory it
// reads besides its own stack, the guest's linear memory and globals. It
// lives in the same mapping as the machine stack (outside the Go heap), so
// machine code holds no Go pointer, and Go reads it after every exit.
//
// Machine code keeps a pointer to the Ctx in a register and the
// linear-memory base in another for the whole run (amd64: R15 and R14;
// arm64: X26 and X25); the field offsets it uses are the Ctx* constants
// below, which the tests check against the struct.
type Ctx struct {
	MemBase    uintptr // linear memory 0 (an mmap reservation, never moved)
	MemLen     uint64  // current length of linear memory in bytes
	Globals    uintptr // the globals, GlobalWords 8-byte words each (globals.go)
	Budget     uint64  // fuel units left; machine code exits with ExitBudget at 0
	Interrupt  uint32  // non-zero asks machine code to exit with ExitInterrupt
	Exit       uint32  // why machine code returned (ExitCode)
	Payload    uint64  // the exit's argument: trap code, callee index, pages
	StackLimit uintptr // lowest address a frame may reach (stack bottom + reserve)
	Tables     uintptr // the instance's call index (store.CallIndex; index.go), or 0
	Args       uintptr // ExitCall: address of the callee's argument/result slots

	// Saved by the trampoline: Go's SP, frame pointer (BP, X29) and g
	// register while machine code runs, the machine SP holding the
	// trampoline's return address (arm64: its frame record), and the
	// machine SP to resume at after an exit.
	goSP, goBP, goG uintptr
	entrySP         uintptr
	resumeSP        uintptr

	// Aux is a second exit argument: ExitCallIndirect's table index.
	Aux uint64

	// DepthLeft is how many more wasm activations code compiled with
	// codegen.Options.CountDepth may start (a call depth limit).
	DepthLeft uint64

	// Links is the address of the running module's link table (word i:
	// function i's entry, 0 when it has none) for code compiled with
	// codegen.Options.CtxLinks, which calls every function through it
	// (tiering replaces entries there).
	Links uintptr
}

// Field offsets of Ctx for machine code (checked by TestCtxOffsets).
const (
	CtxMemBase    = 0
	CtxMemLen     = 8
	CtxGlobals    = 16
	CtxBudget     = 24
	CtxInterrupt  = 32
	CtxExit       = 36
	CtxPayload    = 40
	CtxStackLimit = 48
	CtxTables     = 56
	CtxArgs       = 64
	CtxEntrySP    = 96
	CtxResumeSP   = 104
	CtxAux        = 112
	CtxDepthLeft  = 120
	CtxLinks      = 128
)

// ExitCode says why machine code returned to Go.
type ExitCode uint32

// Exit codes. Only ExitReturn ends a call; ExitTrap ends it with a trap
// (Payload is the TrapCode, and the index of the function that trapped
// shifted left by 32); the others ask Go to do something and then
// Resume: refuel (ExitBudget), serve an interruption (ExitInterrupt), call
// function Payload with its arguments at Args (ExitCall; results go to the
// same slots; Go makes the call and sets Payload to 0, or sets it to the
// entry of compiled code of the same instance, as for ExitCallIndirect,
// for machine code to call), or grow memory by Payload pages (ExitGrow; Go updates
// MemBase and MemLen and leaves the old size in pages, or -1 as 32 bits,
// in Payload), or call element uint32(Payload) of table Aux, checking it
// has type index Payload>>32 (ExitCallIndirect; arguments and results at
// Args as for ExitCall; Go either makes the call and sets Payload to 0
// or, for compiled code of the same instance, sets Payload to its entry
// for machine code to call).
const (
	ExitReturn ExitCode = iota
	ExitTrap
	ExitBudget
	ExitInterrupt
	ExitCall
	ExitGrow
	ExitCallIndirect

	// The bulk-memory, table and reference instructions Go executes:
	// Payload holds the instruction's immediates (Index |
	// Index2<<32), Aux the index of the exiting function (for a trap's
	// frame), Args the address of the operand slots; a result goes to
	// the first slot. References are handles (see the package doc).
	ExitMemoryFill
	ExitMemoryCopy
	ExitMemoryInit
	ExitDataDrop
	ExitTableGet
	ExitTableSet
	ExitTableSize
	ExitTableGrow
	ExitTableFill
	ExitTableCopy
	ExitTableInit
	ExitElemDrop
	ExitRefFunc

	// ExitStack: a function's frame (Payload bytes) does not fit above
	// StackLimit. Go may lower StackLimit (a machine stack charged to a
	// memory limiter grows in steps) before resuming; the prologue
	// checks again and traps "call stack exhausted" if it still does
	// not fit.
	ExitStack
)

var exitNames = [...]string{"return", "trap", "budget exhausted", "interrupt", "call", "memory.grow", "call_indirect",
	"memory.fill", "memory.copy", "memory.init", "data.drop", "table.get", "table.set", "table.size",
	"table.grow", "table.fill", "table.copy", "table.init", "elem.drop", "ref.func", "stack"}

func (c ExitCode) String() string {
	if int(c) < len(exitNames) {
		return exitNames[c]
	}
	return "ExitCode(?)"
}

// TrapCode is the Payload of ExitTrap.
type TrapCode uint32

// Trap codes machine code reports.
const (
	TrapUnreachable TrapCode = iota + 1
	TrapDivideByZero
	TrapIntegerOverflow
	TrapInvalidConversion
	TrapOutOfBounds
	TrapCallStackExhausted
)

// Messages are the WebAssembly test suite's wording.
var trapMessages = [...]string{
	TrapUnreachable:        "unreachable",
	TrapDivideByZero:       "integer divide by zero",
	TrapIntegerOverflow:    "integer overflow",
	TrapInvalidConversion:  "invalid conversion to integer",
	TrapOutOfBounds:        "out of bounds memory access",
	TrapCallStackExhausted: "call stack exhausted",
}

func (c TrapCode) String() string {
	if int(c) < len(trapMessages) && trapMessages[c] != "" {
		return trapMessages[c]
	}
	return "TrapCode(?)"
}
