//go:build (amd64 || arm64) && unix

package jitengine

import (
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// TestBatchLen: a batch takes hot functions from the front of the queue
// while their bodies fit in batchBytes together, and at least one (a
// body larger than batchBytes makes a batch of its own).
func TestBatchLen(t *testing.T) {
	sizes := []int{batchBytes / 4, batchBytes / 4, batchBytes / 2, 1, batchBytes * 2, batchBytes / 2}
	m := &wasm.Module{Codes: make([]wasm.Code, len(sizes))}
	for i, n := range sizes {
		m.Codes[i].Body = make([]byte, n)
	}
	tm := &tierModule{m: m}
	queue := func(defs ...int) []hot {
		q := make([]hot, len(defs))
		for i, d := range defs {
			q[i] = hot{tag: &tierTag{mod: tm, def: d}}
		}
		return q
	}
	for _, c := range []struct {
		defs []int
		want int
	}{
		{nil, 0},
		{[]int{0, 1, 2}, 3},    // exactly batchBytes
		{[]int{0, 1, 2, 3}, 3}, // one byte more
		{[]int{4, 0}, 1},       // too large alone
		{[]int{0, 4, 1}, 1},
		{[]int{3, 5, 0, 1}, 3},
		{[]int{5}, 1},
	} {
		if got := batchLen(queue(c.defs...)); got != c.want {
			t.Errorf("batchLen of definitions %v: %d, want %d", c.defs, got, c.want)
		}
	}
}
