//go:build linux

package wasix_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasix"
)

// runSockEcho runs testdata/sock_echo.wasm with args as its own process
// (a wasi.System of its own, as a second kiln would), under the loopback
// policy, writing its standard output to out.
func runSockEcho(ctx context.Context, t *testing.T, out io.Writer, audit kernel.Auditor, args ...string) (uint32, error) {
	bin, err := os.ReadFile(filepath.Join("testdata", "sock_echo.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	rt := newRuntime()
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	return wasix.Run(ctx, rt, cm, wasi.Config{
		Args:    append([]string{"sock_echo.wasm"}, args...),
		Stdout:  out,
		Policy:  netPolicy(t, false),
		Auditor: audit,
	})
}

// TestSockTwoProcesses runs a server guest and a client guest as two
// processes talking over loopback: the server prints the port the host
// chose, the client connects to it.
func TestSockTwoProcesses(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pr, pw := io.Pipe()
	var serverLog auditLog
	type result struct {
		code uint32
		err  error
	}
	served := make(chan result, 1)
	go func() {
		code, err := runSockEcho(ctx, t, pw, &serverLog, "server")
		pw.Close()
		served <- result{code, err}
	}()
	lines := bufio.NewReader(pr)
	first, err := lines.ReadString('\n')
	if err != nil {
		t.Fatalf("server's first line: %q, %v", first, err)
	}
	var port int
	if _, err := fmt.Sscanf(first, "listening on port %d\n", &port); err != nil || port == 0 {
		t.Fatalf("server said %q", first)
	}
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(lines)
		rest <- string(b)
	}()

	var clientOut bytes.Buffer
	code, err := runSockEcho(ctx, t, &clientOut, nil, "client", fmt.Sprint(port))
	if err != nil || code != 0 {
		t.Fatalf("client: exit %d, %v, output %q", code, err, clientOut.String())
	}
	if want := "client: errno 0, got back 14 bytes:\none\ntwo\nthree\n"; clientOut.String() != want {
		t.Errorf("client printed %q, want %q", clientOut.String(), want)
	}
	r := <-served
	if r.err != nil || r.code != 0 {
		t.Fatalf("server: exit %d, %v", r.code, r.err)
	}
	if got := <-rest; got != "server echoed 14 bytes, errno 0\n" {
		t.Errorf("server printed %q", got)
	}
	if !serverLog.saw(kernel.OpListen) || !serverLog.saw(kernel.OpAccept) {
		t.Errorf("server's audit lacks listen or accept: %+v", serverLog.events)
	}
}

// TestSockPolicyAudit runs sock_policy and checks that each refusal it
// prints was audited with its address and errno.
func TestSockPolicyAudit(t *testing.T) {
	var p program
	for _, q := range programs {
		if q.name == "sock_policy" {
			p = q
		}
	}
	bin, err := os.ReadFile(filepath.Join("testdata", "sock_policy.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := newRuntime()
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var log auditLog
	if _, err := wasix.Run(ctx, rt, cm, wasi.Config{Stdout: &out, Policy: programPolicy(t, p), Auditor: &log}); err != nil {
		t.Fatal(err)
	}
	if out.String() != p.stdout {
		t.Errorf("stdout %q, want %q", out.String(), p.stdout)
	}
	for _, want := range []struct {
		op   kernel.Op
		addr string
	}{
		{kernel.OpConnect, "10.1.2.3:80"},
		{kernel.OpBind, "0.0.0.0:0"},
		{kernel.OpListen, "0.0.0.0:0"},
		{kernel.OpSend, "192.0.2.1:53"},
		{kernel.OpResolve, ""},
	} {
		found := false
		for _, ev := range log.events {
			if ev.Op == want.op && !ev.Allowed && ev.Errno == kernel.EACCES &&
				(want.addr == "" || ev.Addr.String() == want.addr) {
				found = true
			}
		}
		if !found {
			var seen []string
			for _, ev := range log.events {
				seen = append(seen, fmt.Sprintf("%v %v allowed=%v errno=%v", ev.Op, ev.Addr, ev.Allowed, ev.Errno))
			}
			t.Errorf("no audited refusal of %v %s; audit:\n%s", want.op, want.addr, strings.Join(seen, "\n"))
		}
	}
}
