package sandbox

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const examplePolicyJSON = `{
  "mounts": [
    {"host": "/srv/site", "guest": "/www", "read_only": true},
    {"host": "/tmp/scratch", "guest": "/tmp"}
  ],
  "env": ["LANG=C.UTF-8", "HOME=/tmp"],
  "network": {
    "connect": ["10.0.0.0/8:1000-2000", "tcp:127.0.0.1:5432", "udp:[::1]:53"],
    "bind": ["tcp:127.0.0.1:0", "udp:0.0.0.0:9999"],
    "resolve": false
  },
  "spawn": {"allow": true, "programs": ["/bin/helper.wasm"]}
}`

func TestPolicyJSONExample(t *testing.T) {
	// The example in the package documentation must parse.
	p, err := ParsePolicy(strings.NewReader(examplePolicyJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Mounts) != 2 || !p.Mounts[0].ReadOnly || p.Mounts[1].ReadOnly {
		t.Errorf("mounts %+v", p.Mounts)
	}
	if len(p.Network.Connect) != 3 || p.Network.Connect[2].Proto != ProtoUDP {
		t.Errorf("connect %+v", p.Network.Connect)
	}
	if !p.Spawn.Allow || p.Spawn.Programs[0] != "/bin/helper.wasm" {
		t.Errorf("spawn %+v", p.Spawn)
	}
}

func TestPolicyJSONRoundTrip(t *testing.T) {
	p := testPolicy(t)
	p.Network.Resolve = true
	p.Network.Connect = append(p.Network.Connect, NetRule{AnyAddr: true, Ports: PortRange{443, 443}, Proto: ProtoTCP})
	p.Spawn = SpawnPolicy{Allow: true, Programs: []string{"/bin/a.wasm"}}
	data, err := p.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParsePolicy(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !reflect.DeepEqual(p, back) {
		t.Errorf("round trip changed the policy:\n%+v\n%+v\n%s", p, back, data)
	}
	// Zero policy round-trips to a zero policy.
	data, err = (&Policy{}).MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	back, err = ParsePolicy(strings.NewReader(string(data)))
	if err != nil || !reflect.DeepEqual(back, &Policy{}) {
		t.Errorf("zero policy round trip: %+v, %v (%s)", back, err, data)
	}
}

func TestPolicyJSONErrors(t *testing.T) {
	tests := []struct{ doc, msg string }{
		{`{"mounts": [{"host": "/a", "guest": "/b", "readonly": true}]}`, "unknown field"},
		{`{"network": {"conect": []}}`, "unknown field"},
		{`{"network": {"connect": ["localhost:80"]}}`, "host names"},
		{`{"network": {"bind": [8080]}}`, "cannot unmarshal"},
		{`{"mounts": [{"host": "rel", "guest": "/b"}]}`, "not absolute"},
		{`{"env": ["A=1", "A=2"]}`, "set twice"},
		{`{} {}`, "trailing data"},
		{`{`, "unexpected EOF"},
		{`[]`, "cannot unmarshal"},
	}
	for _, tc := range tests {
		_, err := ParsePolicy(strings.NewReader(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParsePolicy(%s) = %v, want error containing %q", tc.doc, err, tc.msg)
		}
	}
}

func TestLoadPolicy(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(name, []byte(examplePolicyJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPolicy(name); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(`{"spawn": {"allow": "yes"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadPolicy(name); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("LoadPolicy of a bad file: %v (want the file name in the error)", err)
	}
	if _, err := LoadPolicy(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("LoadPolicy of a missing file succeeded")
	}
}
