package sandbox

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Proto is a set of transport protocols a rule applies to.
type Proto uint8

const (
	// ProtoTCP is stream sockets.
	ProtoTCP Proto = 1 << iota
	// ProtoUDP is datagram sockets.
	ProtoUDP
	// ProtoAny is both; a NetRule whose Proto is zero also means both.
	ProtoAny = ProtoTCP | ProtoUDP
)

// String returns "tcp", "udp" or "tcp+udp".
func (p Proto) String() string {
	switch p {
	case ProtoTCP:
		return "tcp"
	case ProtoUDP:
		return "udp"
	case ProtoAny, 0:
		return "tcp+udp"
	}
	return fmt.Sprintf("Proto(%d)", uint8(p))
}

// PortRange is the inclusive range First..Last. The zero value is port 0
// only, which for bind means "an ephemeral port chosen by the host".
type PortRange struct {
	First, Last uint16
}

// Contains reports whether p is in the range.
func (r PortRange) Contains(p uint16) bool { return r.First <= p && p <= r.Last }

// String returns "N", "N-M" or "*".
func (r PortRange) String() string {
	switch {
	case r.First == 0 && r.Last == 65535:
		return "*"
	case r.First == r.Last:
		return strconv.Itoa(int(r.First))
	}
	return fmt.Sprintf("%d-%d", r.First, r.Last)
}

// NetRule grants network access to an address range and port range.
//
// The zero value matches nothing: an address range must be given either as
// Prefix or by setting AnyAddr. Addresses are compared after removing any
// IPv6 zone and unmapping IPv4-mapped IPv6 addresses (::ffff:a.b.c.d is
// treated as a.b.c.d), so a rule for 10.0.0.0/8 covers ::ffff:10.1.2.3 too.
type NetRule struct {
	Proto   Proto        // protocols covered; 0 means TCP and UDP
	Prefix  netip.Prefix // address range (a single address is a /32 or /128)
	AnyAddr bool         // every IPv4 and IPv6 address; Prefix is ignored
	Ports   PortRange
}

// Matches reports whether the rule covers ap over proto (a single protocol).
func (r NetRule) Matches(ap netip.AddrPort, proto Proto) bool {
	rp := r.Proto
	if rp == 0 {
		rp = ProtoAny
	}
	if rp&proto == 0 || proto == 0 {
		return false
	}
	if !r.Ports.Contains(ap.Port()) {
		return false
	}
	if r.AnyAddr {
		return ap.Addr().IsValid()
	}
	if !r.Prefix.IsValid() {
		return false
	}
	return r.Prefix.Contains(normalizeAddr(ap.Addr()))
}

// PeerAddr is the peer a connection or datagram to ap really reaches, the
// form policies are checked and connections made with: an IPv4-mapped
// IPv6 address is its IPv4 address, and the unspecified address
// (0.0.0.0, ::), which the host treats as "this host", is the loopback
// address of its family. Otherwise a rule naming 0.0.0.0 would reach a
// loopback service that a rule for 127.0.0.1 was needed for.
func PeerAddr(ap netip.AddrPort) netip.AddrPort {
	a := ap.Addr()
	if a.Is4In6() {
		a = a.Unmap()
	}
	switch {
	case a == netip.IPv4Unspecified():
		a = netip.AddrFrom4([4]byte{127, 0, 0, 1})
	case a == netip.IPv6Unspecified():
		a = netip.IPv6Loopback()
	}
	return netip.AddrPortFrom(a, ap.Port())
}

// namesNoPeer reports whether a connect rule names only the unspecified
// address, which PeerAddr never yields: it would match nothing.
func (r NetRule) namesNoPeer() bool {
	return !r.AnyAddr && r.Prefix.IsValid() && r.Prefix.IsSingleIP() && r.Prefix.Addr().IsUnspecified()
}

// normalizeAddr drops the zone and unmaps IPv4-mapped IPv6 addresses.
func normalizeAddr(a netip.Addr) netip.Addr {
	return a.WithZone("").Unmap()
}

// String returns the rule in the flag/JSON syntax accepted by ParseNetRule.
func (r NetRule) String() string {
	var b strings.Builder
	switch r.Proto {
	case ProtoTCP:
		b.WriteString("tcp:")
	case ProtoUDP:
		b.WriteString("udp:")
	}
	switch {
	case r.AnyAddr:
		b.WriteString("*")
	case !r.Prefix.IsValid():
		b.WriteString("invalid")
	case r.Prefix.Addr().Is6():
		b.WriteByte('[')
		writePrefix(&b, r.Prefix)
		b.WriteByte(']')
	default:
		writePrefix(&b, r.Prefix)
	}
	b.WriteByte(':')
	b.WriteString(r.Ports.String())
	return b.String()
}

func writePrefix(b *strings.Builder, p netip.Prefix) {
	b.WriteString(p.Addr().String())
	if p.Bits() != p.Addr().BitLen() {
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(p.Bits()))
	}
}

