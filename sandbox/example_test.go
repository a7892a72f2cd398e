package sandbox_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/kilnrt/kiln/sandbox"
)

func ExampleParseNetRule() {
	var p sandbox.Policy
	for _, flag := range []string{"127.0.0.1:8080", "10.0.0.0/8:1000-2000"} {
		r, err := sandbox.ParseNetRule(flag)
		if err != nil {
			panic(err)
		}
		p.Network.Connect = append(p.Network.Connect, r)
	}
	for _, dst := range []string{"127.0.0.1:8080", "10.9.8.7:1500", "10.9.8.7:80"} {
		err := p.CheckConnect(netip.MustParseAddrPort(dst), sandbox.ProtoTCP)
		fmt.Printf("%s: %v\n", dst, err)
	}
	// Output:
	// 127.0.0.1:8080: <nil>
	// 10.9.8.7:1500: <nil>
	// 10.9.8.7:80: sandbox: connect 10.9.8.7:80/tcp denied: not granted: no connect rule matches
}

func ExamplePolicy_CheckPath() {
	p, err := sandbox.ParsePolicy(strings.NewReader(`{
		"mounts": [{"host": "/srv/site", "guest": "/www", "read_only": true}]
	}`))
	if err != nil {
		panic(err)
	}
	m, rel, err := p.CheckPath(sandbox.OpOpen, "/www/css/site.css", sandbox.AccessRead)
	fmt.Println(m.HostPath, rel, err)
	_, _, err = p.CheckPath(sandbox.OpUnlink, "/www/index.html", sandbox.AccessWrite)
	var d *sandbox.Denied
	fmt.Println(errors.As(err, &d), d.Code)
	// Output:
	// /srv/site css/site.css <nil>
	// true read-only
}

func ExampleAccount() {
	acct := sandbox.NewAccount(sandbox.Limits{Threads: 2})
	for i := 0; i < 3; i++ {
		fmt.Println(acct.Acquire(sandbox.ResThreads, 1))
	}
	// Output:
	// <nil>
	// <nil>
	// quota exceeded: threads: requested 1, used 2 of 2
}

func ExampleSignModule() {
	key := &sandbox.SecretKey{Key: ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))}
	module := []byte("\x00asm\x01\x00\x00\x00")
	signed, err := sandbox.SignModule(module, key)
	if err != nil {
		panic(err)
	}
	v := &sandbox.Verifier{TrustedKeys: []sandbox.PublicKey{key.Public()}, RequireSignature: true}
	res, err := v.Verify(signed, nil)
	fmt.Println(res.Verified, err)

	signed = append(signed, 0x00, 0x02, 0x01, 'x') // a custom section "x" added after signing
	_, err = v.Verify(signed, nil)
	fmt.Println(err)
	_, err = v.Verify(module, nil)
	fmt.Println(err)
	// Output:
	// true <nil>
	// sandbox: module signature verification failed: module content does not match any signed hash (modified after signing?)
	// sandbox: module signature verification failed: module is not signed and a signature is required
}

func ExampleNewJSONAuditor() {
	var buf bytes.Buffer
	audit := sandbox.NewJSONAuditor(&buf)
	p := &sandbox.Policy{} // grants nothing
	dst := netip.MustParseAddrPort("192.0.2.1:443")
	audit.RecordResult(context.Background(),
		sandbox.Subject{Module: "app.wasm", PID: 1, TID: 1},
		sandbox.Event{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Op: sandbox.OpConnect, Addr: dst, Proto: sandbox.ProtoTCP},
		p.CheckConnect(dst, sandbox.ProtoTCP))
	os.Stdout.Write(buf.Bytes())
	// Output:
	// {"time":"2026-01-01T00:00:00Z","level":"WARN","msg":"audit","module":"app.wasm","pid":1,"tid":1,"op":"connect","addr":"192.0.2.1:443","proto":"tcp","detail":"not granted: no connect rule matches","decision":"denied","result":"sandbox: connect 192.0.2.1:443/tcp denied: not granted: no connect rule matches"}
}

// Reached names the quotas that refused or shortened a charge, for a
// report at the end of a run (kiln run prints one line from it).
func ExampleAccount_Reached() {
	acct := sandbox.NewAccount(sandbox.Limits{FileWriteBytes: 10})
	n, _ := acct.AcquireUpTo(sandbox.ResFileWrite, 16) // a 16-byte write
	fmt.Println("written:", n)
	for _, r := range acct.Reached() {
		fmt.Println("reached:", r, acct.Limit(r))
	}
	// Output:
	// written: 10
	// reached: bytes written to files 10
}
