package interp

import (
	"context"
	"testing"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/store"
)

// TestInterruptKeepsCancellation: a sample request and a cancellation
// arriving together both take effect; a sample alone does not stop the
// run.
func TestInterruptKeepsCancellation(t *testing.T) {
	var got [][]*store.Function
	s := engine.NewSampling(func(stack []*store.Function) { got = append(got, append([]*store.Function(nil), stack...)) })
	m := NewMachine(StackLimits{})
	m.SetSampling(s)
	f := &store.Function{Name: "f"}
	m.cur.fn = f
	ctx, cancel := context.WithCancel(context.Background())
	m.ctx = ctx
	s.Enter(&m.interrupted)
	s.Request()
	if err := m.check(); err != nil {
		t.Fatalf("sample only: %v", err)
	}
	if len(got) != 1 || len(got[0]) != 1 || got[0][0] != f {
		t.Fatalf("samples %v, want one of [f]", got)
	}
	if err := m.check(); err != nil || len(got) != 1 {
		t.Fatalf("no request: %v, %d samples", err, len(got))
	}
	s.Request()
	cancel()
	if err := m.check(); err != context.Canceled {
		t.Fatalf("cancelled: %v, want context.Canceled", err)
	}
	s.Leave(&m.interrupted)
	s.Request() // not running: nothing requested
	if m.interrupted.Load() != 0 {
		t.Error("a machine that left was asked for a sample")
	}
}

// TestSampleDepth: deep stacks are cut to their innermost frames.
func TestSampleDepth(t *testing.T) {
	var depth int
	m := NewMachine(StackLimits{})
	m.SetSampling(engine.NewSampling(func(stack []*store.Function) { depth = len(stack) }))
	fn := &store.Function{}
	id := m.funcID(fn, nil)
	for i := 0; i < 1000; i++ {
		m.frames = append(m.frames, record{fn: id})
	}
	m.cur.fn = fn
	m.sample()
	if depth != engine.MaxSampleDepth {
		t.Errorf("sampled %d frames, want %d", depth, engine.MaxSampleDepth)
	}
}
