package sandbox

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func TestNetChecker(t *testing.T) {
	p := &Policy{Network: NetworkPolicy{
		Connect: []NetRule{mustRule(t, "tcp:10.0.0.0/8:443"), mustRule(t, "udp:10.0.0.53:53")},
		Bind:    []NetRule{mustRule(t, "udp:127.0.0.1:0"), mustRule(t, "tcp:[::1]:8080")},
	}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	peer := netip.MustParseAddrPort("10.1.2.3:443")
	local := netip.MustParseAddrPort("127.0.0.1:0")
	for _, tc := range []struct {
		name    string
		check   func(string, netip.AddrPort) error
		network string
		addr    netip.AddrPort
		want    DenyCode // 0: allowed
	}{
		{"connect tcp", p.Net().CheckConnect, "tcp", peer, 0},
		{"connect tcp4", p.Net().CheckConnect, "tcp4", peer, 0},
		{"connect udp", p.Net().CheckConnect, "udp", peer, DenyNotGranted},
		{"connect other port", p.Net().CheckConnect, "tcp", netip.MustParseAddrPort("10.1.2.3:80"), DenyNotGranted},
		{"bind udp", p.Net().CheckBind, "udp", local, 0},
		{"bind udp6 mapped", p.Net().CheckBind, "udp6", netip.MustParseAddrPort("[::ffff:127.0.0.1]:0"), 0},
		{"bind tcp", p.Net().CheckBind, "tcp", local, DenyNotGranted},
		{"unknown protocol", p.Net().CheckConnect, "sctp", peer, DenyInvalid},
		{"empty protocol", p.Net().CheckBind, "", local, DenyInvalid},
		{"nil policy", (*Policy)(nil).Net().CheckConnect, "tcp", peer, DenyNotGranted},
		{"listen under a tcp bind rule", p.Net().CheckListen, "tcp6", netip.MustParseAddrPort("[::1]:8080"), 0},
		{"listen under a udp bind rule", p.Net().CheckListen, "tcp", local, DenyNotGranted},
		{"listen on an unbound socket", p.Net().CheckListen, "tcp", netip.MustParseAddrPort("0.0.0.0:0"), DenyNotGranted},
		{"listen, unknown protocol", p.Net().CheckListen, "unix", local, DenyInvalid},
		{"recv from a granted peer", p.Net().CheckRecv, "udp", netip.MustParseAddrPort("10.0.0.53:53"), 0},
		{"recv from another peer", p.Net().CheckRecv, "udp", netip.MustParseAddrPort("10.0.0.54:53"), DenyNotGranted},
		{"recv on tcp (peer checked at connect)", p.Net().CheckRecv, "tcp", netip.MustParseAddrPort("192.0.2.1:1"), 0},
	} {
		err := tc.check(tc.network, tc.addr)
		if tc.want == 0 {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrDenied) || denyCode(err) != tc.want {
			t.Errorf("%s: err %v, want a %v denial", tc.name, err, tc.want)
		}
	}
}

func TestNetCheckerResolve(t *testing.T) {
	if err := (&Policy{}).Net().CheckResolve("example.com"); denyCode(err) != DenyDisabled {
		t.Errorf("resolve off: %v", err)
	}
	if err := (&Policy{Network: NetworkPolicy{Resolve: true}}).Net().CheckResolve("example.com"); err != nil {
		t.Errorf("resolve on: %v", err)
	}
}

// TestPeerAddrNormalisation: policies see the peer a connection reaches,
// and a connect rule naming the unspecified address is refused as naming
// no peer.
func TestPeerAddrNormalisation(t *testing.T) {
	for in, want := range map[string]string{
		"0.0.0.0:80":          "127.0.0.1:80",
		"[::]:80":             "[::1]:80",
		"[::ffff:0.0.0.0]:80": "127.0.0.1:80",
		"[::ffff:10.1.2.3]:1": "10.1.2.3:1",
		"10.1.2.3:1":          "10.1.2.3:1",
		"[2001:db8::1]:1":     "[2001:db8::1]:1",
	} {
		if got := PeerAddr(netip.MustParseAddrPort(in)).String(); got != want {
			t.Errorf("PeerAddr(%s) = %s, want %s", in, got, want)
		}
	}
	p := &Policy{Network: NetworkPolicy{Connect: []NetRule{mustRule(t, "tcp:127.0.0.1:80")}}}
	if err := p.CheckConnect(netip.MustParseAddrPort("0.0.0.0:80"), ProtoTCP); err != nil {
		t.Errorf("0.0.0.0:80 under a 127.0.0.1 rule: %v", err)
	}
	p.Network.Connect = []NetRule{mustRule(t, "tcp:0.0.0.0:80")}
	if err := p.CheckConnect(netip.MustParseAddrPort("0.0.0.0:80"), ProtoTCP); err == nil {
		t.Error("0.0.0.0:80 allowed by a rule naming 0.0.0.0")
	}
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "names no peer") {
		t.Errorf("Validate of a connect rule for 0.0.0.0: %v", err)
	}
	for _, ok := range []string{"tcp:0.0.0.0/0:80", "*:80"} {
		p.Network.Connect = []NetRule{mustRule(t, ok)}
		if err := p.Validate(); err != nil {
			t.Errorf("Validate(%s): %v", ok, err)
		}
	}
	p.Network.Connect = nil
	p.Network.Bind = []NetRule{mustRule(t, "tcp:0.0.0.0:80")}
	if err := p.Validate(); err != nil {
		t.Errorf("a bind rule for 0.0.0.0 is meaningful: %v", err)
	}
}
