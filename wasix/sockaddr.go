package wasix

import (
	"net/netip"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// WASIX address layouts (api_wasix.h), little-endian like all of WASIX:
//
//	addr_port (110 bytes): u8 tag at 0; the variant at 2:
//	  inet4: u16 port at 2, 4 address bytes at 4 (network order)
//	  inet6: u16 port at 2, 16 address bytes at 4 (network order),
//	         flow info at 20 and scope id at 24 (two u16 each, high half first)
//	addr_ip (18 bytes, resolve): u8 tag at 0; 4 or 16 address bytes at 2
//	addr_ip4 (4 bytes), addr_ip6 (24 bytes: 16 address bytes, flow, scope)
//
// The port is the port number as a little-endian u16 (the ABI's type);
// Wasmer's implementation writes it big-endian, and wasix-libc accepts
// either. Flow info and scope id are written as 0 and ignored on input.
const (
	addrPortSize = 110
	addrIPSize   = 18
	addrIP6Size  = 24

	familyUnspec = 0
	familyInet4  = 1
	familyInet6  = 2
)

// readAddrPort reads an addr_port: EFAULT unless the whole structure is
// in memory, EINVAL for a family other than inet4 and inet6.
func readAddrPort(m wasi.Mem, ptr uint64) (netip.AddrPort, kernel.Errno) {
	b, e := m.Bytes(ptr, addrPortSize)
	if e != kernel.ESUCCESS {
		return netip.AddrPort{}, e
	}
	port := uint16(b[2]) | uint16(b[3])<<8
	switch b[0] {
	case familyInet4:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(b[4:8])), port), kernel.ESUCCESS
	case familyInet6:
		return netip.AddrPortFrom(netip.AddrFrom16([16]byte(b[4:20])), port), kernel.ESUCCESS
	}
	return netip.AddrPort{}, kernel.EINVAL
}

// checkAddrPort reports EFAULT unless an addr_port result fits at ptr.
func checkAddrPort(m wasi.Mem, ptr uint64) kernel.Errno {
	_, e := m.Bytes(ptr, addrPortSize)
	return e
}

// putAddrPort writes ap as an addr_port (tag unspec, all zero, when ap is
// not an IP address, such as the address of a sock_pair socket). IPv4 and
// IPv4-mapped addresses are written as inet4.
func putAddrPort(m wasi.Mem, ptr uint64, ap netip.AddrPort) kernel.Errno {
	b, e := m.Bytes(ptr, addrPortSize)
	if e != kernel.ESUCCESS {
		return e
	}
	clear(b)
	if !ap.IsValid() {
		return kernel.ESUCCESS
	}
	b[2], b[3] = byte(ap.Port()), byte(ap.Port()>>8)
	b[0] = putIP(b[4:], ap.Addr())
	return kernel.ESUCCESS
}

// putIP copies the bytes of a (IPv4 for an IPv4-mapped address) to b and
// returns its family tag.
func putIP(b []byte, a netip.Addr) byte {
	if a = a.Unmap(); a.Is4() {
		a4 := a.As4()
		copy(b, a4[:])
		return familyInet4
	}
	a16 := a.As16()
	copy(b, a16[:])
	return familyInet6
}

// putAddrIP writes a as an addr_ip (resolve's result entries).
func putAddrIP(m wasi.Mem, ptr uint64, a netip.Addr) kernel.Errno {
	b, e := m.Bytes(ptr, addrIPSize)
	if e != kernel.ESUCCESS {
		return e
	}
	clear(b)
	b[0] = putIP(b[2:], a)
	return kernel.ESUCCESS
}

// readAddrIP4 reads an addr_ip4.
func readAddrIP4(m wasi.Mem, ptr uint64) (netip.Addr, kernel.Errno) {
	b, e := m.Bytes(ptr, 4)
	if e != kernel.ESUCCESS {
		return netip.Addr{}, e
	}
	return netip.AddrFrom4([4]byte(b)), kernel.ESUCCESS
}

// readAddrIP6 reads an addr_ip6 (its address; flow info and scope id
// are not used).
func readAddrIP6(m wasi.Mem, ptr uint64) (netip.Addr, kernel.Errno) {
	b, e := m.Bytes(ptr, addrIP6Size)
	if e != kernel.ESUCCESS {
		return netip.Addr{}, e
	}
	return netip.AddrFrom16([16]byte(b[:16])), kernel.ESUCCESS
}
