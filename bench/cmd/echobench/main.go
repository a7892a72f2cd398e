// Command echobench measures a TCP echo server written in C
// running as a WASIX guest under kiln against the same source compiled
// natively with clang (server/server.c; server/build.sh makes the
// committed .wasm), both driven from Go over loopback: one connection,
// one request of -size bytes at a time, each round trip timed. It reports
// requests per second and the median and 99th-percentile round trip of
// each, and their ratios (kiln / native).
//
//	go run ./cmd/echobench [-n 20000] [-size 64] [-rounds 3]
//
// Rounds alternate kiln and native; for each the round with the most
// requests per second is reported, with its own latencies. The native
// build needs clang for the host (CLANG overrides the compiler).
package main

import (
	"bufio"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasix"
	"github.com/kilnrt/kiln/wasm"
)

//go:embed server/echo_server.wasm
var guestWasm []byte

//go:embed server/server.c
var serverC []byte

// result is one measured round.
type result struct {
	rps      float64
	p50, p99 time.Duration
}

func main() {
	n := flag.Int("n", 20000, "timed requests per round")
	size := flag.Int("size", 64, "request (and reply) size in bytes")
	rounds := flag.Int("rounds", 3, "rounds per server (alternating)")
	flag.Parse()
	if *size < 1 || *size > 1<<16 || *n < 100 || *rounds < 1 {
		log.Fatal("echobench: want -size 1..65536, -n >= 100, -rounds >= 1")
	}
	dir, err := os.MkdirTemp("", "echobench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	native, err := buildNative(dir)
	if err != nil {
		log.Fatalf("echobench: native build: %v", err)
	}

	var best [2]result
	names := [2]string{"kiln (WASIX guest)", "native (clang -O2)"}
	for r := 0; r < *rounds; r++ {
		for i, run := range []func() (string, func(), error){startKiln, func() (string, func(), error) { return startNative(native) }} {
			addr, stop, err := run()
			if err != nil {
				log.Fatalf("echobench: %s: %v", names[i], err)
			}
			res, err := drive(addr, *n, *size)
			stop()
			if err != nil {
				log.Fatalf("echobench: %s: %v", names[i], err)
			}
			fmt.Printf("round %d %-20s %9.0f req/s  p50 %8v  p99 %8v\n", r+1, names[i], res.rps, res.p50, res.p99)
			if res.rps > best[i].rps {
				best[i] = res
			}
		}
	}
	k, nat := best[0], best[1]
	fmt.Printf("\nbest of %d rounds, %d requests of %d bytes on one connection:\n", *rounds, *n, *size)
	fmt.Printf("| server | requests/s | p50 | p99 |\n|---|---:|---:|---:|\n")
	for i, b := range best {
		fmt.Printf("| %s | %.0f | %v | %v |\n", names[i], b.rps, b.p50, b.p99)
	}
	fmt.Printf("| ratio kiln / native | %.2fx | %.2fx | %.2fx |\n",
		k.rps/nat.rps, float64(k.p50)/float64(nat.p50), float64(k.p99)/float64(nat.p99))
}

// buildNative compiles server.c for the host into dir.
func buildNative(dir string) (string, error) {
	src := filepath.Join(dir, "server.c")
	if err := os.WriteFile(src, serverC, 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "echo_native")
	cc := os.Getenv("CLANG")
	if cc == "" {
		cc = "clang"
	}
	out, err := exec.Command(cc, "-O2", "-o", bin, src).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s: %v\n%s", cc, err, out)
	}
	return bin, nil
}

// readPort reads the server's "port N" line.
func readPort(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("reading the port: %q, %w", line, err)
	}
	var port int
	if _, err := fmt.Sscanf(line, "port %d\n", &port); err != nil {
		return "", fmt.Errorf("server said %q", line)
	}
	return fmt.Sprintf("127.0.0.1:%d", port), nil
}

// startKiln runs the guest server under kiln in this process, allowed to
// bind and listen on 127.0.0.1 only.
func startKiln() (string, func(), error) {
	ctx, cancel := context.WithCancel(context.Background())
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Features: wasm.Features3 | wasm.FeatureThreads})
	cm, err := rt.CompileModule(ctx, guestWasm)
	if err != nil {
		cancel()
		return "", nil, err
	}
	rule, err := sandbox.ParseNetRule("tcp:127.0.0.1:*")
	if err != nil {
		cancel()
		return "", nil, err
	}
	pol := &sandbox.Policy{}
	pol.Network.Bind = []sandbox.NetRule{rule}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := wasix.Run(ctx, rt, cm, wasi.Config{Args: []string{"echo_server"}, Stdout: pw, Policy: pol})
		pw.CloseWithError(errors.New("server ended"))
		done <- err
	}()
	addr, err := readPort(pr)
	go io.Copy(io.Discard, pr)
	stop := func() {
		cancel()
		<-done
	}
	if err != nil {
		stop()
		return "", nil, err
	}
	return addr, stop, nil
}

// startNative runs the native server as a child process.
func startNative(bin string) (string, func(), error) {
	cmd := exec.Command(bin)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		cmd.Process.Kill()
		cmd.Wait()
	}
	addr, err := readPort(out)
	if err != nil {
		stop()
		return "", nil, err
	}
	return addr, stop, nil
}

// drive sends n requests of size bytes one at a time (after n/10 to warm
// up) and times each round trip.
func drive(addr string, n, size int) (result, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return result{}, err
	}
	defer conn.Close()
	req, resp := make([]byte, size), make([]byte, size)
	for i := range req {
		req[i] = byte(i)
	}
	rtt := make([]time.Duration, n)
	warm := n / 10
	var start time.Time
	for i := -warm; i < n; i++ {
		if i == 0 {
			start = time.Now()
		}
		t := time.Now()
		if _, err := conn.Write(req); err != nil {
			return result{}, err
		}
		if _, err := io.ReadFull(conn, resp); err != nil {
			return result{}, err
		}
		if i >= 0 {
			rtt[i] = time.Since(t)
		}
		if resp[size-1] != req[size-1] || resp[0] != req[0] {
			return result{}, fmt.Errorf("request %d: echo differs", i)
		}
	}
	total := time.Since(start)
	slices.Sort(rtt)
	return result{
		rps: float64(n) / total.Seconds(),
		p50: rtt[n/2],
		p99: rtt[n*99/100],
	}, nil
}
