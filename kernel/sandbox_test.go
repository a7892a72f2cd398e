//go:build linux

package kernel

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// policy parses network rules into a sandbox policy.
func policy(t *testing.T, connect, bind []string, resolve bool) *sandbox.Policy {
	t.Helper()
	p := &sandbox.Policy{}
	for _, r := range connect {
		p.Network.Connect = append(p.Network.Connect, mustRule(t, r))
	}
	for _, r := range bind {
		p.Network.Bind = append(p.Network.Bind, mustRule(t, r))
	}
	p.Network.Resolve = resolve
	return p
}

func mustRule(t *testing.T, s string) sandbox.NetRule {
	t.Helper()
	r, err := sandbox.ParseNetRule(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// denied finds a refused audit event of op.
func (r *recorder) denied(op Op) (AuditEvent, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ev := range r.events {
		if ev.Op == op && !ev.Allowed {
			return ev, true
		}
	}
	return AuditEvent{}, false
}

func loopbackListener(t *testing.T) (net.Listener, netip.AddrPort) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback networking: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln, netip.MustParseAddrPort(ln.Addr().String())
}

// TestSandboxConnectOutsideRulesDenied: the sandbox policy (through
// Policy.Net, no adapter) allows connecting to one loopback port only;
// another port and another host are refused with EACCES and audited.
func TestSandboxConnectOutsideRulesDenied(t *testing.T) {
	_, allowed := loopbackListener(t)
	_, other := loopbackListener(t)
	rec := &recorder{}
	pol := policy(t, []string{"tcp:127.0.0.1:" + strconv.Itoa(int(allowed.Port()))}, nil, false)
	p, _ := newProc(t, Config{Auditor: rec, NetPolicy: pol.Net()})

	fd, e := p.SockOpen(context.Background(), "tcp", false)
	wantE(t, "socket", e, ESUCCESS)
	wantE(t, "connect to another port", p.SockConnect(bg, fd, other), EACCES)
	wantE(t, "connect to another host", p.SockConnect(bg, fd, netip.MustParseAddrPort("192.0.2.1:80")), EACCES)
	ev, ok := rec.denied(OpConnect)
	if !ok || ev.Addr != other || ev.Errno != EACCES || !errors.Is(ev.Err, sandbox.ErrDenied) {
		t.Fatalf("denied connect audit = %+v, %v", ev, ok)
	}
	wantE(t, "connect to the granted port", p.SockConnect(bg, fd, allowed), ESUCCESS)
	if ev, ok := rec.find(OpConnect); !ok || ev.Addr != other {
		t.Fatalf("first connect record = %+v", ev)
	}
	// UDP sockets use the same rules for connect and send_to; a TCP-only
	// rule grants nothing over UDP.
	ufd, _ := p.SockOpen(context.Background(), "udp", false)
	wantE(t, "udp connect under a tcp rule", p.SockConnect(bg, ufd, allowed), EACCES)
	_, e = p.SockSendTo(bg, ufd, [][]byte{[]byte("x")}, 0, allowed)
	wantE(t, "udp send_to under a tcp rule", e, EACCES)
	if ev, ok := rec.denied(OpSend); !ok || ev.Addr != allowed {
		t.Fatalf("denied send_to audit = %+v, %v", ev, ok)
	}
}

// TestSandboxConnectNormalisesAddresses: the host reaches this host for
// the unspecified address, and an IPv4-mapped IPv6 address is its IPv4
// address, so rules are matched (and connections made) on the address
// the connection really goes to: a rule naming 0.0.0.0 does not let a
// guest reach a loopback service that 127.0.0.1 itself may not reach.
func TestSandboxConnectNormalisesAddresses(t *testing.T) {
	_, svc := loopbackListener(t)
	port := strconv.Itoa(int(svc.Port()))
	unspec := netip.AddrPortFrom(netip.IPv4Unspecified(), svc.Port())
	mapped := netip.AddrPortFrom(netip.MustParseAddr("::ffff:0.0.0.0"), svc.Port())
	mappedLoop := netip.AddrPortFrom(netip.MustParseAddr("::ffff:127.0.0.1"), svc.Port())

	// A rule for 0.0.0.0 (built directly: Validate refuses it) grants no peer.
	pol := &sandbox.Policy{}
	pol.Network.Connect = []sandbox.NetRule{{Proto: sandbox.ProtoTCP,
		Prefix: netip.PrefixFrom(netip.IPv4Unspecified(), 32), Ports: sandbox.PortRange{First: svc.Port(), Last: svc.Port()}}}
	rec := &recorder{}
	p, _ := newProc(t, Config{Auditor: rec, NetPolicy: pol.Net()})
	for _, tc := range []struct {
		name string
		v6   bool
		addr netip.AddrPort
	}{
		{"127.0.0.1 itself", false, svc},
		{"0.0.0.0 under a 0.0.0.0 rule", false, unspec},
		{"::ffff:0.0.0.0 under a 0.0.0.0 rule", true, mapped},
	} {
		fd, e := p.SockOpen(context.Background(), "tcp", tc.v6)
		wantE(t, tc.name+": socket", e, ESUCCESS)
		wantE(t, tc.name, p.SockConnect(bg, fd, tc.addr), EACCES)
	}
	if ev, ok := rec.denied(OpConnect); !ok || ev.Addr != svc {
		t.Fatalf("denied connect audit = %+v, %v", ev, ok)
	}

	// Under a rule for 127.0.0.1, the unspecified and the mapped forms are
	// the same peer, and the audit record names the peer reached.
	rec2 := &recorder{}
	p2, _ := newProc(t, Config{Auditor: rec2, NetPolicy: policy(t, []string{"tcp:127.0.0.1:" + port}, nil, false).Net()})
	for _, tc := range []struct {
		name string
		v6   bool
		addr netip.AddrPort
	}{
		{"0.0.0.0 under a 127.0.0.1 rule", false, unspec},
		{"::ffff:127.0.0.1 under a 127.0.0.1 rule", true, mappedLoop},
	} {
		fd, e := p2.SockOpen(context.Background(), "tcp", tc.v6)
		wantE(t, tc.name+": socket", e, ESUCCESS)
		wantE(t, tc.name, p2.SockConnect(bg, fd, tc.addr), ESUCCESS)
		if peer, e := p2.SockAddrPeer(fd); e != ESUCCESS || peer.Addr().Unmap() != svc.Addr() {
			t.Errorf("%s: peer %v, %v", tc.name, peer, e)
		}
	}
	if ev, ok := rec2.find(OpConnect); !ok || ev.Addr != svc {
		t.Errorf("connect record = %+v, want the peer %v", ev, svc)
	}
}

// TestSandboxListen: listen is checked against the bind rules, also on a
// socket that was never bound (which the host would bind to every
// address).
func TestSandboxListen(t *testing.T) {
	rec := &recorder{}
	pol := policy(t, nil, []string{"tcp:127.0.0.1:0"}, false)
	p, _ := newProc(t, Config{Auditor: rec, NetPolicy: pol.Net()})

	fd, _ := p.SockOpen(context.Background(), "tcp", false)
	wantE(t, "listen on an unbound socket", p.SockListen(context.Background(), fd, 0), EACCES)
	if ev, ok := rec.denied(OpListen); !ok || ev.Addr.String() != "0.0.0.0:0" {
		t.Fatalf("denied listen audit = %+v, %v", ev, ok)
	}
	if local, _ := p.SockAddrLocal(fd); local.Port() != 0 {
		t.Fatalf("the refused listen bound the socket to %v", local)
	}
	wantE(t, "bind to another address", p.SockBind(context.Background(), fd, netip.MustParseAddrPort("0.0.0.0:0")), EACCES)
	wantE(t, "bind to a fixed port", p.SockBind(context.Background(), fd, netip.MustParseAddrPort("127.0.0.1:1")), EACCES)
	wantE(t, "bind to the granted address", p.SockBind(context.Background(), fd, netip.MustParseAddrPort("127.0.0.1:0")), ESUCCESS)
	wantE(t, "listen on the granted address", p.SockListen(context.Background(), fd, 0), ESUCCESS)
	local, _ := p.SockAddrLocal(fd)
	conn, err := net.Dial("tcp", local.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cfd, e := p.SockAccept(bg, fd, 0)
	wantE(t, "accept", e, ESUCCESS)
	p.FDClose(cfd)

	// Without any policy, listening is refused too.
	p2, _ := newProc(t, Config{})
	fd2, _ := p2.SockOpen(context.Background(), "tcp", true)
	wantE(t, "listen without policy", p2.SockListen(context.Background(), fd2, 0), EACCES)
}

// TestSandboxUDPReceiveFiltered: datagrams from peers outside the connect
// rules are dropped (and audited) before the guest sees a byte of them.
func TestSandboxUDPReceiveFiltered(t *testing.T) {
	good, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback networking: %v", err)
	}
	defer good.Close()
	bad, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	goodAddr := netip.MustParseAddrPort(good.LocalAddr().String())
	rec := &recorder{}
	pol := policy(t, []string{"udp:" + goodAddr.String()}, []string{"udp:127.0.0.1:0"}, false)
	p, _ := newProc(t, Config{Auditor: rec, NetPolicy: pol.Net()})
	fd, _ := p.SockOpen(context.Background(), "udp", false)
	wantE(t, "bind", p.SockBind(context.Background(), fd, netip.MustParseAddrPort("127.0.0.1:0")), ESUCCESS)
	local, _ := p.SockAddrLocal(fd)
	dst := net.UDPAddrFromAddrPort(local)
	if _, err := bad.WriteTo([]byte("forged"), dst); err != nil {
		t.Fatal(err)
	}
	if _, err := good.WriteTo([]byte("hello"), dst); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	n, _, from, e := p.SockRecvFrom(bg, fd, [][]byte{buf}, 0)
	if e != ESUCCESS || string(buf[:n]) != "hello" || from != goodAddr {
		t.Fatalf("recv = %q from %v, %v", buf[:n], from, e)
	}
	if bytes.Contains(buf, []byte("forged")) {
		t.Fatal("the refused datagram reached guest memory")
	}
	if ev, ok := rec.denied(OpRecv); !ok || ev.Addr.Port() == goodAddr.Port() {
		t.Fatalf("denied recv audit = %+v, %v", ev, ok)
	}
	n, e = p.SockSendTo(bg, fd, [][]byte{[]byte("reply")}, 0, goodAddr)
	if e != ESUCCESS || n != 5 {
		t.Fatalf("send_to granted peer = %d, %v", n, e)
	}
}

// TestSandboxResolve: name resolution is off unless the policy allows it.
func TestSandboxResolve(t *testing.T) {
	rec := &recorder{}
	p, _ := newProc(t, Config{Auditor: rec, NetPolicy: policy(t, nil, nil, false).Net()})
	_, e := p.Resolve(bg, "127.0.0.1")
	wantE(t, "resolve when off", e, EACCES)
	if _, ok := rec.denied(OpResolve); !ok {
		t.Fatal("denied resolve not audited")
	}
	p2, _ := newProc(t, Config{})
	_, e = p2.Resolve(bg, "127.0.0.1")
	wantE(t, "resolve without policy", e, EACCES)
	p3, _ := newProc(t, Config{NetPolicy: policy(t, nil, nil, true).Net()})
	addrs, e := p3.Resolve(bg, "127.0.0.1") // a literal: no DNS traffic
	if e != ESUCCESS || len(addrs) != 1 || addrs[0].String() != "127.0.0.1" {
		t.Fatalf("resolve = %v, %v", addrs, e)
	}
}

// TestSandboxFiles: the file-policy adapter refuses paths outside the
// policy's mounts (EPERM) and writes below read-only ones (EROFS), before
// the file system is asked, and records both.
func TestSandboxFiles(t *testing.T) {
	rec := &recorder{}
	pol := &sandbox.Policy{Mounts: []sandbox.Mount{
		{HostPath: "/unused", GuestPath: "/data"},
		{HostPath: "/unused", GuestPath: "/etc", ReadOnly: true},
	}}
	p, dir := newProc(t, Config{Auditor: rec, FilePolicy: SandboxFiles(pol)})
	if err := os.WriteFile(dir+"/in.txt", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fd, e := p.PathOpen(context.Background(), dataFD, 0, "in.txt", 0, RightFDRead, 0, 0)
	wantE(t, "open inside", e, ESUCCESS)
	p.FDClose(fd)
	_, e = p.PathOpen(context.Background(), dataFD, 0, "../home/secret", 0, RightFDRead, 0, 0)
	wantE(t, "open outside every mount", e, EPERM)
	ev, ok := rec.denied(OpOpen)
	if !ok || ev.Path != "/home/secret" || !errors.Is(ev.Err, sandbox.ErrDenied) {
		t.Fatalf("denied open audit = %+v, %v", ev, ok)
	}
	_, e = p.PathOpen(context.Background(), dataFD, 0, "../../outside", 0, RightFDRead, 0, 0)
	wantE(t, "open above the root", e, EPERM)
	wantE(t, "mkdir in read-only mount", p.PathCreateDirectory(context.Background(), etcFD, "x"), EROFS)
	if ev, ok := rec.denied(OpMkdir); !ok || ev.Errno != EROFS {
		t.Fatalf("denied mkdir audit = %+v, %v", ev, ok)
	}
}

// TestSandboxAuditorRecords: allowed and denied operations, and quota
// hits, become JSON audit records with the decision and the reason.
func TestSandboxAuditorRecords(t *testing.T) {
	var log bytes.Buffer
	a := SandboxAuditor(sandbox.NewJSONAuditor(&log), sandbox.Subject{Module: "m.wasm", PID: 1, TID: 1})
	p, _ := newProc(t, Config{Auditor: a, MaxFDs: 6, NetPolicy: policy(t, nil, nil, false).Net()})
	ctx := WithThread(bg, p.MainThread())
	wantE(t, "mkdir", p.PathCreateDirectory(ctx, dataFD, "d"), ESUCCESS)
	wantE(t, "symlink", p.PathSymlink(ctx, "d", dataFD, "l"), ESUCCESS)
	fd, _ := p.SockOpen(ctx, "tcp", false)
	wantE(t, "connect", p.SockConnect(ctx, fd, netip.MustParseAddrPort("192.0.2.1:80")), EACCES)
	_, e := p.PathOpen(ctx, dataFD, 0, "f", vfs.OCreate, RightFDWrite, 0, 0)
	wantE(t, "create at the descriptor limit", e, EMFILE)
	out := log.String()
	for _, want := range []string{
		`"module":"m.wasm","pid":1,"tid":1,"op":"mkdir","path":"/data/d","decision":"allowed","result":"ok"`,
		`"op":"symlink","path":"/data/l","decision":"allowed"`,
		`"op":"connect","addr":"192.0.2.1:80","proto":"tcp","detail":"not granted: no connect rule matches","decision":"denied","result":"wasi errno acces"`,
		`"op":"quota","path":"/data/f","detail":"quota exceeded: open descriptors: requested 1, used 6 of 6","decision":"denied","result":"wasi errno mfile"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("audit log lacks %s:\n%s", want, out)
		}
	}
}

// TestSandboxQuotas: sockets, bytes written to files and bytes sent and
// received are charged; each limit has its errno and an audit record.
func TestSandboxQuotas(t *testing.T) {
	ln, target := loopbackListener(t)
	rec := &recorder{}
	acct := sandbox.NewAccount(sandbox.Limits{Sockets: 2, FileWriteBytes: 10, NetSendBytes: 6, NetRecvBytes: 3})
	pol := policy(t, []string{"tcp:" + target.String()}, nil, false)
	p, _ := newProc(t, Config{Auditor: rec, Quota: acct, NetPolicy: pol.Net()})

	// Files: a write that only partly fits is shortened, then EDQUOT.
	fd, e := p.PathOpen(context.Background(), dataFD, 0, "f", vfs.OCreate, RightFDWrite|RightFDSeek, 0, 0)
	wantE(t, "create", e, ESUCCESS)
	if n, e := p.FDWrite(bg, fd, [][]byte{[]byte("12345678"), []byte("90ab")}); e != ESUCCESS || n != 10 {
		t.Fatalf("write past the quota = %d, %v; want a 10-byte write", n, e)
	}
	_, e = p.FDWrite(bg, fd, [][]byte{[]byte("x")})
	wantE(t, "write at the quota", e, EDQUOT)
	_, e = p.FDPwrite(context.Background(), fd, [][]byte{[]byte("x")}, 0)
	wantE(t, "pwrite at the quota", e, EDQUOT)
	if ev, ok := rec.denied(OpQuota); !ok || ev.Errno != EDQUOT || !errors.Is(ev.Err, sandbox.ErrQuotaExceeded) {
		t.Fatalf("quota audit = %+v, %v", ev, ok)
	}
	// Growing a file takes room too: all or nothing.
	g, e := p.PathOpen(context.Background(), dataFD, 0, "g", vfs.OCreate, RightFDAllocate|RightFDFilestatSetSize|RightFDWrite, 0, 0)
	wantE(t, "create g", e, ESUCCESS)
	wantE(t, "allocate past the quota", p.FDAllocate(context.Background(), g, 0, 1<<20), EDQUOT)
	wantE(t, "extend past the quota", p.FDFilestatSetSize(context.Background(), g, 1<<30), EDQUOT)
	wantE(t, "shrink", p.FDFilestatSetSize(context.Background(), g, 0), ESUCCESS)
	// Standard output is not a file the guest opened: not charged.
	if _, e := p.FDWrite(bg, 1, [][]byte{[]byte("stdout")}); e != ESUCCESS {
		t.Fatalf("stdout write: %v", e)
	}

	// Sockets: two at a time.
	s1, e := p.SockOpen(context.Background(), "tcp", false)
	wantE(t, "socket 1", e, ESUCCESS)
	s2, e := p.SockOpen(context.Background(), "udp", false)
	wantE(t, "socket 2", e, ESUCCESS)
	_, e = p.SockOpen(context.Background(), "tcp", false)
	wantE(t, "socket 3", e, EMFILE)
	p.FDClose(s2)
	s3, e := p.SockOpen(context.Background(), "tcp", false)
	wantE(t, "socket after a close", e, ESUCCESS)
	p.FDClose(s3)

	// Bytes sent and received.
	wantE(t, "connect", p.SockConnect(bg, s1, target), ESUCCESS)
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if n, e := p.SockSend(bg, s1, [][]byte{[]byte("abcd")}, 0); e != ESUCCESS || n != 4 {
		t.Fatalf("send = %d, %v", n, e)
	}
	if n, e := p.FDWrite(bg, s1, [][]byte{[]byte("efgh")}); e != ESUCCESS || n != 2 {
		t.Fatalf("fd_write on a socket past the quota = %d, %v; want 2", n, e)
	}
	_, e = p.SockSend(bg, s1, [][]byte{[]byte("i")}, 0)
	wantE(t, "send at the quota", e, EDQUOT)
	conn.Write([]byte("12345"))
	buf := make([]byte, 8)
	if n, _, e := p.SockRecv(bg, s1, [][]byte{buf}, RecvWaitAll); e != ESUCCESS || n != 3 {
		t.Fatalf("recv past the quota = %d, %v; want 3", n, e)
	}
	_, _, e = p.SockRecv(bg, s1, [][]byte{buf}, 0)
	wantE(t, "recv at the quota", e, EDQUOT)
	if u := acct.Usage(); u.FileWriteBytes != 10 || u.NetSendBytes != 6 || u.NetRecvBytes != 3 || u.Sockets != 1 {
		t.Fatalf("usage = %+v", u)
	}
	p.Close()
	if u := acct.Used(sandbox.ResSockets); u != 0 {
		t.Fatalf("sockets in use after Close = %d", u)
	}
}

// TestBlockingCallsCancellable: fd_read on a pipe, sock_accept and
// sock_recv end with ECANCELED when their context ends or the process is
// closed, and leave no goroutine or descriptor behind.
func TestBlockingCallsCancellable(t *testing.T) {
	baseFDs, baseG := testsuite.OpenFDs(t), runtime.NumGoroutine()
	func() {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		defer w.Close()
		pol := policy(t, nil, []string{"tcp:127.0.0.1:0"}, false)
		p, _ := newProc(t, Config{Stdin: r, NetPolicy: pol.Net()})
		lfd, _ := p.SockOpen(context.Background(), "tcp", false)
		wantE(t, "bind", p.SockBind(context.Background(), lfd, netip.MustParseAddrPort("127.0.0.1:0")), ESUCCESS)
		wantE(t, "listen", p.SockListen(context.Background(), lfd, 0), ESUCCESS)
		local, _ := p.SockAddrLocal(lfd)
		conn, err := net.Dial("tcp", local.String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		cfd, e := p.SockAccept(bg, lfd, 0)
		wantE(t, "accept", e, ESUCCESS)

		blocked := map[string]func(ctx context.Context) Errno{
			"fd_read on a pipe": func(ctx context.Context) Errno {
				_, e := p.FDRead(ctx, 0, [][]byte{make([]byte, 4)})
				return e
			},
			"sock_accept": func(ctx context.Context) Errno {
				_, e := p.SockAccept(ctx, lfd, 0)
				return e
			},
			"sock_recv": func(ctx context.Context) Errno {
				_, _, e := p.SockRecv(ctx, cfd, [][]byte{make([]byte, 4)}, 0)
				return e
			},
			"poll_oneoff on a pipe": func(ctx context.Context) Errno {
				_, e := p.PollOneoff(ctx, []Subscription{{Type: EventFDRead, FD: 0}})
				return e
			},
			"poll_oneoff on a clock": func(ctx context.Context) Errno {
				_, e := p.PollOneoff(ctx, []Subscription{{Type: EventClock, Clock: ClockMonotonic, Timeout: 1 << 62}})
				return e
			},
			"fd_read on a socket": func(ctx context.Context) Errno {
				_, e := p.FDRead(ctx, cfd, [][]byte{make([]byte, 4)})
				return e
			},
		}
		for name, call := range blocked {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan Errno)
			go func() { done <- call(ctx) }()
			cancel()
			wantE(t, name+" after cancel", <-done, ECANCELED)
		}
		// A deadline, and closing the process, end a wait the same way.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		wantE(t, "fd_read past a deadline", blocked["fd_read on a pipe"](ctx), ECANCELED)
		done := make(chan Errno)
		go func() { done <- blocked["sock_recv"](context.Background()) }()
		clock := make(chan Errno)
		go func() { clock <- blocked["poll_oneoff on a clock"](context.Background()) }()
		p.Close()
		// ECANCELED if the call was waiting, EBADF if it started after
		// Close; either way it returns.
		if e := <-done; e != ECANCELED && e != EBADF {
			t.Errorf("sock_recv across Close: %v", e)
		}
		wantE(t, "poll_oneoff on a clock across Close", <-clock, ECANCELED)
	}()
	if n := testsuite.OpenFDs(t); n != baseFDs {
		t.Errorf("host descriptors: %d after, %d before", n, baseFDs)
	}
	waitGoroutines(t, baseG)
}

// waitGoroutines waits (up to a generous bound, for goroutines that are
// still returning) until no more than base goroutines run.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	for i := 0; i < 500 && runtime.NumGoroutine() > base; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

// TestEscapeAuditedAsDenial: a path the file system refuses because it
// leaves its mount (here through a symbolic link, which no lexical policy
// sees) is recorded as a denial; a rename is checked at both ends.
func TestEscapeAuditedAsDenial(t *testing.T) {
	rec := &recorder{}
	pol := &sandbox.Policy{Mounts: []sandbox.Mount{{HostPath: "/unused", GuestPath: "/data"}, {HostPath: "/unused", GuestPath: "/etc"}}}
	p, dir := newProc(t, Config{Auditor: rec, FilePolicy: SandboxFiles(pol)})
	if err := os.Symlink("/", dir+"/root"); err != nil {
		t.Fatal(err)
	}
	_, e := p.PathOpen(context.Background(), dataFD, vfs.FollowSymlinks, "root/etc/passwd", 0, RightFDRead, 0, 0)
	wantE(t, "open through an escaping symlink", e, EPERM)
	ev, ok := rec.denied(OpOpen)
	if !ok || ev.Path != "/data/root/etc/passwd" || !errors.Is(ev.Err, ErrConfined) {
		t.Fatalf("escape audit = %+v, %v", ev, ok)
	}
	if err := os.WriteFile(dir+"/mine", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	wantE(t, "rename from outside the mounts", p.PathRename(context.Background(), dataFD, "../home/x", dataFD, "y"), EPERM)
	wantE(t, "rename to outside the mounts", p.PathRename(context.Background(), dataFD, "mine", dataFD, "../home/x"), EPERM)
	if ev, ok := rec.denied(OpRename); !ok || ev.Path != "/home/x" || !errors.Is(ev.Err, sandbox.ErrDenied) {
		t.Fatalf("rename audit = %+v, %v", ev, ok)
	}
}

// TestConnectCancellable: a connect that cannot complete (the peer's
// accept queue is full, so its SYNs are dropped) ends with ECANCELED when
// the context does.
func TestConnectCancellable(t *testing.T) {
	lfd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(lfd)
	if err := unix.Bind(lfd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Skipf("no loopback networking: %v", err)
	}
	if err := unix.Listen(lfd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(lfd)
	target := addrPort(sa)
	pol := policy(t, []string{"tcp:" + target.String()}, nil, false)
	p, _ := newProc(t, Config{NetPolicy: pol.Net()})
	// Fill the accept queue (nobody accepts) with non-blocking connects
	// until one stays pending.
	for i := 0; i < 8; i++ {
		fd, _ := p.SockOpen(context.Background(), "tcp", false)
		p.FDFdstatSetFlags(fd, vfs.FDNonblock)
		if e := p.SockConnect(bg, fd, target); e == EINPROGRESS || e == EAGAIN {
			break
		}
	}
	fd, _ := p.SockOpen(context.Background(), "tcp", false)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	wantE(t, "connect to a full accept queue", p.SockConnect(ctx, fd, target), ECANCELED)
}

// TestSandboxFilesReadOnlyPolicy: a mount the policy makes read-only
// refuses every modification (EROFS, audited) even where the file system
// itself would allow it: opening for writing, truncating, setting times
// by path or through a descriptor opened for reading.
func TestSandboxFilesReadOnlyPolicy(t *testing.T) {
	rec := &recorder{}
	pol := &sandbox.Policy{Mounts: []sandbox.Mount{
		{HostPath: "/unused", GuestPath: "/data", ReadOnly: true},
		{HostPath: "/unused", GuestPath: "/etc", ReadOnly: true},
	}}
	p, dir := newProc(t, Config{Auditor: rec, FilePolicy: SandboxFiles(pol)})
	if err := os.WriteFile(dir+"/f", []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(dir + "/f")
	if err != nil {
		t.Fatal(err)
	}
	fd, e := p.PathOpen(context.Background(), dataFD, 0, "f", 0, RightFDRead, 0, 0)
	wantE(t, "open for reading", e, ESUCCESS)
	p.FDClose(fd)
	_, e = p.PathOpen(context.Background(), dataFD, 0, "f", 0, RightFDWrite, 0, 0)
	wantE(t, "open for writing", e, EROFS)
	if ev, ok := rec.denied(OpOpenWrite); !ok || ev.Path != "/data/f" || ev.Errno != EROFS {
		t.Fatalf("denied open-for-write audit = %+v, %v", ev, ok)
	}
	_, e = p.PathOpen(context.Background(), dataFD, 0, "f", vfs.OTruncate, RightFDRead, 0, 0)
	wantE(t, "open with truncation", e, EROFS)
	wantE(t, "set times", p.PathFilestatSetTimes(context.Background(), dataFD, 0, "f", 0, 0, FSTMtim), EROFS)
	if ev, ok := rec.denied(OpSetTimes); !ok || ev.Path != "/data/f" || ev.Errno != EROFS {
		t.Fatalf("denied set-times audit = %+v, %v", ev, ok)
	}
	fd, e = p.PathOpen(context.Background(), dataFD, 0, "f", 0, RightFDRead|RightFDFilestatSetTimes, 0, 0)
	wantE(t, "open for reading with the set-times right", e, ESUCCESS)
	wantE(t, "set times through a descriptor", p.FDFilestatSetTimes(context.Background(), fd, 0, 0, FSTMtim), EROFS)
	p.FDClose(fd)
	wantE(t, "set times of the mount point", p.FDFilestatSetTimes(context.Background(), dataFD, 0, 0, FSTMtim), EROFS)
	after, err := os.Stat(dir + "/f")
	if err != nil {
		t.Fatal(err)
	}
	if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("file changed: size %d -> %d, mtime %v -> %v", before.Size(), after.Size(), before.ModTime(), after.ModTime())
	}
}

// TestSandboxFileEntriesQuota: every entry the guest creates (directory,
// file, symbolic or hard link) counts against Limits.FileEntries; beyond
// it creation fails with EDQUOT, audited, and nothing is created, while
// opening an existing file with O_CREAT is not a creation.
func TestSandboxFileEntriesQuota(t *testing.T) {
	rec := &recorder{}
	acct := sandbox.NewAccount(sandbox.Limits{FileEntries: 4})
	p, dir := newProc(t, Config{Auditor: rec, Quota: acct})
	wantE(t, "mkdir", p.PathCreateDirectory(context.Background(), dataFD, "d"), ESUCCESS)
	fd, e := p.PathOpen(context.Background(), dataFD, 0, "f", vfs.OCreate, RightFDWrite, 0, 0)
	wantE(t, "create", e, ESUCCESS)
	p.FDClose(fd)
	wantE(t, "symlink", p.PathSymlink(context.Background(), "f", dataFD, "s"), ESUCCESS)
	wantE(t, "link", p.PathLink(context.Background(), dataFD, 0, "f", dataFD, "h"), ESUCCESS)
	if used := acct.Used(sandbox.ResFileEntries); used != 4 {
		t.Fatalf("%d entries charged, want 4", used)
	}
	fd, e = p.PathOpen(context.Background(), dataFD, 0, "f", vfs.OCreate, RightFDWrite, 0, 0)
	wantE(t, "O_CREAT of an existing file at the quota", e, ESUCCESS)
	p.FDClose(fd)
	wantE(t, "mkdir at the quota", p.PathCreateDirectory(context.Background(), dataFD, "d2"), EDQUOT)
	_, e = p.PathOpen(context.Background(), dataFD, 0, "f2", vfs.OCreate, RightFDWrite, 0, 0)
	wantE(t, "create at the quota", e, EDQUOT)
	wantE(t, "symlink at the quota", p.PathSymlink(context.Background(), "f", dataFD, "s2"), EDQUOT)
	wantE(t, "link at the quota", p.PathLink(context.Background(), dataFD, 0, "f", dataFD, "h2"), EDQUOT)
	for _, name := range []string{"d2", "f2", "s2", "h2"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was created past the quota", name)
		}
	}
	if ev, ok := rec.denied(OpQuota); !ok || ev.Errno != EDQUOT || ev.Path != "/data/d2" {
		t.Errorf("quota record = %+v, %v", ev, ok)
	}
	// A failed creation does not use up the quota.
	acct2 := sandbox.NewAccount(sandbox.Limits{FileEntries: 1})
	p2, _ := newProc(t, Config{Quota: acct2})
	wantE(t, "mkdir in a missing directory", p2.PathCreateDirectory(context.Background(), dataFD, "no/such"), ENOENT)
	wantE(t, "mkdir", p2.PathCreateDirectory(context.Background(), dataFD, "x"), ESUCCESS)
}
