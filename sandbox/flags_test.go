package sandbox

import (
	"flag"
	"io"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseNetRule(t *testing.T) {
	tests := []struct {
		in, canon string
		proto     Proto
		prefix    string // "" for AnyAddr
		first     uint16
		last      uint16
	}{
		{"127.0.0.1:8080", "127.0.0.1:8080", 0, "127.0.0.1/32", 8080, 8080},
		{"10.0.0.0/8:1000-2000", "10.0.0.0/8:1000-2000", 0, "10.0.0.0/8", 1000, 2000},
		{"10.1.2.3/8:1-2", "10.0.0.0/8:1-2", 0, "10.0.0.0/8", 1, 2}, // masked
		{"127.0.0.1:0", "127.0.0.1:0", 0, "127.0.0.1/32", 0, 0},
		{"tcp:[::1]:443", "tcp:[::1]:443", ProtoTCP, "::1/128", 443, 443},
		{"udp:[2001:db8::/32]:53", "udp:[2001:db8::/32]:53", ProtoUDP, "2001:db8::/32", 53, 53},
		{"[2001:db8::]/32:53", "[2001:db8::/32]:53", 0, "2001:db8::/32", 53, 53},
		{"[::ffff:10.0.0.1]:1", "10.0.0.1:1", 0, "10.0.0.1/32", 1, 1},
		{"[::ffff:10.0.0.0/104]:1", "10.0.0.0/8:1", 0, "10.0.0.0/8", 1, 1},
		{"*:80", "*:80", 0, "", 80, 80},
		{"udp:*:*", "udp:*:*", ProtoUDP, "", 0, 65535},
		{"0.0.0.0/0:65535", "0.0.0.0/0:65535", 0, "0.0.0.0/0", 65535, 65535},
	}
	for _, tc := range tests {
		r, err := ParseNetRule(tc.in)
		if err != nil {
			t.Errorf("ParseNetRule(%q): %v", tc.in, err)
			continue
		}
		if r.Proto != tc.proto || r.Ports != (PortRange{tc.first, tc.last}) {
			t.Errorf("ParseNetRule(%q) = %+v", tc.in, r)
		}
		if tc.prefix == "" {
			if !r.AnyAddr {
				t.Errorf("ParseNetRule(%q): want any address", tc.in)
			}
		} else if r.Prefix != netip.MustParsePrefix(tc.prefix) {
			t.Errorf("ParseNetRule(%q) prefix %v, want %s", tc.in, r.Prefix, tc.prefix)
		}
		if got := r.String(); got != tc.canon {
			t.Errorf("ParseNetRule(%q).String() = %q, want %q", tc.in, got, tc.canon)
		}
		again, err := ParseNetRule(r.String())
		if err != nil || again != r {
			t.Errorf("round trip of %q: %+v, %v", tc.in, again, err)
		}
	}
}

func TestParseNetRuleErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"", "missing ':PORTS'"},
		{"127.0.0.1", "missing ':PORTS'"},
		{"127.0.0.1:", "missing port"},
		{"127.0.0.1:http", "bad port"},
		{"127.0.0.1:65536", "bad port"},
		{"127.0.0.1:-1", "missing port"},
		{"127.0.0.1:+80", "bad port"},
		{"127.0.0.1:2000-1000", "reversed"},
		{"127.0.0.1:1-", "missing port"},
		{"localhost:80", "host names are not allowed"},
		{"10.0.0.0/33:80", "bad address range"},
		{"::1:80", "in brackets"},
		{"[::1:80", "missing ']'"},
		{"[::1]80", "missing ':PORTS'"},
		{"[127.0.0.1]:80", "IPv6 addresses only"},
		{"[fe80::1%eth0]:80", "zones are not allowed"},
		{"sctp:127.0.0.1:80", "unknown protocol"},
		{"TCP:127.0.0.1:80", "unknown protocol"},
		{":80", "empty address"},
	}
	for _, tc := range tests {
		_, err := ParseNetRule(tc.in)
		if err == nil {
			t.Errorf("ParseNetRule(%q) succeeded", tc.in)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), tc.in) {
			t.Errorf("ParseNetRule(%q) error %q, want it to quote the input and mention %q", tc.in, err, tc.msg)
		}
	}
}

