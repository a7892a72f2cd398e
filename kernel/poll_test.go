//go:build linux

package kernel

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/kilnrt/kiln/vfs"
)

func TestPollClockAndFiles(t *testing.T) {
	p, _ := newProc(t, Config{})
	fd, e := p.PathOpen(context.Background(), dataFD, 0, "f", vfs.OCreate, RightFDRead|RightFDWrite|RightFDSeek|RightPollFDReadwrite, 0, 0)
	wantE(t, "create", e, ESUCCESS)
	p.FDWrite(bg, fd, [][]byte{[]byte("abc")})
	p.FDSeek(fd, 1, 0)
	evs, e := p.PollOneoff(context.Background(), []Subscription{
		{Userdata: 1, Type: EventFDRead, FD: fd},
		{Userdata: 2, Type: EventFDWrite, FD: fd},
		{Userdata: 3, Type: EventClock, Clock: ClockMonotonic, Timeout: uint64(time.Hour)},
		{Userdata: 4, Type: EventFDRead, FD: 77},
	})
	wantE(t, "poll", e, ESUCCESS)
	got := map[uint64]Event{}
	for _, ev := range evs {
		got[ev.Userdata] = ev
	}
	if len(got) != 3 || got[1].NBytes != 2 || got[2].Errno != ESUCCESS || got[4].Errno != EBADF {
		t.Fatalf("events = %+v", evs)
	}
	// A lone relative clock fires.
	evs, e = p.PollOneoff(context.Background(), []Subscription{{Userdata: 9, Type: EventClock, Clock: ClockMonotonic, Timeout: 1000}})
	if e != ESUCCESS || len(evs) != 1 || evs[0].Userdata != 9 || evs[0].Type != EventClock {
		t.Fatalf("clock poll = %+v, %v", evs, e)
	}
	// An absolute realtime clock in the past fires at once.
	now, _ := p.ClockTimeGet(ClockRealtime, 0)
	evs, e = p.PollOneoff(context.Background(), []Subscription{{Userdata: 5, Type: EventClock, Clock: ClockRealtime, Timeout: now - 1, Abstime: true}})
	if e != ESUCCESS || len(evs) != 1 {
		t.Fatalf("abstime poll = %+v, %v", evs, e)
	}
	evs, e = p.PollOneoff(context.Background(), []Subscription{{Type: EventClock, Clock: 9}})
	if e != ESUCCESS || len(evs) != 1 || evs[0].Errno != EINVAL {
		t.Fatalf("bad clock = %+v, %v", evs, e)
	}
	_, e = p.PollOneoff(context.Background(), nil)
	wantE(t, "no subscriptions", e, EINVAL)
}

func TestPollPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	p, _ := newProc(t, Config{Stdin: r})
	sub := []Subscription{{Userdata: 1, Type: EventFDRead, FD: 0}}
	// Nothing to read: a cancelled context ends the wait.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Errno)
	go func() {
		_, e := p.PollOneoff(ctx, sub)
		done <- e
	}()
	cancel()
	wantE(t, "cancelled poll", <-done, ECANCELED)
	// With a clock, the clock fires first.
	evs, e := p.PollOneoff(context.Background(), append(sub, Subscription{Userdata: 2, Type: EventClock, Clock: ClockMonotonic, Timeout: 1e6}))
	if e != ESUCCESS || len(evs) != 1 || evs[0].Userdata != 2 {
		t.Fatalf("clock before data = %+v, %v", evs, e)
	}
	w.Write([]byte("hello"))
	evs, e = p.PollOneoff(context.Background(), sub)
	if e != ESUCCESS || len(evs) != 1 || evs[0].NBytes != 5 || evs[0].Hangup {
		t.Fatalf("readable pipe = %+v, %v", evs, e)
	}
	w.Close()
	buf := make([]byte, 8)
	p.FDRead(bg, 0, [][]byte{buf})
	evs, e = p.PollOneoff(context.Background(), sub)
	if e != ESUCCESS || len(evs) != 1 || !evs[0].Hangup {
		t.Fatalf("hung-up pipe = %+v, %v", evs, e)
	}
}
