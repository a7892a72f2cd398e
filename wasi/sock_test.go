package wasi_test

import (
	"io"
	"net"
	"os"
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// TestSockets drives a preopened TCP listener through the sock_*
// functions: accept, receive, send, shut down.
func TestSockets(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback TCP: %v", err)
	}
	defer ln.Close()
	lf, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	h := newHarness(t, wasi.Config{Sockets: []*os.File{lf}})

	st := h.alloc(24)
	h.must("fd_fdstat_get", 3, st)
	if h.mem[st] != 6 { // socket_stream
		t.Errorf("listener filetype %d, want socket_stream (6)", h.mem[st])
	}
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if _, err := client.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}

	out := h.alloc(4)
	h.must("sock_accept", 3, 0, out)
	conn := uint64(h.u32(out))
	if e := h.call("sock_accept", 3, 0x8000, out); e != kernel.EINVAL {
		t.Errorf("sock_accept with unknown flags = %v, want inval", e)
	}

	buf := h.alloc(16)
	n, flags := h.alloc(4), h.alloc(2)
	h.must("sock_recv", conn, h.iovec(buf, 16), 1, 1 /* peek */, n, flags)
	h.must("sock_recv", conn, h.iovec(buf, 16), 1, 0, n, flags) // consumes what peek saw
	if got := string(h.mem[buf : buf+uint64(h.u32(n))]); got != "ping" || h.u16(flags) != 0 {
		t.Errorf("sock_recv = %q, flags %d", got, h.u16(flags))
	}
	p, l := h.str("pong")
	h.must("sock_send", conn, h.iovec(p, l), 1, 0, n)
	if h.u32(n) != 4 {
		t.Errorf("sock_send sent %d", h.u32(n))
	}
	if e := h.call("sock_send", conn, h.iovec(p, l), 1, 1, n); e != kernel.EINVAL {
		t.Errorf("sock_send with flags = %v, want inval", e)
	}
	h.must("sock_shutdown", conn, 2 /* wr */)
	if e := h.call("sock_shutdown", conn, 4); e != kernel.EINVAL {
		t.Errorf("sock_shutdown(4) = %v, want inval", e)
	}
	got, err := io.ReadAll(client)
	if err != nil || string(got) != "pong" {
		t.Errorf("client read %q, %v", got, err)
	}
	h.must("fd_close", conn)
}
