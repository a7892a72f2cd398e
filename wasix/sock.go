package wasix

import (
	"context"
	"net/netip"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
	"github.com/kilnrt/kiln/wasi"
)

// WASIX socket enumerations (api_wasix.h).
const (
	afInet4 = 1
	afInet6 = 2

	sockStream    = 1
	sockDgram     = 2
	sockRaw       = 3
	sockSeqpacket = 4

	protoDefault = 0
	protoTCP     = 6
	protoUDP     = 17
)

// The socket functions are thin: the kernel checks the network policy,
// charges quotas, audits, and makes every blocking call cancellable. Here
// arguments are narrowed and decoded, and every result location is
// checked before anything is done that could not be returned (a socket,
// an accepted connection, received bytes).

// interruptibleCall runs a socket call that may block so that a signal
// for the guest's handler ends the wait with EINTR, as it ends a blocked
// POSIX socket call (a connect so interrupted goes on asynchronously).
func interruptibleCall(ctx context.Context, t *wasi.Thread, call func(context.Context) kernel.Errno) kernel.Errno {
	wctx, intr, stop := interruptible(ctx, t)
	defer stop()
	e := call(wctx)
	if e == kernel.ECANCELED && intr() {
		return kernel.EINTR
	}
	return e
}

// socketType decodes sock_open's and sock_pair's type and protocol into
// "tcp" or "udp".
func socketType(typ, proto uint64) (string, kernel.Errno) {
	var network string
	var want uint64
	switch typ {
	case sockStream:
		network, want = "tcp", protoTCP
	case sockDgram:
		network, want = "udp", protoUDP
	case sockRaw, sockSeqpacket:
		return "", kernel.ENOTSUP
	default:
		return "", kernel.EINVAL
	}
	if proto != protoDefault && proto != want {
		return "", kernel.EPROTONOSUPPORT
	}
	return network, kernel.ESUCCESS
}

// sockOpen is sock_open(af, socktype, proto, fd *fd): an IPv4 or IPv6
// TCP or UDP socket (other families are EAFNOSUPPORT, raw and
// sequenced-packet sockets ENOTSUP).
func sockOpen(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	network, e := socketType(a[1], a[2])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if a[0] != afInet4 && a[0] != afInet6 {
		return kernel.EAFNOSUPPORT, nil
	}
	if e := checkResults(m, a[3]); e != kernel.ESUCCESS {
		return e, nil
	}
	fd, e := t.Process().SockOpen(ctx, network, a[0] == afInet6)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32(a[3], fd), nil
}

// sockPair is sock_pair(af, socktype, proto, fd0 *fd, fd1 *fd): two
// connected sockets, whatever the family (the pair reaches nothing
// outside the process).
func sockPair(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	network, e := socketType(a[1], a[2])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if a[0] > 0xff {
		return kernel.EINVAL, nil
	}
	if e := checkResults(m, a[3], a[4]); e != kernel.ESUCCESS {
		return e, nil
	}
	fd0, fd1, e := t.Process().SockPair(ctx, network == "tcp")
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32Pair(a[3], fd0, a[4], fd1), nil
}

