package kernel

import (
	"context"
	"testing"

	"github.com/kilnrt/kiln/vfs"
)

// TestEpollSharedWithChild checks that an epoll descriptor a child
// inherited keeps the parent's registrations: the child's own table
// (where the registered number was closed) does not decide them.
func TestEpollSharedWithChild(t *testing.T) {
	p, _ := newProc(t, Config{})
	ctx := context.Background()
	r, w, _ := p.Pipe(ctx)
	ep, e := p.EpollCreate(ctx)
	wantE(t, "epoll_create", e, ESUCCESS)
	wantE(t, "add", p.EpollCtl(ep, EpollCtlAdd, r, EpollIn, EpollData{7}), ESUCCESS)
	c, e := p.NewChild(ctx, p.ChildConfig("child", []string{"child"}, nil, false))
	wantE(t, "child", e, ESUCCESS)
	defer c.Close()
	wantE(t, "close in the child", c.FDClose(r), ESUCCESS)
	if _, e := p.FDWrite(ctx, w, [][]byte{[]byte("x")}); e != ESUCCESS {
		t.Fatal(e)
	}
	for _, who := range []*Process{c, p} {
		evs, e := who.EpollWait(ctx, ep, 4, 0)
		if e != ESUCCESS || len(evs) != 1 || evs[0].Events != EpollIn || evs[0].Data[0] != 7 {
			t.Errorf("wait: %v %v, want one EPOLLIN event with data 7", evs, e)
		}
	}
}

// TestEpollAlwaysReady checks the objects epoll does not poll on the
// host: a regular file and a stream without a host descriptor are always
// readable and writable (as poll(2) says of regular files), and a
// directory cannot be registered (EPERM, as on Linux).
func TestEpollAlwaysReady(t *testing.T) {
	p, _ := newProc(t, Config{})
	ctx := context.Background()
	f, e := p.PathOpen(ctx, dataFD, 0, "f", vfs.OCreate, RightFDRead|RightFDWrite|RightPollFDReadwrite, 0, 0)
	wantE(t, "open", e, ESUCCESS)
	ep, _ := p.EpollCreate(ctx)
	wantE(t, "add a directory", p.EpollCtl(ep, EpollCtlAdd, dataFD, EpollIn, EpollData{}), EPERM)
	wantE(t, "add a file", p.EpollCtl(ep, EpollCtlAdd, f, EpollIn|EpollOut, EpollData{1}), ESUCCESS)
	wantE(t, "add stdin", p.EpollCtl(ep, EpollCtlAdd, 0, EpollIn|EpollET, EpollData{2}), ESUCCESS)
	evs, e := p.EpollWait(ctx, ep, 4, EpollForever)
	if e != ESUCCESS || len(evs) != 2 {
		t.Fatalf("wait: %v %v, want the file and standard input", evs, e)
	}
	for _, ev := range evs {
		want := EpollIn | EpollOut
		if ev.Data[0] == 2 {
			want = EpollIn
		}
		if ev.Events != want {
			t.Errorf("entry %d: events %#x, want %#x", ev.Data[0], ev.Events, want)
		}
	}
}
