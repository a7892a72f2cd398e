//go:build linux

package wasix_test

import (
	"context"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// WASIX epoll_type bits.
const (
	epIn      = 1
	epOut     = 2
	epHup     = 32
	epOneshot = 128
)

// wantWait checks one epoll_wait(ep, max, 0): errno 0, n events, and the
// first event's bits and data (three data words data, data+1, data+2;
// the padding after events is zero).
func (g *guestModule) wantWait(ep, max uint64, n, events, data uint64) {
	g.t.Helper()
	r := g.call("wait", ep, max, 0)
	if r[0] != 0 || r[1] != n {
		g.t.Fatalf("wait(%d, max %d): errno %d, %d events, want %d", ep, max, r[0], r[1], n)
	}
	if n == 0 {
		if r[2] != 0xeeeeeeee {
			g.t.Errorf("wait reported nothing but wrote the event array: %#x", r[2])
		}
		return
	}
	if r[2] != events || r[3] != 0 || r[4] != data || r[5] != data+1 || r[6] != data+2 {
		g.t.Errorf("wait: first event %#x pad %#x data %#x %#x %#x, want %#x pad 0 data %#x %#x %#x",
			r[2], r[3], r[4], r[5], r[6], events, data, data+1, data+2)
	}
	if b := g.call("byte_of_event", n)[0]; n < max && b != 0xee {
		g.t.Errorf("wait wrote past its %d events", n)
	}
}

func TestEpollABI(t *testing.T) {
	g := loadWAT(t, "epoll", wasi.Config{})
	ep := g.want("create", nil, 0, 3)[1]
	g.errno(kernel.EFAULT, "create_bad")
	_, r, w := unpack3(g.call("pipe"))
	ev := g.call("event", 0)[1]

	g.errno(0, "ctl", ep, kernel.EpollCtlAdd, r, epIn, 0x1000)
	g.errno(kernel.EEXIST, "ctl", ep, kernel.EpollCtlAdd, r, epIn, 0x1000)
	g.wantWait(ep, 4, 0, 0, 0)
	g.errno(0, "write8", w, 7)
	g.wantWait(ep, 4, 1, epIn, 0x1000)
	g.wantWait(ep, 4, 1, epIn, 0x1000) // level-triggered: still unread

	// Two ready registrations, one slot: successive waits take turns.
	g.errno(0, "ctl", ep, kernel.EpollCtlAdd, w, epOut, 0x2000)
	g.wantWait(ep, 4, 2, epIn, 0x1000)
	first := g.call("wait", ep, 1, 0)
	second := g.call("wait", ep, 1, 0)
	if first[1] != 1 || second[1] != 1 || first[4] == second[4] {
		t.Errorf("wait(max 1) twice: data %#x then %#x, want both registrations in turn", first[4], second[4])
	}

	// MOD replaces events and data; ONESHOT reports once until MOD.
	g.errno(0, "ctl", ep, kernel.EpollCtlDel, w, 0, 0)
	g.errno(kernel.ENOENT, "ctl", ep, kernel.EpollCtlDel, w, 0, 0)
	g.errno(kernel.ENOENT, "ctl", ep, kernel.EpollCtlMod, w, epOut, 0)
	g.errno(0, "ctl", ep, kernel.EpollCtlMod, r, epIn|epOneshot, 0x3000)
	g.wantWait(ep, 4, 1, epIn, 0x3000)
	g.wantWait(ep, 4, 0, 0, 0)
	g.errno(0, "ctl", ep, kernel.EpollCtlMod, r, epIn, 0x4000)
	g.wantWait(ep, 4, 1, epIn, 0x4000)

	// An event descriptor is readable while its counter is not zero and
	// always writable.
	g.errno(0, "ctl", ep, kernel.EpollCtlAdd, ev, epIn|epOut, 0x5000)
	g.want("read8", a(r), 0, 8)
	g.wantWait(ep, 4, 1, epOut, 0x5000)
	g.errno(0, "write8", ev, 2)
	g.wantWait(ep, 4, 1, epIn|epOut, 0x5000)
	g.want("read8", a(ev), 0, 8)
	g.errno(0, "ctl", ep, kernel.EpollCtlDel, ev, 0, 0)

	// Hang-up is reported without being asked for: the last writer is
	// gone.
	g.errno(0, "close", w)
	g.wantWait(ep, 4, 1, epHup, 0x4000)

	// A closed descriptor leaves the list; its number, reused, is not
	// registered.
	g.errno(0, "close", r)
	g.wantWait(ep, 4, 0, 0, 0)
	_, r2, w2 := unpack3(g.call("pipe"))
	g.errno(0, "write8", w2, 1)
	g.wantWait(ep, 4, 0, 0, 0)
	g.errno(0, "ctl", ep, kernel.EpollCtlAdd, r2, epIn, 0x6000)
	g.wantWait(ep, 4, 1, epIn, 0x6000)

	// Errors, with Linux's errnos.
	g.errno(kernel.EBADF, "ctl", 99, kernel.EpollCtlAdd, r2, epIn, 0)
	g.errno(kernel.EINVAL, "ctl", r2, kernel.EpollCtlAdd, w2, epIn, 0) // not an epoll descriptor
	g.errno(kernel.EINVAL, "ctl", ep, 3, w2, epIn, 0)                  // unknown op
	g.errno(kernel.EINVAL, "ctl", ep, kernel.EpollCtlAdd, ep, epIn, 0) // itself
	g.errno(kernel.EBADF, "ctl", ep, kernel.EpollCtlAdd, 99, epIn, 0)
	g.errno(kernel.EINVAL, "ctl", ep, kernel.EpollCtlAdd, w2, 256, 0) // unknown event bit
	g.errno(kernel.EFAULT, "ctl_at", ep, kernel.EpollCtlAdd, w2, 0xfff0)
	g.errno(0, "ctl_at", ep, kernel.EpollCtlDel, r2, 0xfff0) // DEL reads no event
	g.errno(kernel.EINVAL, "wait", ep, 0, 0)
	g.errno(kernel.EFAULT, "wait_at", ep, 0xff00, 16, 0x500) // 16 events do not fit
	g.errno(kernel.EFAULT, "wait_at", ep, 0x800, 1, 0xfffe)
	g.errno(kernel.EINVAL, "wait", r2, 1, 0)
	g.errno(kernel.EBADF, "wait", 99, 1, 0)
	g.errno(kernel.ENOENT, "ctl", ep, kernel.EpollCtlMod, r2, epIn, 0) // the EFAULT added nothing
}

// TestEpollWait checks the timeout, a wake-up by another thread's write
// and the end of a wait when the process ends.
func TestEpollWait(t *testing.T) {
	g := loadWAT(t, "epoll", wasi.Config{})
	ep := g.call("create")[1]
	_, r, w := unpack3(g.call("pipe"))
	g.errno(0, "ctl", ep, kernel.EpollCtlAdd, r, epIn, 0x10)

	start := time.Now()
	res := g.call("wait", ep, 1, uint64(80*time.Millisecond))
	if el := time.Since(start); res[0] != 0 || res[1] != 0 || el < 80*time.Millisecond {
		t.Errorf("wait(80ms) on nothing: errno %d, %d events after %v", res[0], res[1], el)
	}

	done := make(chan []uint64, 1)
	go func() {
		res, _ := g.callErr("wait", ep, 1, kernel.EpollForever)
		done <- res
	}()
	select {
	case res := <-done:
		t.Fatalf("wait returned before anything was ready: %v", res)
	case <-time.After(100 * time.Millisecond):
	}
	if _, e := g.sys.Process().FDWrite(g.ctx, uint32(w), [][]byte{[]byte("x")}); e != kernel.ESUCCESS {
		t.Fatal(e)
	}
	select {
	case res := <-done:
		if res == nil || res[0] != 0 || res[1] != 1 || res[2] != epIn || res[4] != 0x10 {
			t.Errorf("woken wait: %v, want one EPOLLIN event with data 0x10", res)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the write did not wake the wait")
	}

	// A wait without end ends with the process.
	g.want("read8", a(r), 0, 1)
	errc := make(chan error, 1)
	go func() {
		_, err := g.callErr("wait", ep, 1, kernel.EpollForever)
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	g.sys.Process().Exit(7)
	select {
	case err := <-errc:
		if err == nil {
			t.Error("the wait returned normally after the process ended")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the end of the process did not end the wait")
	}
}

// TestEpollWaitContext checks that the run's context ends a wait.
func TestEpollWaitContext(t *testing.T) {
	g := loadWAT(t, "epoll", wasi.Config{})
	ep := g.call("create")[1]
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := g.inst.Func("wait").Call(ctx, ep, 1, kernel.EpollForever)
	if err == nil {
		t.Error("the wait returned normally after its context ended")
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("the wait ended %v after its context", el)
	}
}

// TestEpollQuota checks that epoll descriptors count against the
// descriptor limit.
func TestEpollQuota(t *testing.T) {
	g := loadWAT(t, "epoll", wasi.Config{MaxFDs: 4})
	g.want("create", nil, 0, 3)
	g.want("create", nil, uint64(kernel.EMFILE), untouched)
}

// TestEpollEdgeTriggered checks EPOLLET on Linux: an entry is reported
// when its state changes (new data, room to write), not while it stays
// ready; edge events beyond maxevents wait for the next call.
func TestEpollEdgeTriggered(t *testing.T) {
	const epET = 64
	g := loadWAT(t, "epoll", wasi.Config{})
	ep := g.call("create")[1]
	_, r, w := unpack3(g.call("pipe"))
	g.errno(0, "ctl", ep, kernel.EpollCtlAdd, r, epIn|epET, 0x7000)
	g.wantWait(ep, 4, 0, 0, 0)
	g.errno(0, "write8", w, 1)
	g.wantWait(ep, 4, 1, epIn, 0x7000)
	g.wantWait(ep, 4, 0, 0, 0) // still unread, but no new edge
	g.errno(0, "write8", w, 2)
	g.wantWait(ep, 4, 1, epIn, 0x7000) // new data is a new edge
	g.want("read8", a(r), 0, 8)
	g.want("read8", a(r), 0, 8)
	g.wantWait(ep, 4, 0, 0, 0)

	// One-shot: reported once, until MOD arms it again.
	g.errno(0, "ctl", ep, kernel.EpollCtlMod, r, epIn|epET|epOneshot, 0x7100)
	g.errno(0, "write8", w, 3)
	g.wantWait(ep, 4, 1, epIn, 0x7100)
	g.errno(0, "write8", w, 4)
	g.wantWait(ep, 4, 0, 0, 0)
	g.errno(0, "ctl", ep, kernel.EpollCtlMod, r, epIn|epET, 0x7200)
	g.wantWait(ep, 4, 1, epIn, 0x7200)
	g.want("read8", a(r), 0, 8)
	g.want("read8", a(r), 0, 8)

	// The write end: writable once registered, then quiet.
	g.errno(0, "ctl", ep, kernel.EpollCtlAdd, w, epOut|epET, 0x7300)
	g.wantWait(ep, 4, 1, epOut, 0x7300)
	g.wantWait(ep, 4, 0, 0, 0)
	g.errno(0, "ctl", ep, kernel.EpollCtlDel, w, 0, 0)

	// More edges than room: the rest come with the next calls.
	var pipes [][2]uint64
	for i := 0; i < 3; i++ {
		_, pr, pw := unpack3(g.call("pipe"))
		pipes = append(pipes, [2]uint64{pr, pw})
		g.errno(0, "ctl", ep, kernel.EpollCtlAdd, pr, epIn|epET, uint64(0x8000+i*0x100))
		g.errno(0, "write8", pw, 1)
	}
	seen := map[uint64]bool{}
	for i := 0; i < 3; i++ {
		res := g.call("wait", ep, 1, 0)
		if res[0] != 0 || res[1] != 1 {
			t.Fatalf("wait %d with three edges pending: %v", i, res)
		}
		seen[res[4]] = true
	}
	if len(seen) != 3 {
		t.Errorf("three waits returned %d distinct entries, want 3", len(seen))
	}
	g.wantWait(ep, 4, 0, 0, 0)

	// A closed descriptor leaves the host registration too; its number
	// can be registered again.
	g.errno(0, "close", pipes[0][0])
	g.errno(0, "write8", pipes[1][1], 1)
	g.wantWait(ep, 4, 1, epIn, 0x8100)
	_, nr, nw := unpack3(g.call("pipe"))
	g.errno(0, "ctl", ep, kernel.EpollCtlAdd, nr, epIn|epET, 0x9000)
	g.errno(0, "write8", nw, 1)
	g.wantWait(ep, 4, 1, epIn, 0x9000)

	// The same open pipe under two numbers: both are reported (the
	// second host registration of one host descriptor is refused, so
	// that entry is served level-triggered).
	d := g.call("dup", nr)[1]
	g.errno(0, "ctl", ep, kernel.EpollCtlAdd, d, epIn|epET, 0x9100)
	if res := g.call("wait", ep, 4, 0); res[0] != 0 || res[1] < 1 {
		t.Errorf("wait with a duplicate registered: %v", res)
	}
}

// TestEpollDoesNotLeak checks that epoll descriptors, with their host
// epoll for edge-triggered entries, close with their last number or with
// the process.
func TestEpollDoesNotLeak(t *testing.T) {
	baseline := testsuite.OpenFDs(t)
	g := loadWAT(t, "epoll", wasi.Config{})
	for i := 0; i < 10; i++ {
		ep := g.call("create")[1]
		_, r, w := unpack3(g.call("pipe"))
		g.errno(0, "ctl", ep, kernel.EpollCtlAdd, r, epIn|64, 1)
		g.errno(0, "ctl", ep, kernel.EpollCtlAdd, w, epOut, 2)
		if i%2 == 0 {
			for _, fd := range []uint64{ep, r, w} {
				g.errno(0, "close", fd)
			}
		}
	}
	if err := g.sys.Close(); err != nil {
		t.Fatal(err)
	}
	if n := testsuite.OpenFDs(t); n > baseline {
		t.Errorf("%d host descriptors open after the process closed, %d before", n, baseline)
	}
}
