package sandbox

import (
	"net/netip"
	"strings"
)

// NetChecker is the network half of a Policy for callers that name the
// transport protocol as a string, as Go's net package does ("tcp", "udp",
// "tcp4", "udp6", ...). Its method set is that of kernel.NetPolicy, so
// a runtime wires a policy into a guest process with
//
//	kernel.Config{NetPolicy: policy.Net(), ...}
//
// without package sandbox depending on package kernel. Denials are *Denied
// errors (which the kernel reports to the guest as EACCES); an unknown
// protocol name is denied with DenyInvalid.
type NetChecker struct {
	Policy *Policy
}

// Net returns the policy's network checks in the NetChecker form. A nil
// *Policy gives a checker that denies everything.
func (p *Policy) Net() NetChecker { return NetChecker{Policy: p} }

// CheckConnect decides whether the guest may connect (or, for UDP, send)
// to addr over network; see Policy.CheckConnect.
func (c NetChecker) CheckConnect(network string, addr netip.AddrPort) error {
	proto, err := protoOf(OpConnect, network, addr)
	if err != nil {
		return err
	}
	return c.Policy.CheckConnect(addr, proto)
}

// CheckBind decides whether the guest may bind a socket of network to the
// local address addr; see Policy.CheckBind. A TCP bind rule also covers
// listening and accepting on the bound socket.
func (c NetChecker) CheckBind(network string, addr netip.AddrPort) error {
	proto, err := protoOf(OpBind, network, addr)
	if err != nil {
		return err
	}
	return c.Policy.CheckBind(addr, proto)
}

// protoOf maps a Go network name to one protocol.
func protoOf(op Op, network string, addr netip.AddrPort) (Proto, error) {
	switch strings.TrimRight(network, "46") {
	case "tcp":
		return ProtoTCP, nil
	case "udp":
		return ProtoUDP, nil
	}
	return 0, deny(op, addr.String()+"/"+network, DenyInvalid, "unknown network protocol")
}

// CheckListen decides whether a TCP socket may listen on the local address
// addr: the address it was bound to as requested (port 0 for an ephemeral
// port), or the unspecified address with port 0 for a socket that was
// never bound; see Policy.CheckListen.
func (c NetChecker) CheckListen(network string, addr netip.AddrPort) error {
	if _, err := protoOf(OpListen, network, addr); err != nil {
		return err
	}
	return c.Policy.CheckListen(addr)
}

// CheckRecv decides whether a datagram from addr may be delivered to the
// guest (UDP; TCP peers were checked at connect or are accepted under a
// listen rule); see Policy.CheckRecv.
func (c NetChecker) CheckRecv(network string, addr netip.AddrPort) error {
	proto, err := protoOf(OpRecv, network, addr)
	if err != nil {
		return err
	}
	if proto == ProtoTCP {
		return nil
	}
	return c.Policy.CheckRecv(addr)
}

// CheckResolve decides whether the guest may resolve the host name name;
// see Policy.CheckResolve.
func (c NetChecker) CheckResolve(name string) error { return c.Policy.CheckResolve(name) }