// sockBind is sock_bind(fd, addr *addr_port).
func sockBind(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	ap, e := readAddrPort(m, a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return t.Process().SockBind(ctx, uint32(a[0]), ap), nil
}

// sockConnect is sock_connect(fd, addr *addr_port).
func sockConnect(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	ap, e := readAddrPort(m, a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return interruptibleCall(ctx, t, func(ctx context.Context) kernel.Errno {
		return t.Process().SockConnect(ctx, uint32(a[0]), ap)
	}), nil
}

// sockListen is sock_listen(fd, backlog size): a backlog of 0 or above
// 4096 is the kernel's default.
func sockListen(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return t.Process().SockListen(ctx, uint32(a[0]), int(min(a[1], 1<<20))), nil
}

// sockAccept is sock_accept_v2(fd, fdflags, fd *fd, addr *addr_port), also
// served as wasix_32v1's sock_accept: both result locations are checked
// before a connection is taken.
func sockAccept(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if a[1] > 0xffff {
		return kernel.EINVAL, nil
	}
	if e := checkResults(m, a[2]); e != kernel.ESUCCESS {
		return e, nil
	}
	if e := checkAddrPort(m, a[3]); e != kernel.ESUCCESS {
		return e, nil
	}
	var fd kernel.FD
	var peer netip.AddrPort
	e := interruptibleCall(ctx, t, func(ctx context.Context) (e kernel.Errno) {
		fd, peer, e = t.Process().SockAcceptFrom(ctx, uint32(a[0]), vfs.FDFlags(a[1]))
		return e
	})
	if e != kernel.ESUCCESS {
		return e, nil
	}
	m.PutU32(a[2], fd)
	return putAddrPort(m, a[3], peer), nil
}

// recvResults checks the result locations of sock_recv and
// sock_recv_from: a size (pointer-sized) and roflags (u16).
func recvResults(m wasi.Mem, sizePtr, flagsPtr uint64) kernel.Errno {
	if _, e := m.Bytes(sizePtr, m.PtrSize()); e != kernel.ESUCCESS {
		return e
	}
	_, e := m.Bytes(flagsPtr, 2)
	return e
}

// sockRecv is sock_recv(fd, iovs, iovs_len, riflags, size *size, roflags
// *roflags) with WASIX's riflags (PEEK, WAITALL, DATA_TRUNCATED,
// DONT_WAIT).
func sockRecv(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return recvFrom(ctx, t, m, a, false)
}

// sockRecvFrom is sock_recv_from(fd, iovs, iovs_len, riflags, size *size,
// roflags *roflags, addr *addr_port).
func sockRecvFrom(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return recvFrom(ctx, t, m, a, true)
}

func recvFrom(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64, from bool) (kernel.Errno, error) {
	if a[3] > 0xffff {
		return kernel.EINVAL, nil
	}
	if e := recvResults(m, a[4], a[5]); e != kernel.ESUCCESS {
		return e, nil
	}
	if from {
		if e := checkAddrPort(m, a[6]); e != kernel.ESUCCESS {
			return e, nil
		}
	}
	bufs, e := m.Iovecs(a[1], a[2])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	var n int
	var ro kernel.ROFlags
	var peer netip.AddrPort
	e = interruptibleCall(ctx, t, func(ctx context.Context) (e kernel.Errno) {
		n, ro, peer, e = t.Process().SockRecvFrom(ctx, uint32(a[0]), bufs, kernel.RIFlags(a[3]))
		return e
	})
	if e != kernel.ESUCCESS {
		return e, nil
	}
	m.PutPtr(a[4], uint64(n))
	m.PutU16(a[5], uint16(ro))
	if from {
		return putAddrPort(m, a[6], peer), nil
	}
	return kernel.ESUCCESS, nil
}

// sockSend is sock_send(fd, iovs, iovs_len, siflags, size *size) with
// WASIX's siflags (SEND_DONT_WAIT).
func sockSend(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if a[3] > 0xffff {
		return kernel.EINVAL, nil
	}
	if _, e := m.Bytes(a[4], m.PtrSize()); e != kernel.ESUCCESS {
		return e, nil
	}
	bufs, e := m.Iovecs(a[1], a[2])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	var n int
	e = interruptibleCall(ctx, t, func(ctx context.Context) (e kernel.Errno) {
		n, e = t.Process().SockSend(ctx, uint32(a[0]), bufs, uint16(a[3]))
		return e
	})
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutPtr(a[4], uint64(n)), nil
}

// sockSendTo is sock_send_to(fd, iovs, iovs_len, siflags, addr
// *addr_port, size *size).
func sockSendTo(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if a[3] > 0xffff {
		return kernel.EINVAL, nil
	}
	ap, e := readAddrPort(m, a[4])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(a[5], m.PtrSize()); e != kernel.ESUCCESS {
		return e, nil
	}
	bufs, e := m.Iovecs(a[1], a[2])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	var n int
	e = interruptibleCall(ctx, t, func(ctx context.Context) (e kernel.Errno) {
		n, e = t.Process().SockSendTo(ctx, uint32(a[0]), bufs, uint16(a[3]), ap)
		return e
	})
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutPtr(a[5], uint64(n)), nil
}

// sockSendFile is sock_send_file(out, in, i64 offset, i64 count, sent
// *u64).
func sockSendFile(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if _, e := m.Bytes(a[4], 8); e != kernel.ESUCCESS {
		return e, nil
	}
	var n uint64
	e := interruptibleCall(ctx, t, func(ctx context.Context) (e kernel.Errno) {
		n, e = t.Process().SockSendFile(ctx, uint32(a[0]), uint32(a[1]), a[2], a[3])
		return e
	})
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU64(a[4], n), nil
}

// sockShutdown is sock_shutdown(fd, sdflags): RD 1, WR 2 or both.
func sockShutdown(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if a[1] > 0xff {
		return kernel.EINVAL, nil
	}
	return t.Process().SockShutdown(uint32(a[0]), kernel.SDFlags(a[1])), nil
}

// sockStatus is sock_status(fd, status *u8).
func sockStatus(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if _, e := m.Bytes(a[1], 1); e != kernel.ESUCCESS {
		return e, nil
	}
	st, e := t.Process().SockStatus(uint32(a[0]))
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU8(a[1], uint8(st)), nil
}

// sockAddrLocal is sock_addr_local(fd, addr *addr_port): getsockname, so
// after binding port 0 it reports the port the host chose.
func sockAddrLocal(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return sockAddr(m, a, t.Process().SockAddrLocal), nil
}

// sockAddrPeer is sock_addr_peer(fd, addr *addr_port): getpeername.
func sockAddrPeer(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return sockAddr(m, a, t.Process().SockAddrPeer), nil
}

// sockAddr writes the address get reports for the socket a[0] at a[1].
func sockAddr(m wasi.Mem, a []uint64, get func(kernel.FD) (netip.AddrPort, kernel.Errno)) kernel.Errno {
	if e := checkAddrPort(m, a[1]); e != kernel.ESUCCESS {
		return e
	}
	ap, e := get(uint32(a[0]))
	if e != kernel.ESUCCESS {
		return e
	}
	return putAddrPort(m, a[1], ap)
}

// sockMulticastV4 is sock_join_multicast_v4 and sock_leave_multicast_v4
// (fd, group *addr_ip4, iface *addr_ip4).
func sockMulticastV4(join bool) func(context.Context, *wasi.Thread, wasi.Mem, []uint64) (kernel.Errno, error) {
	return func(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
		group, e := readAddrIP4(m, a[1])
		if e != kernel.ESUCCESS {
			return e, nil
		}
		iface, e := readAddrIP4(m, a[2])
		if e != kernel.ESUCCESS {
			return e, nil
		}
		return t.Process().SockMulticast(ctx, uint32(a[0]), group, iface, 0, join), nil
	}
}

// sockMulticastV6 is sock_join_multicast_v6 and sock_leave_multicast_v6
// (fd, group *addr_ip6, interface index u32).
func sockMulticastV6(join bool) func(context.Context, *wasi.Thread, wasi.Mem, []uint64) (kernel.Errno, error) {
	return func(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
		group, e := readAddrIP6(m, a[1])
		if e != kernel.ESUCCESS {
			return e, nil
		}
		return t.Process().SockMulticast(ctx, uint32(a[0]), group, group, uint32(a[2]), join), nil
	}
}

// maxHostName is the longest name resolve accepts (a DNS name is at most
// 253 characters).
const maxHostName = 255

// resolve is resolve(host, host_len, port, addrs *addr_ip, naddrs, n
// *size): name resolution if the network policy allows it (the kernel
// asks it and audits). It writes as many addresses as fit and their
// number; the port hint is not used.
func resolve(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	host, e := m.Path(a[0], a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if len(host) == 0 || len(host) > maxHostName {
		return kernel.EINVAL, nil
	}
	if a[4] > m.Len() {
		return kernel.EFAULT, nil
	}
	if _, e := m.Bytes(a[3], a[4]*addrIPSize); e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(a[5], m.PtrSize()); e != kernel.ESUCCESS {
		return e, nil
	}
	addrs, e := t.Process().Resolve(ctx, host)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	n := min(uint64(len(addrs)), a[4])
	for i := uint64(0); i < n; i++ {
		putAddrIP(m, a[3]+i*addrIPSize, addrs[i])
	}
	return m.PutPtr(a[5], n), nil
}
