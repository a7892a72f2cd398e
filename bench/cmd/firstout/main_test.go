package main

import (
	"os/exec"
	"testing"
	"time"
)

func TestStats(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		var d []time.Duration
		for _, x := range v {
			d = append(d, time.Duration(x)*time.Millisecond)
		}
		return d
	}
	for _, c := range []struct {
		in             []time.Duration
		med, low, high time.Duration
	}{
		{ms(3, 1, 2), 2 * time.Millisecond, time.Millisecond, 3 * time.Millisecond},
		{ms(4, 1, 3, 2), 2500 * time.Microsecond, time.Millisecond, 4 * time.Millisecond},
	} {
		if m, l, h := stats(c.in); m != c.med || l != c.low || h != c.high {
			t.Errorf("stats(%v) = %v %v %v, want %v %v %v", c.in, m, l, h, c.med, c.low, c.high)
		}
	}
}

// TestRunOnce: the first byte comes before the end when a command
// prints, then waits.
func TestRunOnce(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip(err)
	}
	first, total, _, err := runOnce([]string{"sh", "-c", "echo hi; sleep 0.3"})
	if err != nil {
		t.Fatal(err)
	}
	if first >= total || total-first < 200*time.Millisecond {
		t.Errorf("first output at %v, end at %v: want the first 0.3 s before the end", first, total)
	}
	if _, _, _, err := runOnce([]string{"sh", "-c", "exit 3"}); err == nil {
		t.Error("a failing command: no error")
	}
}
