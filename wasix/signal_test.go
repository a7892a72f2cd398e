package wasix

import (
	"testing"

	"github.com/kilnrt/kiln/kernel"
)

// TestSignalNumbers checks the Linux numbering WASIX uses against the
// published ABI, and that converting to preview 1 and back round-trips.
func TestSignalNumbers(t *testing.T) {
	for _, c := range []struct {
		s        Signal
		n        uint8
		name     string
		preview1 int // -1: none
		action   SignalAction
	}{
		{SIGHUP, 1, "SIGHUP", 1, ActTerminate},
		{SIGKILL, 9, "SIGKILL", 9, ActTerminate},
		{SIGTERM, 15, "SIGTERM", 15, ActTerminate},
		{SIGSTKFLT, 16, "SIGSTKFLT", -1, ActTerminate},
		{SIGCHLD, 17, "SIGCHLD", 16, ActIgnore},
		{SIGCONT, 18, "SIGCONT", 17, ActContinue},
		{SIGSTOP, 19, "SIGSTOP", 18, ActStop},
		{SIGWINCH, 28, "SIGWINCH", 27, ActIgnore},
		{SIGSYS, 31, "SIGSYS", 30, ActTerminate},
	} {
		if uint8(c.s) != c.n || c.s.String() != c.name || c.s.DefaultAction() != c.action {
			t.Errorf("%v: number %d name %q action %d, want %d %q %d", c.s, uint8(c.s), c.s.String(), c.s.DefaultAction(), c.n, c.name, c.action)
		}
		p, ok := c.s.Preview1()
		if c.preview1 < 0 {
			if ok {
				t.Errorf("%v has preview 1 number %d, want none", c.s, p)
			}
			continue
		}
		if !ok || int(p) != c.preview1 {
			t.Errorf("%v: preview 1 number %d (%v), want %d", c.s, p, ok, c.preview1)
		}
	}
	for n := 0; n <= 30; n++ {
		s, ok := FromPreview1(uint8(n))
		back, ok2 := s.Preview1()
		if !ok || !ok2 || int(back) != n {
			t.Errorf("preview 1 signal %d -> %v -> %d (%v %v)", n, s, back, ok, ok2)
		}
	}
	if _, ok := FromPreview1(31); ok {
		t.Error("preview 1 has no signal 31")
	}
	if Signal(32).Valid() || Signal(32).String() != "signal(32)" || Signal(32).DefaultAction() != ActNone {
		t.Error("signal 32 must be invalid")
	}
}

// TestErrnoTable checks WASIX's errno numbering, the preview 1 numbers
// and the four WASIX adds.
func TestErrnoTable(t *testing.T) {
	for _, c := range []struct {
		e    kernel.Errno
		name string
	}{
		{0, "success"}, {kernel.EFAULT, "fault"}, {21, "fault"}, {28, "inval"},
		{61, "overflow"}, {68, "range"}, {76, "notcapable"},
		{ESHUTDOWN, "shutdown"}, {77, "shutdown"}, {78, "memviolation"},
		{79, "unknown"}, {80, "pending"}, {81, ""},
	} {
		if got := ErrnoName(c.e); got != c.name {
			t.Errorf("errno %d: name %q, want %q", c.e, got, c.name)
		}
	}
	for e := 0; e < NumErrnos; e++ {
		if ErrnoName(kernel.Errno(e)) == "" {
			t.Errorf("errno %d has no name", e)
		}
	}
}
