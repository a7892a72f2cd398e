package engine

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln/store"
)

// StackLimits bound one thread of execution: a call and every call nested
// in it through host functions or other engines (found through the nest
// in the context, or, whatever context a host function passes, through
// the instance whose code called it: store.Instance.InHost).
type StackLimits struct {
	// MaxDepth is the wasm call depth that traps (0: only MaxBytes).
	MaxDepth int
	// MaxBytes bounds the frame records and value slots (0 means
	// DefaultMaxStackBytes).
	MaxBytes int64
	// MaxReentry bounds the nesting of Runs started by host functions or
	// by calls between engines (0 means DefaultMaxReentry); each one also
	// uses the Go stack.
	MaxReentry int
}

// DefaultMaxStackBytes is the frame stack budget of a thread of
// execution when none is configured: about two million frames of a
// small recursive interpreted function.
const DefaultMaxStackBytes = 256 << 20

// DefaultMaxReentry is the host re-entry nesting limit when none is
// configured.
const DefaultMaxReentry = 256

// nestKey is the context key under which an execution tells the host
// functions and foreign-engine functions it calls (and the Runs they
// start) where it stands.
type nestKey struct{}

// WithNest returns ctx carrying n, the standing of an execution that is
// calling out (to a host function or another engine): a Run started with
// this context continues its accounting (depth, stack bytes, re-entry
// level).
func WithNest(ctx context.Context, n *store.Nest) context.Context {
	return context.WithValue(ctx, nestKey{}, n)
}

// NestOf returns the nest ctx carries, or nil.
func NestOf(ctx context.Context) *store.Nest {
	n, _ := ctx.Value(nestKey{}).(*store.Nest)
	return n
}

// HostPanicError reports a panic in a host function.
type HostPanicError struct{ Value any }

func (e *HostPanicError) Error() string { return fmt.Sprintf("host function panicked: %v", e.Value) }
