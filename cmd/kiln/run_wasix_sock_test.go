//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunWASIXNetworkFlags: kiln run's network flags govern a WASIX
// guest's sockets. wasix/testdata/sock_policy.wasm tries a connect, a
// bind, a listen, a send_to and a resolve outside 127.0.0.1, then a
// connect to 127.0.0.1:1; every refusal is EACCES (2) and audited.
func TestRunWASIXNetworkFlags(t *testing.T) {
	prog := filepath.Join("..", "..", "wasix", "testdata", "sock_policy.wasm")
	audit := filepath.Join(t.TempDir(), "audit.json")
	code, out, errOut := kilnRun(t, "--allow-connect", "127.0.0.1:*", "--allow-bind", "127.0.0.1:*",
		"--audit", audit, prog)
	want := "connect 10.1.2.3:80: errno 2\n" +
		"bind 0.0.0.0:0: errno 2\n" +
		"listen without a bind: errno 2\n" +
		"send_to 192.0.2.1:53: errno 2, sent 99\n" +
		"resolve localhost: errno 2\n" +
		"connect 127.0.0.1:1 (allowed, nobody listens): refused by the policy 0\n"
	if code != 0 || out != want {
		t.Fatalf("with loopback rules: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	log, err := os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range []string{
		`"op":"connect","addr":"10.1.2.3:80","proto":"tcp"`,
		`"op":"bind","addr":"0.0.0.0:0"`,
		`"op":"listen","addr":"0.0.0.0:0"`,
		`"op":"send","addr":"192.0.2.1:53","proto":"udp"`,
		`"op":"resolve","path":"localhost"`,
	} {
		found := false
		for _, line := range strings.Split(string(log), "\n") {
			if strings.Contains(line, rec) && strings.Contains(line, `"decision":"denied"`) {
				found = true
			}
		}
		if !found {
			t.Errorf("no denied record with %s in the audit log:\n%s", rec, log)
		}
	}

	// No flags: no network, so the loopback connect is refused too.
	_, out, _ = kilnRun(t, prog)
	if !strings.HasSuffix(out, "refused by the policy 1\n") {
		t.Errorf("without network flags: %q", out)
	}
	// --allow-resolve lets the name resolve.
	_, out, _ = kilnRun(t, "--allow-resolve", prog)
	if !strings.Contains(out, "resolve localhost: errno 0\n") {
		t.Errorf("with --allow-resolve: %q", out)
	}
}
