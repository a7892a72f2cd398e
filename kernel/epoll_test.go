package kernel

import (
	"context"
	"testing"
)

// TestEpollSharedWithChild checks that an epoll descriptor a child
// inherited keeps the parent's registrations: the child's own table
// (where the registered number was closed) does not decide them.
func TestEpollSharedWithChild(t *testing.T) {
	p, _ := newProc(t, Config{})
	ctx := context.Background()
	r, w, _ := p.Pipe()
	ep, e := p.EpollCreate()
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