func TestParseMount(t *testing.T) {
	wd, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want Mount
	}{
		{"/srv/data", Mount{"/srv/data", "/srv/data", false}},
		{"/srv/data::/data", Mount{"/srv/data", "/data", false}},
		{"/srv/data::/data:ro", Mount{"/srv/data", "/data", true}},
		{"/srv/data:ro", Mount{"/srv/data", "/srv/data", true}},
		{"/srv/data::/data/:rw", Mount{"/srv/data", "/data", false}},
		{".", Mount{wd, ".", false}},
		{"sub/dir::/x:ro", Mount{filepath.Join(wd, "sub/dir"), "/x", true}},
	}
	for _, tc := range tests {
		got, err := ParseMount(tc.in)
		if err != nil {
			t.Errorf("ParseMount(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseMount(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"", ":ro", "::/x", "/srv::", "/srv::../up", "/srv::..:ro"} {
		if m, err := ParseMount(bad); err == nil {
			t.Errorf("ParseMount(%q) = %+v, want an error", bad, m)
		}
	}
}

// TestParseMountRejectsUnknownModes: a misspelt mode must not silently
// become part of the guest path of a writable mount, and another
// runtime's HOST:GUEST syntax gets a hint.
func TestParseMountRejectsUnknownModes(t *testing.T) {
	for _, tc := range []struct{ in, wantInErr string }{
		{"t/ro::/data:RO", `accepted modes: ro, rw`},
		{"t/ro::/data:readonly", `unknown mode "readonly"`},
		{"t/ro::/data:", `accepted modes: ro, rw`},
		{"/srv:readonly", `unknown mode "readonly"`},
		{"a:/b", `did you mean "a::/b"`},
		{"a:/b:ro", `did you mean "a::/b:ro"`},
		{"a:b::/x:y", `unknown mode "y"`},
	} {
		m, err := ParseMount(tc.in)
		if err == nil {
			t.Errorf("ParseMount(%q) = %+v, want an error", tc.in, m)
			continue
		}
		if !strings.Contains(err.Error(), tc.wantInErr) {
			t.Errorf("ParseMount(%q): %v, want it to mention %s", tc.in, err, tc.wantInErr)
		}
	}
	// A guest path with a colon is still possible with an explicit mode,
	// and a host path with one with an explicit guest path.
	for _, tc := range []struct {
		in         string
		guest      string
		hostEndsIn string
		ro         bool
	}{
		{"/srv::/x:y:rw", "/x:y", "/srv", false},
		{"/a:b::/x:ro", "/x", "/a:b", true},
	} {
		m, err := ParseMount(tc.in)
		if err != nil || m.GuestPath != tc.guest || !strings.HasSuffix(m.HostPath, tc.hostEndsIn) || m.ReadOnly != tc.ro {
			t.Errorf("ParseMount(%q) = %+v, %v", tc.in, m, err)
		}
	}
}

func TestParseEnv(t *testing.T) {
	if n, v, err := ParseEnv("K=V=W"); err != nil || n != "K" || v != "V=W" {
		t.Errorf("ParseEnv(K=V=W) = %q %q %v", n, v, err)
	}
	if n, v, err := ParseEnv("K="); err != nil || n != "K" || v != "" {
		t.Errorf("ParseEnv(K=) = %q %q %v", n, v, err)
	}
	for _, bad := range []string{"K", "=V", "", "K=\x00"} {
		if _, _, err := ParseEnv(bad); err == nil {
			t.Errorf("ParseEnv(%q) succeeded", bad)
		}
	}
}

func TestParseListenRule(t *testing.T) {
	r, err := ParseListenRule("127.0.0.1:0")
	if err != nil || r.Proto != ProtoTCP {
		t.Errorf("ParseListenRule = %+v, %v", r, err)
	}
	if _, err := ParseListenRule("udp:127.0.0.1:0"); err == nil {
		t.Error("udp listen rule accepted")
	}
}

func TestRegisterFlags(t *testing.T) {
	var p Policy
	fs := flag.NewFlagSet("kiln", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	p.RegisterFlags(fs)
	args := []string{
		"--dir", "/srv/site::/www:ro",
		"--env", "A=1", "--env", "A=2", "--env", "B=",
		"--allow-connect", "127.0.0.1:8080",
		"--allow-connect", "10.0.0.0/8:1000-2000",
		"--allow-listen", "127.0.0.1:0",
		"--allow-bind", "udp:0.0.0.0:53",
		"--allow-resolve",
		"--allow-spawn",
		"--allow-program", "/bin/x.wasm",
		"prog.wasm",
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(p.Mounts) != 1 || !p.Mounts[0].ReadOnly || p.Mounts[0].GuestPath != "/www" {
		t.Errorf("mounts %+v", p.Mounts)
	}
	if strings.Join(p.Env, " ") != "A=2 B=" {
		t.Errorf("env %q", p.Env)
	}
	if len(p.Network.Connect) != 2 || len(p.Network.Bind) != 2 || !p.Network.Resolve {
		t.Errorf("network %+v", p.Network)
	}
	if err := p.CheckListen(netip.MustParseAddrPort("127.0.0.1:0")); err != nil {
		t.Errorf("listen: %v", err)
	}
	if !p.Spawn.Allow || len(p.Spawn.Programs) != 1 {
		t.Errorf("spawn %+v", p.Spawn)
	}
	if fs.Arg(0) != "prog.wasm" {
		t.Errorf("args %q", fs.Args())
	}

	for _, bad := range [][]string{
		{"--allow-connect", "localhost:80"},
		{"--allow-listen", "udp:127.0.0.1:0"},
		{"--dir", "::/x"},
		{"--env", "NOVALUE"},
		{"--allow-program", "rel.wasm"},
		{"--allow-spawn=maybe"},
	} {
		var q Policy
		fs := flag.NewFlagSet("kiln", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		q.RegisterFlags(fs)
		if err := fs.Parse(bad); err == nil {
			t.Errorf("flags %q accepted", bad)
		}
	}
}
