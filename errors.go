package kiln

import (
	"errors"
	"fmt"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/store"
)

// Trap is a WebAssembly trap with its backtrace (innermost frame first).
type Trap = store.Trap

// BacktraceFrames is how many frames kiln run and a Trap's %+v format
// print; the rest are summarised as "... N more frames" (Trap.Frames
// holds up to MaxTrapFrames).
const BacktraceFrames = store.BacktraceFrames

// MaxTrapFrames bounds Trap.Frames: the innermost frames of a deeper
// backtrace, Trap.OmittedFrames counting the others.
const MaxTrapFrames = store.MaxTrapFrames

// TrapCode says why execution trapped.
type TrapCode = store.TrapCode

// Frame is one function activation of a trap's backtrace.
type Frame = store.Frame

// SourcePos is a frame's position in the program's source (Frame.Source),
// known when the module carries DWARF line information (C compiled with
// -g, for example).
type SourcePos = store.SourcePos

// Trap codes.
const (
	TrapUnreachable                = store.TrapUnreachable
	TrapIntegerDivideByZero        = store.TrapIntegerDivideByZero
	TrapIntegerOverflow            = store.TrapIntegerOverflow
	TrapInvalidConversionToInteger = store.TrapInvalidConversionToInteger
	TrapOutOfBoundsMemoryAccess    = store.TrapOutOfBoundsMemoryAccess
	TrapOutOfBoundsTableAccess     = store.TrapOutOfBoundsTableAccess
	TrapIndirectCallTypeMismatch   = store.TrapIndirectCallTypeMismatch
	TrapUndefinedElement           = store.TrapUndefinedElement
	TrapUninitializedElement       = store.TrapUninitializedElement
	TrapCallStackExhausted         = store.TrapCallStackExhausted
	TrapHostPanic                  = store.TrapHostPanic
	TrapInternalError              = store.TrapInternalError
	TrapNullReference              = store.TrapNullReference
	TrapNullFunctionReference      = store.TrapNullFunctionReference
	TrapUnalignedAtomic            = store.TrapUnalignedAtomic
	TrapExpectedSharedMemory       = store.TrapExpectedSharedMemory
	TrapNullStructureReference     = store.TrapNullStructureReference
	TrapNullArrayReference         = store.TrapNullArrayReference
	TrapNullI31Reference           = store.TrapNullI31Reference
	TrapOutOfBoundsArrayAccess     = store.TrapOutOfBoundsArrayAccess
	TrapCastFailure                = store.TrapCastFailure
	TrapUncaughtException          = store.TrapUncaughtException
	TrapNullExceptionReference     = store.TrapNullExceptionReference
	TrapHeapExhausted              = store.TrapHeapExhausted
)

var (
	// ErrFuelExhausted is returned by a call that used up its fuel.
	ErrFuelExhausted = engine.ErrFuelExhausted
	// ErrLink classifies instantiation failures caused by imports.
	ErrLink = errors.New("link error")
	// ErrClosed is returned when calling into a closed instance.
	ErrClosed = errors.New("instance closed")
)

// LinkError reports an import that could not be resolved. Msg is the
// specification's wording: "unknown import" or "incompatible import type".
type LinkError struct {
	Module, Name string
	Msg          string
	// Detail explains an incompatibility, or is empty.
	Detail string
}

func (e *LinkError) Error() string {
	s := fmt.Sprintf("link error: %s %q.%q", e.Msg, e.Module, e.Name)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Is makes errors.Is(err, ErrLink) hold.
func (e *LinkError) Is(target error) bool { return target == ErrLink }