// MarshalText encodes the rule as its String form (used by encoding/json).
func (r NetRule) MarshalText() ([]byte, error) {
	if !r.AnyAddr && !r.Prefix.IsValid() {
		return nil, errors.New("sandbox: net rule has no address range")
	}
	if r.Ports.First > r.Ports.Last {
		return nil, fmt.Errorf("sandbox: net rule port range %d-%d is reversed", r.Ports.First, r.Ports.Last)
	}
	return []byte(r.String()), nil
}

// UnmarshalText parses the ParseNetRule syntax.
func (r *NetRule) UnmarshalText(text []byte) error {
	v, err := ParseNetRule(string(text))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// ParseNetRule parses a network rule as written after --allow-connect,
// --allow-bind or --allow-listen, and in JSON policy files:
//
//	[tcp:|udp:]ADDRESS:PORTS
//
// ADDRESS is an IPv4 address or CIDR range (127.0.0.1, 10.0.0.0/8), an IPv6
// address or range in brackets ([::1], [fd00::/8], or [fd00::]/8), or "*"
// for every address. PORTS is a port (8080), an inclusive range (1000-2000)
// or "*" (0-65535). Without a protocol prefix the rule covers TCP and UDP.
// Host names are not accepted: rules are about addresses.
func ParseNetRule(s string) (NetRule, error) {
	var r NetRule
	orig := s
	fail := func(format string, args ...any) (NetRule, error) {
		return NetRule{}, fmt.Errorf("sandbox: network rule %q: %s", orig, fmt.Sprintf(format, args...))
	}
	switch {
	case strings.HasPrefix(s, "tcp:"):
		r.Proto, s = ProtoTCP, s[4:]
	case strings.HasPrefix(s, "udp:"):
		r.Proto, s = ProtoUDP, s[4:]
	default:
		if word, rest, ok := strings.Cut(s, ":"); ok && isLetters(word) && strings.Contains(rest, ":") {
			return fail("unknown protocol %q (want tcp: or udp:)", word)
		}
	}
	var addrPart, portPart string
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return fail("missing ']' after IPv6 address")
		}
		addrPart, s = s[1:end], s[end+1:]
		if strings.HasPrefix(s, "/") {
			colon := strings.IndexByte(s, ':')
			if colon < 0 {
				return fail("missing ':PORTS'")
			}
			addrPart, s = addrPart+s[:colon], s[colon:]
		}
		if !strings.HasPrefix(s, ":") {
			return fail("missing ':PORTS' after address")
		}
		portPart = s[1:]
		if strings.IndexByte(addrPart, ':') < 0 {
			return fail("brackets are for IPv6 addresses only")
		}
	} else {
		colon := strings.LastIndexByte(s, ':')
		if colon < 0 {
			return fail("missing ':PORTS' (write ADDRESS:PORT, e.g. 127.0.0.1:8080)")
		}
		addrPart, portPart = s[:colon], s[colon+1:]
		if strings.IndexByte(addrPart, ':') >= 0 {
			return fail("IPv6 addresses must be written in brackets, e.g. [::1]:8080")
		}
	}
	if addrPart == "*" {
		r.AnyAddr = true
	} else {
		p, err := parseAddrRange(addrPart)
		if err != nil {
			return fail("%v", err)
		}
		r.Prefix = p
	}
	ports, err := ParsePortRange(portPart)
	if err != nil {
		return fail("%v", err)
	}
	r.Ports = ports
	return r, nil
}

// parseAddrRange parses an address or CIDR prefix into a masked prefix.
func parseAddrRange(s string) (netip.Prefix, error) {
	if s == "" {
		return netip.Prefix{}, errors.New("empty address")
	}
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("bad address range: %v", err)
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			if p.Bits() < 0 {
				return netip.Prefix{}, errors.New("bad address range: IPv4-mapped prefix shorter than /96")
			}
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("bad address (host names are not allowed): %v", err)
	}
	if a.Zone() != "" {
		return netip.Prefix{}, errors.New("bad address: zones are not allowed in rules")
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ParsePortRange parses "N", "N-M" or "*".
func ParsePortRange(s string) (PortRange, error) {
	if s == "*" {
		return PortRange{0, 65535}, nil
	}
	first, last, isRange := strings.Cut(s, "-")
	lo, err := parsePort(first)
	if err != nil {
		return PortRange{}, err
	}
	if !isRange {
		return PortRange{lo, lo}, nil
	}
	hi, err := parsePort(last)
	if err != nil {
		return PortRange{}, err
	}
	if hi < lo {
		return PortRange{}, fmt.Errorf("port range %d-%d is reversed", lo, hi)
	}
	return PortRange{lo, hi}, nil
}

func parsePort(s string) (uint16, error) {
	if s == "" {
		return 0, errors.New("missing port")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("bad port %q: want a number 0-65535", s)
		}
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return 0, fmt.Errorf("bad port %q: want a number 0-65535", s)
	}
	return uint16(n), nil
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}
