//go:build linux

package wasix_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
)

// Guest locations of sock.wat.
const (
	addrA    = 0x200
	addrB    = 0x300
	dataBuf  = 0x400
	hostBuf  = 0x700
	outOfMem = 0xfffe
)

// WASIX constants the tests pass.
const (
	afInet4, afInet6         = 1, 2
	sockStream, sockDgram    = 1, 2
	optNoDelay, optListening = 3, 10
	optPromiscuous           = 9
	optLastError             = 11
	optRecvBuf, optType      = 15, 25
	optRecvTimeout           = 19
	recvDontWait             = 8
	sendDontWait             = 1
)

// putAddr lays out ap as an addr_port at guest address at.
func (g *guestModule) putAddr(at int, ap netip.AddrPort) {
	b := g.bytes(at, 110)
	clear(b)
	binary.LittleEndian.PutUint16(b[2:], ap.Port())
	if a := ap.Addr(); a.Is4() {
		b[0] = afInet4
		a4 := a.As4()
		copy(b[4:], a4[:])
	} else {
		b[0] = afInet6
		a16 := a.As16()
		copy(b[4:], a16[:])
	}
}

// addr reads the addr_port at guest address at.
func (g *guestModule) addr(at int) netip.AddrPort {
	b := g.bytes(at, 110)
	port := binary.LittleEndian.Uint16(b[2:])
	switch b[0] {
	case afInet4:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[4:8])), port)
	case afInet6:
		return netip.AddrPortFrom(netip.AddrFrom16([16]byte(b[4:20])), port)
	}
	return netip.AddrPort{}
}

// open opens a socket and fails the test unless it worked.
func (g *guestModule) open(af, typ uint64) uint64 {
	g.t.Helper()
	r := g.call("open", af, typ, 0)
	if r[0] != 0 {
		g.t.Fatalf("sock_open(%d, %d): errno %d", af, typ, r[0])
	}
	return r[1]
}

// listener opens a TCP socket listening on addr (port 0: the host's
// choice) and returns it with the address sock_addr_local reports.
func (g *guestModule) listener(af uint64, addr string) (uint64, netip.AddrPort) {
	g.t.Helper()
	l := g.open(af, sockStream)
	g.putAddr(addrA, netip.MustParseAddrPort(addr))
	g.errno(kernel.ESUCCESS, "bind", l, addrA)
	g.errno(kernel.ESUCCESS, "listen", l, 0)
	g.errno(kernel.ESUCCESS, "local", l, addrB)
	return l, g.addr(addrB)
}

