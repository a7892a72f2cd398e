package sandbox

import (
	"errors"
	"net/netip"
	"testing"
)

func testPolicy(t *testing.T) *Policy {
	t.Helper()
	p := &Policy{
		Mounts: []Mount{
			{HostPath: "/srv/data", GuestPath: "/data", ReadOnly: true},
			{HostPath: "/srv/data/out", GuestPath: "/data/out"},
			{HostPath: "/home/u/project", GuestPath: "."},
		},
		Env: []string{"LANG=C", "EMPTY="},
		Network: NetworkPolicy{
			Connect: []NetRule{
				mustRule(t, "tcp:127.0.0.1:8080"),
				mustRule(t, "10.0.0.0/8:1000-2000"),
				mustRule(t, "udp:[2001:db8::/32]:53"),
			},
			Bind: []NetRule{
				mustRule(t, "tcp:127.0.0.1:0"),
				mustRule(t, "udp:0.0.0.0:9999"),
			},
		},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustRule(t *testing.T, s string) NetRule {
	t.Helper()
	r, err := ParseNetRule(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func denyCode(err error) DenyCode {
	var d *Denied
	if errors.As(err, &d) {
		return d.Code
	}
	return 0
}

func TestCheckPath(t *testing.T) {
	p := testPolicy(t)
	tests := []struct {
		path   string
		access Access
		host   string   // expected mount host path when allowed
		rel    string   // expected relative path when allowed
		code   DenyCode // expected denial, 0 = allowed
	}{
		{"/data/a.txt", AccessRead, "/srv/data", "a.txt", 0},
		{"/data", AccessRead, "/srv/data", ".", 0},
		{"/data/a.txt", AccessWrite, "", "", DenyReadOnly},
		{"/data/sub/../a.txt", AccessWrite, "", "", DenyReadOnly},
		{"/data/out/log", AccessWrite, "/srv/data/out", "log", 0},   // longest mount wins
		{"/data/out", AccessWrite, "/srv/data/out", ".", 0},         // mount point itself
		{"/data/outside", AccessWrite, "", "", DenyReadOnly},        // not under /data/out
		{"/data/out/../x", AccessWrite, "", "", DenyReadOnly},       // cleans to /data/x
		{"/data/../etc/passwd", AccessRead, "", "", DenyNotGranted}, // cleans to /etc/passwd
		{"/etc/passwd", AccessRead, "", "", DenyNotGranted},
		{"/dat", AccessRead, "", "", DenyNotGranted}, // prefix of a mount, not below it
		{"/", AccessRead, "", "", DenyNotGranted},
		{"src/main.go", AccessWrite, "/home/u/project", "src/main.go", 0},
		{"./src/../README", AccessRead, "/home/u/project", "README", 0},
		{".", AccessRead, "/home/u/project", ".", 0},
		{"../secret", AccessRead, "", "", DenyInvalid},
		{"a/../../secret", AccessRead, "", "", DenyInvalid},
		{"", AccessRead, "", "", DenyInvalid},
		{"/data/a\x00b", AccessRead, "", "", DenyInvalid},
	}
	for _, tc := range tests {
		m, rel, err := p.CheckPath(OpOpen, tc.path, tc.access)
		if got := denyCode(err); got != tc.code {
			t.Errorf("CheckPath(%q, %d): err %v, want code %v", tc.path, tc.access, err, tc.code)
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrDenied) {
				t.Errorf("CheckPath(%q): %v does not match ErrDenied", tc.path, err)
			}
			continue
		}
		if m.HostPath != tc.host || rel != tc.rel {
			t.Errorf("CheckPath(%q) = %q, %q; want %q, %q", tc.path, m.HostPath, rel, tc.host, tc.rel)
		}
	}
}

func TestCheckPathNothingMounted(t *testing.T) {
	for _, p := range []*Policy{nil, {}} {
		if _, _, err := p.CheckPath(OpOpen, "/", AccessRead); denyCode(err) != DenyNotGranted {
			t.Errorf("empty policy: CheckPath(/) = %v, want not granted", err)
		}
	}
	root := &Policy{Mounts: []Mount{{HostPath: "/srv", GuestPath: "/"}}}
	if _, rel, err := root.CheckPath(OpOpen, "/a/b", AccessWrite); err != nil || rel != "a/b" {
		t.Errorf("root mount: rel %q err %v", rel, err)
	}
	if _, _, err := root.CheckPath(OpOpen, "rel", AccessRead); denyCode(err) != DenyNotGranted {
		t.Errorf("relative path with only an absolute mount: %v", err)
	}
}

func TestCheckNetwork(t *testing.T) {
	p := testPolicy(t)
	ap := netip.MustParseAddrPort
	tests := []struct {
		name  string
		check func() error
		ok    bool
	}{
		{"connect exact", func() error { return p.CheckConnect(ap("127.0.0.1:8080"), ProtoTCP) }, true},
		{"connect wrong port", func() error { return p.CheckConnect(ap("127.0.0.1:8081"), ProtoTCP) }, false},
		{"connect wrong proto", func() error { return p.CheckConnect(ap("127.0.0.1:8080"), ProtoUDP) }, false},
		{"connect other host", func() error { return p.CheckConnect(ap("127.0.0.2:8080"), ProtoTCP) }, false},
		{"cidr low edge", func() error { return p.CheckConnect(ap("10.0.0.0:1000"), ProtoTCP) }, true},
		{"cidr high edge", func() error { return p.CheckConnect(ap("10.255.255.255:2000"), ProtoUDP) }, true},
		{"cidr port below", func() error { return p.CheckConnect(ap("10.1.2.3:999"), ProtoTCP) }, false},
		{"cidr port above", func() error { return p.CheckConnect(ap("10.1.2.3:2001"), ProtoTCP) }, false},
		{"cidr outside", func() error { return p.CheckConnect(ap("11.0.0.1:1500"), ProtoTCP) }, false},
		{"v4-mapped v6", func() error { return p.CheckConnect(ap("[::ffff:10.1.2.3]:1500"), ProtoTCP) }, true},
		{"v6 range udp", func() error { return p.CheckSend(ap("[2001:db8:1::5]:53")) }, true},
		{"v6 zone ignored", func() error { return p.CheckRecv(ap("[2001:db8::1%eth0]:53")) }, true},
		{"v6 range tcp", func() error { return p.CheckConnect(ap("[2001:db8::1]:53"), ProtoTCP) }, false},
		{"v6 outside", func() error { return p.CheckSend(ap("[2001:db9::1]:53")) }, false},
		{"recv from unknown", func() error { return p.CheckRecv(ap("8.8.8.8:53")) }, false},
		{"bind ephemeral", func() error { return p.CheckBind(ap("127.0.0.1:0"), ProtoTCP) }, true},
		{"bind fixed port", func() error { return p.CheckBind(ap("127.0.0.1:80"), ProtoTCP) }, false},
		{"listen ephemeral", func() error { return p.CheckListen(ap("127.0.0.1:0")) }, true},
		{"listen any addr", func() error { return p.CheckListen(ap("0.0.0.0:0")) }, false},
		{"bind udp", func() error { return p.CheckBind(ap("0.0.0.0:9999"), ProtoUDP) }, true},
		{"listen on udp rule", func() error { return p.CheckListen(ap("0.0.0.0:9999")) }, false},
		{"invalid addr", func() error { return p.CheckConnect(netip.AddrPort{}, ProtoTCP) }, false},
		{"invalid proto", func() error { return p.CheckConnect(ap("127.0.0.1:8080"), ProtoAny) }, false},
	}
	for _, tc := range tests {
		err := tc.check()
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrDenied) {
			t.Errorf("%s: %v does not match ErrDenied", tc.name, err)
		}
	}
	var none *Policy
	if err := none.CheckConnect(ap("127.0.0.1:8080"), ProtoTCP); err == nil {
		t.Error("nil policy allowed connect")
	}
	if err := (&Policy{}).CheckBind(ap("127.0.0.1:0"), ProtoTCP); err == nil {
		t.Error("empty policy allowed bind")
	}
}

func TestDeniedError(t *testing.T) {
	p := testPolicy(t)
	err := p.CheckConnect(netip.MustParseAddrPort("10.1.2.3:80"), ProtoTCP)
	var d *Denied
	if !errors.As(err, &d) {
		t.Fatalf("not a *Denied: %v", err)
	}
	if d.Op != OpConnect || d.Target != "10.1.2.3:80/tcp" || d.Code != DenyNotGranted {
		t.Errorf("denial = %+v", d)
	}
	want := "sandbox: connect 10.1.2.3:80/tcp denied: not granted: no connect rule matches"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestZeroRuleMatchesNothing(t *testing.T) {
	var r NetRule
	if r.Matches(netip.MustParseAddrPort("0.0.0.0:0"), ProtoTCP) {
		t.Error("zero NetRule matched")
	}
	any := NetRule{AnyAddr: true, Ports: PortRange{0, 65535}}
	for _, s := range []string{"1.2.3.4:5", "[::1]:65535"} {
		if !any.Matches(netip.MustParseAddrPort(s), ProtoUDP) {
			t.Errorf("any-address rule did not match %s", s)
		}
	}
}

func TestCheckResolveAndSpawn(t *testing.T) {
	p := testPolicy(t)
	if err := p.CheckResolve("example.com"); denyCode(err) != DenyDisabled {
		t.Errorf("resolve off: %v", err)
	}
	p.Network.Resolve = true
	if err := p.CheckResolve("example.com"); err != nil {
		t.Errorf("resolve on: %v", err)
	}
	if err := p.CheckSpawn(OpSpawn, "/bin/x"); denyCode(err) != DenyDisabled {
		t.Errorf("spawn off by default: %v", err)
	}
	p.Spawn.Allow = true
	if err := p.CheckSpawn(OpExec, "/bin/x"); err != nil {
		t.Errorf("spawn allowed, no list: %v", err)
	}
	p.Spawn.Programs = []string{"/bin/tool.wasm"}
	if err := p.CheckSpawn(OpSpawn, "/bin/../bin/tool.wasm"); err != nil {
		t.Errorf("listed program: %v", err)
	}
	if err := p.CheckSpawn(OpExec, "/bin/other.wasm"); denyCode(err) != DenyNotGranted {
		t.Errorf("unlisted program: %v", err)
	}
	if err := p.CheckSpawn(OpSpawn, ""); err != nil {
		t.Errorf("fork with a program list: %v", err)
	}
	var none *Policy
	if err := none.CheckSpawn(OpSpawn, ""); err == nil {
		t.Error("nil policy allowed fork")
	}
}

func TestEnviron(t *testing.T) {
	p := testPolicy(t)
	p.SetEnv("LANG", "C.UTF-8")
	p.SetEnv("NEW", "1")
	got := p.Environ()
	want := []string{"LANG=C.UTF-8", "EMPTY=", "NEW=1"}
	if len(got) != len(want) {
		t.Fatalf("Environ = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Environ = %q, want %q", got, want)
		}
	}
	got[0] = "MUTATED=1"
	if p.Env[0] == "MUTATED=1" {
		t.Error("Environ returned the policy's own slice")
	}
	if (*Policy)(nil).Environ() != nil {
		t.Error("nil policy has an environment")
	}
}

func TestValidate(t *testing.T) {
	bad := []*Policy{
		{Mounts: []Mount{{HostPath: "relative", GuestPath: "/x"}}},
		{Mounts: []Mount{{HostPath: "/a", GuestPath: ""}}},
		{Mounts: []Mount{{HostPath: "/a", GuestPath: "../up"}}},
		{Mounts: []Mount{{HostPath: "/a", GuestPath: "/x"}, {HostPath: "/b", GuestPath: "/x/"}}},
		{Env: []string{"NOEQUALS"}},
		{Env: []string{"=v"}},
		{Env: []string{"A=1", "A=2"}},
		{Network: NetworkPolicy{Connect: []NetRule{{Ports: PortRange{1, 2}}}}},
		{Network: NetworkPolicy{Bind: []NetRule{{AnyAddr: true, Ports: PortRange{5, 4}}}}},
		{Spawn: SpawnPolicy{Allow: true, Programs: []string{"rel.wasm"}}},
	}
	for i, p := range bad {
		if err := p.Validate(); err == nil {
			t.Errorf("policy %d: Validate accepted %+v", i, p)
		}
	}
	if err := (&Policy{}).Validate(); err != nil {
		t.Errorf("empty policy: %v", err)
	}
}
