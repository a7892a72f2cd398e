package engine

import (
	"context"
	"errors"
)

// Capturing the running execution: WASIX's fork and setjmp/longjmp
// (proc_fork, stack_checkpoint, stack_restore) need the state of the wasm
// call that is waiting for a host function, to clone it into another
// instance or to return to it again. An engine whose frames are its own
// data (the interpreter) offers it through an optional Executor
// capability; others leave the modules that import those functions to
// such an engine (see CapturingImport).

// Capturer is the optional capability of an Executor that can capture
// the Run waiting for a host function. The host function finds it with
// CapturerOf(ctx), ctx being the context the executor passed it.
type Capturer interface {
	// Capture returns the state of the Run waiting for the host function
	// (its frames, values and program counters), or ErrNotCapturable.
	Capture() (Continuation, error)
	// Checkpoint returns a point of the Run the host function's caller
	// can return to again (see Jump), or ErrNotCapturable.
	Checkpoint() (Checkpoint, error)
	// Resume runs k on this executor: the host call k was captured in
	// returns results (slot values), then k's frames run until the call
	// from the embedder that k's Run made returns; its results are left
	// in the bottom slots as Run leaves them. remap translates every
	// function and reference value of k (to the functions of the
	// instance k resumes in); fuel is spent as by Run.
	Resume(ctx context.Context, k Continuation, remap func(any) any, results []uint64, fuel *Fuel) error
}

// Continuation is a captured Run, owned by the engine that captured it.
type Continuation interface{ continuation() }

// Checkpoint is a point of a Run that Jump returns to, owned by the
// engine that made it.
type Checkpoint interface{ checkpoint() }

// ContinuationBase and CheckpointBase make an engine's types
// Continuations and Checkpoints (embed them).
type (
	ContinuationBase struct{}
	CheckpointBase   struct{}
)

func (ContinuationBase) continuation() {}
func (CheckpointBase) checkpoint()     {}

// Jump is the error a host function returns (or panics with) to make the
// execution that called it return to To, a checkpoint of the same Run:
// the frames above the checkpoint's are dropped and the host call the
// checkpoint was made in returns Results. An executor that cannot (To
// is not one of its Run's checkpoints, or was left) returns the Jump as
// its Run's error.
type Jump struct {
	To      Checkpoint
	Results []uint64
}

func (*Jump) Error() string {
	return "longjmp to a checkpoint that is not on the stack of this call"
}

// ErrNotCapturable is the error of a capture the executor cannot make:
// an engine without the capability, a host function called by the
// embedder directly or through a tail call, or a call made by another
// host function (only a Run entered from the embedder is captured whole).
var ErrNotCapturable = errors.New("the calling execution cannot be captured")

// CapturerOf returns the executor waiting for the host function that
// received ctx, when it can capture (nil otherwise).
func CapturerOf(ctx context.Context) Capturer {
	if n := NestOf(ctx); n != nil {
		c, _ := n.Owner.(Capturer)
		return c
	}
	return nil
}

// capturingImports are the imports whose host functions capture their
// caller: WASIX's fork and setjmp/longjmp.
var capturingImports = map[[2]string]bool{}

func init() {
	for _, mod := range []string{"wasix_32v1", "wasix_64v1"} {
		for _, name := range []string{"proc_fork", "stack_checkpoint", "stack_restore"} {
			capturingImports[[2]string{mod, name}] = true
		}
	}
}

// CapturingImport reports whether the import module.name is a host
// function that may capture its caller (Capturer): an engine without the
// capability leaves the functions of a module importing one to an
// engine with it.
func CapturingImport(module, name string) bool {
	return capturingImports[[2]string{module, name}]
}
