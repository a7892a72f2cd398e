//go:build linux

package kernel

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
)

type recorder struct {
	mu     sync.Mutex
	events []AuditEvent
}

func (r *recorder) Audit(_ context.Context, ev AuditEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) find(op Op) (AuditEvent, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ev := range r.events {
		if ev.Op == op {
			return ev, true
		}
	}
	return AuditEvent{}, false
}

// loopbackOnly allows connecting and binding to 127.0.0.1 only.
type loopbackOnly struct{}

func (loopbackOnly) CheckConnect(network string, a netip.AddrPort) error { return check(a) }
func (loopbackOnly) CheckBind(network string, a netip.AddrPort) error    { return check(a) }

func check(a netip.AddrPort) error {
	if a.Addr().Unmap() == netip.MustParseAddr("127.0.0.1") {
		return nil
	}
	return errors.New("not loopback")
}

func TestSocketsAcceptRecvSend(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback networking: %v", err)
	}
	defer ln.Close()
	rec := &recorder{}
	p, _ := newProc(t, Config{Auditor: rec})
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	lfd, err := p.InsertSocket(context.Background(), int(f.Fd()))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := p.FDFdstatGet(lfd); st.Rights != RightsSocket {
		t.Fatalf("socket fdstat = %+v", st)
	}
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cfd, e := p.SockAccept(bg, lfd, 0)
	wantE(t, "accept", e, ESUCCESS)
	if ev, ok := rec.find(OpAccept); !ok || !ev.Allowed || ev.Addr.Addr().Unmap().String() != "127.0.0.1" {
		t.Fatalf("accept audit = %+v, %v", ev, ok)
	}
	conn.Write([]byte("ping"))
	buf := make([]byte, 8)
	n, ro, e := p.SockRecv(bg, cfd, [][]byte{buf[:2], buf[2:4]}, RecvWaitAll)
	if e != ESUCCESS || string(buf[:n]) != "ping" || ro != 0 {
		t.Fatalf("recv = %q, %v, %v", buf[:n], ro, e)
	}
	if n, e := p.SockSend(bg, cfd, [][]byte{[]byte("po"), []byte("ng")}, 0); e != ESUCCESS || n != 4 {
		t.Fatalf("send = %d, %v", n, e)
	}
	got := make([]byte, 4)
	if _, err := conn.Read(got); err != nil || string(got) != "pong" {
		t.Fatalf("peer got %q, %v", got, err)
	}
	wantE(t, "shutdown write", p.SockShutdown(cfd, ShutWrite), ESUCCESS)
	if n, _ := conn.Read(got); n != 0 {
		t.Fatalf("peer read after shutdown = %d", n)
	}
	wantE(t, "shutdown bad flags", p.SockShutdown(cfd, 0), EINVAL)
	wantE(t, "shutdown a directory", p.SockShutdown(dataFD, ShutRead), ENOTSOCK)
	_, e = p.SockAccept(bg, dataFD, 0)
	wantE(t, "accept on a directory", e, ENOTSOCK)
	// fd_read and fd_write work on sockets too.
	conn.Write([]byte("x"))
	if n, e := p.FDRead(bg, cfd, [][]byte{buf}); e != ESUCCESS || n != 1 {
		t.Fatalf("fd_read on socket = %d, %v", n, e)
	}
}

func TestNetPolicy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback networking: %v", err)
	}
	defer ln.Close()
	target := netip.MustParseAddrPort(ln.Addr().String())

	rec := &recorder{}
	p, _ := newProc(t, Config{Auditor: rec})
	fd, e := p.SockOpen(context.Background(), "tcp", false)
	wantE(t, "socket", e, ESUCCESS)
	wantE(t, "connect without policy", p.SockConnect(bg, fd, target), EACCES)
	if ev, ok := rec.find(OpConnect); !ok || ev.Allowed || ev.Errno != EACCES {
		t.Fatalf("denied connect audit = %+v, %v", ev, ok)
	}

	rec2 := &recorder{}
	p2, _ := newProc(t, Config{Auditor: rec2, NetPolicy: loopbackOnly{}})
	fd, _ = p2.SockOpen(context.Background(), "tcp", false)
	wantE(t, "connect to other host", p2.SockConnect(bg, fd, netip.MustParseAddrPort("192.0.2.1:80")), EACCES)
	wantE(t, "connect to loopback", p2.SockConnect(bg, fd, target), ESUCCESS)
	if peer, e := p2.SockAddrPeer(fd); e != ESUCCESS || peer != target {
		t.Fatalf("peer = %v, %v", peer, e)
	}
	ufd, _ := p2.SockOpen(context.Background(), "udp", false)
	wantE(t, "bind loopback", p2.SockBind(context.Background(), ufd, netip.MustParseAddrPort("127.0.0.1:0")), ESUCCESS)
	if local, e := p2.SockAddrLocal(ufd); e != ESUCCESS || local.Port() == 0 {
		t.Fatalf("local = %v, %v", local, e)
	}
	_, e = p2.SockOpen(context.Background(), "sctp", false)
	wantE(t, "unknown protocol", e, EPROTONOSUPPORT)
}