func TestSockTCPABI(t *testing.T) {
	var log auditLog
	g := loadWAT(t, "sock", wasi.Config{Policy: netPolicy(t, false), Auditor: &log})
	l, local := g.listener(afInet4, "127.0.0.1:0")
	if local.Addr() != netip.MustParseAddr("127.0.0.1") || local.Port() == 0 {
		t.Fatalf("sock_addr_local after binding port 0: %v, want 127.0.0.1 and the port the host chose", local)
	}
	if r := g.call("get_flag", l, optListening); r[0] != 0 || r[1] != 1 {
		t.Errorf("get_opt_flag(LISTENING) on a listener: %v", r)
	}
	if r := g.call("status", l); r[0] != 0 || r[1] != uint64(kernel.SockOpened) {
		t.Errorf("sock_status of a listener: %v", r)
	}

	// A host client; the accept must report its address.
	conn, err := net.Dial("tcp", local.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// An accept result that cannot be stored fails before the
	// connection is taken, so the next accept still gets it.
	g.errno(kernel.EFAULT, "accept_fd_at", l, outOfMem)
	r := g.call("accept", l, 0, addrA)
	if r[0] != 0 {
		t.Fatalf("sock_accept_v2: errno %d", r[0])
	}
	c := r[1]
	if got, want := g.addr(addrA), conn.LocalAddr().(*net.TCPAddr).AddrPort(); got != want {
		t.Errorf("sock_accept_v2 peer address %v, want %v", got, want)
	}
	g.errno(kernel.ESUCCESS, "peer", c, addrB)
	if got, want := g.addr(addrB), conn.LocalAddr().(*net.TCPAddr).AddrPort(); got != want {
		t.Errorf("sock_addr_peer %v, want %v", got, want)
	}

	// Nothing to read: DONT_WAIT answers EAGAIN on a blocking socket.
	if r := g.call("recv", c, 16, recvDontWait); kernel.Errno(r[0]) != kernel.EAGAIN {
		t.Errorf("sock_recv(DONT_WAIT) with nothing queued: %v, want EAGAIN", r)
	}
	// A receive timeout ends a blocking recv with EAGAIN.
	g.errno(kernel.ESUCCESS, "set_time", c, optRecvTimeout, 1, uint64(30*time.Millisecond))
	if r := g.call("get_time", c, optRecvTimeout); r[0] != 0 || r[1] != 1 || r[2] != uint64(30*time.Millisecond) {
		t.Errorf("get_opt_time(RECV_TIMEOUT): %v", r)
	}
	start := time.Now()
	if r := g.call("recv", c, 16, 0); kernel.Errno(r[0]) != kernel.EAGAIN {
		t.Errorf("sock_recv past its timeout: %v, want EAGAIN", r)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("30 ms receive timeout ended after %v", d)
	}
	g.errno(kernel.ESUCCESS, "set_time", c, optRecvTimeout, 0, 12345)
	if r := g.call("get_time", c, optRecvTimeout); r[0] != 0 || r[1] != 0 || r[2] != 0 {
		t.Errorf("get_opt_time after clearing: %v", r)
	}

	if _, err := conn.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	g.errno(kernel.EFAULT, "recv_size_at", c, outOfMem)
	if r := g.call("recv", c, 256, 0); r[0] != 0 || r[1] != 5 || r[2] != 0 || string(g.bytes(dataBuf, 5)) != "hello" {
		t.Errorf("sock_recv: %v %q", r, g.bytes(dataBuf, 5))
	}
	copy(g.bytes(dataBuf, 5), "HELLO")
	if r := g.call("send", c, 5, sendDontWait); r[0] != 0 || r[1] != 5 {
		t.Errorf("sock_send: %v", r)
	}
	buf := make([]byte, 5)
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != "HELLO" {
		t.Errorf("host read %q, %v", buf, err)
	}
	if r := g.call("status", c); r[0] != 0 || r[1] != uint64(kernel.SockOpened) {
		t.Errorf("sock_status of a connection: %v", r)
	}

	// Options.
	g.errno(kernel.ESUCCESS, "set_flag", c, optNoDelay, 1)
	if r := g.call("get_flag", c, optNoDelay); r[0] != 0 || r[1] != 1 {
		t.Errorf("get_opt_flag(NO_DELAY): %v", r)
	}
	g.errno(kernel.EINVAL, "set_flag", c, optNoDelay, 2)
	g.errno(kernel.EINVAL, "set_flag", c, optListening, 1)
	g.errno(kernel.ENOTSUP, "set_flag", c, optPromiscuous, 1)
	g.errno(kernel.EINVAL, "set_flag", c, optRecvBuf, 1)
	g.errno(kernel.ESUCCESS, "set_size", c, optRecvBuf, 32<<10)
	if r := g.call("get_size", c, optRecvBuf); r[0] != 0 || r[1] < 32<<10 {
		t.Errorf("get_opt_size(RECV_BUF_SIZE) after setting 32 KiB: %v", r)
	}
	g.errno(kernel.EINVAL, "set_size", c, optRecvBuf, 1<<40)
	if r := g.call("get_size", c, optType); r[0] != 0 || r[1] != sockStream {
		t.Errorf("get_opt_size(TYPE): %v", r)
	}

	// Shutting down writes gives the peer end of file.
	g.errno(kernel.ESUCCESS, "shutdown", c, 2)
	if n, err := conn.Read(buf); n != 0 || err != io.EOF {
		t.Errorf("host read after SHUT_WR: %d, %v", n, err)
	}
	g.errno(kernel.EINVAL, "shutdown", c, 4)

	// A guest client of the guest's listener, through wasix_32v1's
	// four-argument sock_accept; 0.0.0.0 as a target is the loopback
	// address, which the policy allows.
	cl := g.open(afInet4, sockStream)
	g.putAddr(addrA, netip.AddrPortFrom(netip.IPv4Unspecified(), local.Port()))
	g.errno(kernel.ESUCCESS, "connect", cl, addrA)
	r = g.call("accept4", l, 0, addrA)
	if r[0] != 0 {
		t.Fatalf("sock_accept: errno %d", r[0])
	}
	g.errno(kernel.ESUCCESS, "local", cl, addrB)
	if got := g.addr(addrA); got != g.addr(addrB) {
		t.Errorf("sock_accept peer %v, client's local address %v", got, g.addr(addrB))
	}
	for _, fd := range []uint64{cl, r[1], c, l} {
		g.errno(kernel.ESUCCESS, "close", fd)
	}
	if !log.saw(kernel.OpAccept) || !log.saw(kernel.OpListen) || !log.saw(kernel.OpBind) || !log.saw(kernel.OpConnect) {
		t.Errorf("audit: %+v", log.events)
	}
}

// TestSockPolicyABI: every address operation goes through the network
// policy (EACCES, audited), after normalisation.
func TestSockPolicyABI(t *testing.T) {
	var log auditLog
	g := loadWAT(t, "sock", wasi.Config{Policy: netPolicy(t, false), Auditor: &log})
	denied := func(op kernel.Op, addr string) {
		t.Helper()
		log.mu.Lock()
		defer log.mu.Unlock()
		for _, ev := range log.events {
			if ev.Op == op && !ev.Allowed && ev.Errno == kernel.EACCES && ev.Addr.String() == addr {
				return
			}
		}
		t.Errorf("no denial of %v %s audited: %+v", op, addr, log.events)
	}
	s := g.open(afInet4, sockStream)
	g.putAddr(addrA, netip.MustParseAddrPort("127.0.0.2:9"))
	g.errno(kernel.EACCES, "connect", s, addrA)
	denied(kernel.OpConnect, "127.0.0.2:9")
	g.putAddr(addrA, netip.MustParseAddrPort("0.0.0.0:0"))
	g.errno(kernel.EACCES, "bind", s, addrA)
	denied(kernel.OpBind, "0.0.0.0:0")

	// An IPv4-mapped address is its IPv4 address to the policy.
	s6 := g.open(afInet6, sockStream)
	g.putAddr(addrA, netip.MustParseAddrPort("[::ffff:127.0.0.2]:9"))
	g.errno(kernel.EACCES, "connect", s6, addrA)
	// [::] as a target is [::1], which the policy allows: the connect
	// reaches the host (refused there, or connected if something
	// listens), not the policy.
	g.putAddr(addrA, netip.MustParseAddrPort("[::]:1"))
	if e := kernel.Errno(g.call("connect", s6, addrA)[0]); e == kernel.EACCES {
		t.Errorf("connect to [::]:1 with [::1] allowed: EACCES")
	}

	// Never bound: listening is checked as on 0.0.0.0:0.
	g.errno(kernel.EACCES, "listen", s, 0)
	denied(kernel.OpListen, "0.0.0.0:0")

	u := g.open(afInet4, sockDgram)
	g.putAddr(addrA, netip.MustParseAddrPort("127.0.0.3:53"))
	if r := g.call("send_to", u, 4, 0, addrA); kernel.Errno(r[0]) != kernel.EACCES || r[1] != 0xdead {
		t.Errorf("send_to a refused address: %v", r)
	}
	denied(kernel.OpSend, "127.0.0.3:53")

	// Multicast: joining needs a bind rule for the group.
	g.putAddr(addrA, netip.MustParseAddrPort("127.0.0.1:0"))
	g.errno(kernel.ESUCCESS, "bind", u, addrA)
	copy(g.bytes(0x800, 4), []byte{239, 1, 2, 3})
	copy(g.bytes(0x804, 4), []byte{127, 0, 0, 1})
	g.errno(kernel.EACCES, "join4", u, 0x800, 0x804)
	copy(g.bytes(0x800, 4), []byte{127, 0, 0, 1})
	g.errno(kernel.EINVAL, "join4", u, 0x800, 0x804)
	g.errno(kernel.EFAULT, "join4", u, outOfMem, 0x804)
	copy(g.bytes(0x810, 16), netip.MustParseAddr("ff02::1:3").AsSlice())
	g.errno(kernel.EACCES, "join6", u, 0x810, 0)

	// Resolution is refused without a resolve rule.
	copy(g.bytes(hostBuf, 9), "localhost")
	if r := g.call("resolve", 9, 4, 0x600); kernel.Errno(r[0]) != kernel.EACCES {
		t.Errorf("resolve without a rule: %v", r)
	}
	if !log.saw(kernel.OpResolve) {
		t.Errorf("resolve refusal not audited")
	}
}

func TestSockArgsABI(t *testing.T) {
	g := loadWAT(t, "sock", wasi.Config{Policy: netPolicy(t, true), Limits: sandbox.Limits{Sockets: 3}})
	g.errno(kernel.EAFNOSUPPORT, "open_at", 3, sockStream, 0, 0x100)
	g.errno(kernel.ENOTSUP, "open_at", afInet4, 3, 0, 0x100)
	g.errno(kernel.EINVAL, "open_at", afInet4, 9, 0, 0x100)
	g.errno(kernel.EPROTONOSUPPORT, "open_at", afInet4, sockStream, 17, 0x100)
	g.errno(kernel.EFAULT, "open_at", afInet4, sockStream, 6, outOfMem)
	s := g.open(afInet4, sockStream)
	b := g.bytes(addrA, 110)
	b[0] = 3 // unix
	g.errno(kernel.EINVAL, "bind", s, addrA)
	g.errno(kernel.EFAULT, "bind", s, 0xffa0)
	g.errno(kernel.EFAULT, "local", s, 0xffa0)
	g.putAddr(addrA, netip.MustParseAddrPort("127.0.0.1:0"))
	g.errno(kernel.ENOTSOCK, "bind", 1, addrA)
	g.errno(kernel.EBADF, "listen", 77, 0)

	// sock_pair: a connected pair; with one socket open, the quota of 3
	// leaves room for it, not for a fourth.
	r := g.call("pair", afInet4, sockStream, 0)
	if r[0] != 0 {
		t.Fatalf("sock_pair: %v", r)
	}
	copy(g.bytes(dataBuf, 4), "ping")
	if w := g.call("send", r[1], 4, 0); w[0] != 0 || w[1] != 4 {
		t.Errorf("send on a pair: %v", w)
	}
	if rr := g.call("recv", r[2], 16, 0); rr[0] != 0 || rr[1] != 4 || string(g.bytes(dataBuf, 4)) != "ping" {
		t.Errorf("recv on a pair: %v", rr)
	}
	if r := g.call("open", afInet4, sockDgram, 0); kernel.Errno(r[0]) != kernel.EMFILE || r[1] != 0xdead {
		t.Errorf("a fourth socket with a quota of 3: %v, want EMFILE", r)
	}
	g.errno(kernel.ESUCCESS, "close", r[1])
	g.errno(kernel.ESUCCESS, "close", r[2])

	// resolve: localhost is a loopback address; zero room, zero results.
	copy(g.bytes(hostBuf, 9), "localhost")
	if r := g.call("resolve", 9, 4, 0x600); r[0] != 0 || r[1] < 1 || r[1] > 4 {
		t.Errorf("resolve localhost: %v", r)
	} else if b := g.bytes(0x600, 18); !(b[0] == afInet4 && b[2] == 127) && !(b[0] == afInet6 && b[17] == 1) {
		t.Errorf("resolve localhost: first entry % x", b)
	}
	if r := g.call("resolve", 9, 0, 0x600); r[0] != 0 || r[1] != 0 {
		t.Errorf("resolve with no room: %v", r)
	}
	g.errno(kernel.EINVAL, "resolve", 0, 4, 0x600)
	g.errno(kernel.EFAULT, "resolve", 9, 4, 0xfff0)
}

func TestSockUDPABI(t *testing.T) {
	g := loadWAT(t, "sock", wasi.Config{Policy: netPolicy(t, false)})
	u1, u2 := g.open(afInet4, sockDgram), g.open(afInet4, sockDgram)
	g.putAddr(addrA, netip.MustParseAddrPort("127.0.0.1:0"))
	g.errno(kernel.ESUCCESS, "bind", u1, addrA)
	g.errno(kernel.ESUCCESS, "bind", u2, addrA)
	if r := g.call("status", u2); r[0] != 0 || r[1] != uint64(kernel.SockOpened) {
		t.Errorf("sock_status of a bound UDP socket: %v", r)
	}
	g.errno(kernel.ESUCCESS, "local", u1, addrB)
	from := g.addr(addrB)
	g.errno(kernel.ESUCCESS, "local", u2, addrA)
	to := g.addr(addrA)
	copy(g.bytes(dataBuf, 7), "datagram")
	if r := g.call("send_to", u1, 7, 0, addrA); r[0] != 0 || r[1] != 7 {
		t.Fatalf("send_to: %v", r)
	}
	clear(g.bytes(dataBuf, 8))
	if r := g.call("recv_from", u2, 256, 0, addrB); r[0] != 0 || r[1] != 7 || string(g.bytes(dataBuf, 7)) != "datagra" {
		t.Errorf("recv_from: %v %q", r, g.bytes(dataBuf, 7))
	}
	if got := g.addr(addrB); got != from {
		t.Errorf("recv_from sender %v, want %v", got, from)
	}
	// A datagram longer than the buffer is truncated and says so.
	g.putAddr(addrA, to)
	g.call("send_to", u1, 8, 0, addrA)
	if r := g.call("recv_from", u2, 3, 0, addrB); r[0] != 0 || r[1] != 3 || r[2] != uint64(kernel.RecvDataTruncated) {
		t.Errorf("recv_from into a short buffer: %v, want 3 bytes and DATA_TRUNCATED", r)
	}
	if r := g.call("recv_from", u2, 16, recvDontWait, addrB); kernel.Errno(r[0]) != kernel.EAGAIN {
		t.Errorf("recv_from(DONT_WAIT) with nothing queued: %v", r)
	}
	g.errno(kernel.EFAULT, "recv_from", u2, 16, recvDontWait, 0xffa0)
}

// TestSockIPv6ABI: an IPv6 listener on [::1] and a client, and UDP over
// [::1], addresses in the inet6 layout.
func TestSockIPv6ABI(t *testing.T) {
	g := loadWAT(t, "sock", wasi.Config{Policy: netPolicy(t, false)})
	l := g.open(afInet6, sockStream)
	g.putAddr(addrA, netip.MustParseAddrPort("[::1]:0"))
	if e := kernel.Errno(g.call("bind", l, addrA)[0]); e == kernel.EADDRNOTAVAIL || e == kernel.EAFNOSUPPORT {
		t.Skipf("no IPv6 loopback: %v", e)
	} else if e != 0 {
		t.Fatalf("bind [::1]:0: %v", e)
	}
	g.errno(kernel.ESUCCESS, "listen", l, 4)
	g.errno(kernel.ESUCCESS, "local", l, addrA)
	local := g.addr(addrA)
	if local.Addr() != netip.IPv6Loopback() || local.Port() == 0 {
		t.Fatalf("local address %v", local)
	}
	c := g.open(afInet6, sockStream)
	g.errno(kernel.ESUCCESS, "connect", c, addrA)
	r := g.call("accept", l, 4, addrB) // FDFLAGS_NONBLOCK for the new socket
	if r[0] != 0 || g.addr(addrB).Addr() != netip.IPv6Loopback() {
		t.Fatalf("accept: %v %v", r, g.addr(addrB))
	}
	if e := kernel.Errno(g.call("recv", r[1], 4, 0)[0]); e != kernel.EAGAIN {
		t.Errorf("recv on a socket accepted NONBLOCK with nothing queued: %v", e)
	}

	// UDP over [::1]: the sender's inet6 address comes back.
	u1, u2 := g.open(afInet6, sockDgram), g.open(afInet6, sockDgram)
	g.putAddr(addrA, netip.MustParseAddrPort("[::1]:0"))
	g.errno(kernel.ESUCCESS, "bind", u1, addrA)
	g.errno(kernel.ESUCCESS, "bind", u2, addrA)
	g.errno(kernel.ESUCCESS, "local", u1, addrB)
	from := g.addr(addrB)
	g.errno(kernel.ESUCCESS, "local", u2, addrA)
	copy(g.bytes(dataBuf, 3), "six")
	if r := g.call("send_to", u1, 3, 0, addrA); r[0] != 0 || r[1] != 3 {
		t.Fatalf("send_to [::1]: %v", r)
	}
	if r := g.call("recv_from", u2, 16, 0, addrB); r[0] != 0 || r[1] != 3 || g.addr(addrB) != from {
		t.Errorf("recv_from over IPv6: %v from %v, want 3 bytes from %v", r, g.addr(addrB), from)
	}
}

// TestSockABI64 runs the socket calls through wasix_64v1 (64-bit
// pointers, backlog and size results).
func TestSockABI64(t *testing.T) {
	g := loadWAT(t, "sock64", wasi.Config{Policy: netPolicy(t, false)})
	r := g.call("open", afInet4, sockStream)
	if r[0] != 0 {
		t.Fatalf("sock_open: %v", r)
	}
	l := r[1]
	g.putAddr(addrA, netip.MustParseAddrPort("127.0.0.1:0"))
	g.errno(kernel.ESUCCESS, "bind", l, addrA)
	g.errno(kernel.ESUCCESS, "listen", l, 1<<40) // a huge backlog is the default
	g.errno(kernel.ESUCCESS, "local", l, addrA)
	if g.addr(addrA).Port() == 0 {
		t.Fatal("no port after bind")
	}
	c := g.call("open", afInet4, sockStream)[1]
	g.errno(kernel.ESUCCESS, "connect", c, addrA)
	r = g.call("accept", l, addrB)
	if r[0] != 0 {
		t.Fatalf("accept: %v", r)
	}
	copy(g.bytes(dataBuf, 3), "abc")
	if s := g.call("send", c, 3); s[0] != 0 || s[1] != 3 {
		t.Errorf("send: %v (the u64 result must be whole)", s)
	}
	if s := g.call("recv", r[1], 16); s[0] != 0 || s[1] != 3 || !bytes.Equal(g.bytes(dataBuf, 3), []byte("abc")) {
		t.Errorf("recv: %v", s)
	}
}

// TestSockAcceptEndsWithRun: a guest blocked in sock_accept_v2 stops when
// its run's context ends.
func TestSockAcceptEndsWithRun(t *testing.T) {
	g := loadWAT(t, "sock", wasi.Config{Policy: netPolicy(t, false)})
	l, _ := g.listener(afInet4, "127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := g.inst.Func("accept").Call(ctx, l, 0, addrA)
	if err == nil {
		t.Fatal("accept returned with no connection")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("accept ended %v after its deadline", d)
	}
}

// TestSockNonBlockingABI: a non-blocking listener and client. accept with
// nothing pending is EAGAIN; a connect returns at once (EINPROGRESS on
// Linux) and sock_status goes from OPENING to OPENED; a connect to a port
// nobody listens on is refused at once or ends FAILED with LAST_ERROR set.
func TestSockNonBlockingABI(t *testing.T) {
	g := loadWAT(t, "sock", wasi.Config{Policy: netPolicy(t, false)})
	l, local := g.listener(afInet4, "127.0.0.1:0")
	g.errno(kernel.ESUCCESS, "nonblock", l)
	if r := g.call("accept", l, 0, addrA); kernel.Errno(r[0]) != kernel.EAGAIN || r[1] != 0xdead {
		t.Errorf("non-blocking accept with nothing pending: %v, want EAGAIN", r)
	}
	// status polls sock_status until it leaves OPENING (at most 2 s).
	status := func(fd uint64) uint64 {
		for i := 0; i < 400; i++ {
			r := g.call("status", fd)
			if r[0] != 0 {
				t.Fatalf("sock_status: errno %d", r[0])
			}
			if r[1] != uint64(kernel.SockOpening) {
				return r[1]
			}
			time.Sleep(5 * time.Millisecond)
		}
		return uint64(kernel.SockOpening)
	}
	c := g.open(afInet4, sockStream)
	if r := g.call("status", c); r[1] != uint64(kernel.SockOpening) {
		t.Errorf("sock_status of a new socket: %v, want OPENING", r)
	}
	g.errno(kernel.ESUCCESS, "nonblock", c)
	g.putAddr(addrA, local)
	if e := kernel.Errno(g.call("connect", c, addrA)[0]); e != kernel.EINPROGRESS && e != kernel.ESUCCESS {
		t.Fatalf("non-blocking connect: %v", e)
	}
	if st := status(c); st != uint64(kernel.SockOpened) {
		t.Errorf("sock_status after the connect completed: %d, want OPENED", st)
	}
	if r := g.call("accept", l, 0, addrB); r[0] != 0 {
		t.Errorf("accept of the pending connection: %v", r)
	}

	// A port nobody listens on: take one and close it.
	probe := g.open(afInet4, sockStream)
	g.putAddr(addrA, netip.MustParseAddrPort("127.0.0.1:0"))
	g.errno(kernel.ESUCCESS, "bind", probe, addrA)
	g.errno(kernel.ESUCCESS, "local", probe, addrA)
	g.errno(kernel.ESUCCESS, "close", probe)
	f := g.open(afInet4, sockStream)
	g.errno(kernel.ESUCCESS, "nonblock", f)
	e := kernel.Errno(g.call("connect", f, addrA)[0])
	switch e {
	case kernel.ECONNREFUSED: // refused at once
	case kernel.EINPROGRESS:
		if st := status(f); st != uint64(kernel.SockFailed) {
			t.Errorf("sock_status after a refused non-blocking connect: %d, want FAILED", st)
		}
		if r := g.call("get_flag", f, optLastError); r[0] != 0 || r[1] != 1 {
			t.Errorf("get_opt_flag(LAST_ERROR) after the refusal: %v, want 1", r)
		}
	default:
		t.Errorf("non-blocking connect to a closed port: %v", e)
	}
}
