package wasi_test

import (
	"context"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
)

// benchSystem returns a System writing to io.Discard and a memory holding
// one 64-byte iovec at 0 (buffer at 64).
func benchSystem(b *testing.B) (*wasi.System, []byte) {
	b.Helper()
	sys, err := wasi.New(context.Background(), wasi.Config{Stdout: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sys.Close() })
	mem := make([]byte, memSize)
	binary.LittleEndian.PutUint32(mem[0:], 64)
	binary.LittleEndian.PutUint32(mem[4:], 64)
	return sys, mem
}

func BenchmarkFdWrite(b *testing.B) {
	sys, mem := benchSystem(b)
	ctx := context.Background()
	stack := make([]uint64, 5)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		stack[0], stack[1], stack[2], stack[3] = 1, 0, 1, 8
		if err := sys.Call(ctx, "fd_write", mem, stack); err != nil || stack[0] != 0 {
			b.Fatal(err, stack[0])
		}
	}
}

func BenchmarkClockTimeGet(b *testing.B) {
	sys, mem := benchSystem(b)
	ctx := context.Background()
	stack := make([]uint64, 4)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		stack[0], stack[1], stack[2] = 1, 0, 16
		if err := sys.Call(ctx, "clock_time_get", mem, stack); err != nil || stack[0] != 0 {
			b.Fatal(err, stack[0])
		}
	}
}

// BenchmarkRunHello measures a whole run of a small C program: process
// creation, instantiation, _start and exit.
func BenchmarkRunHello(b *testing.B) {
	bin, err := os.ReadFile(filepath.Join("testdata", "hello.wasm"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		// Each run registers a fresh wasi_snapshot_preview1 in rt,
		// replacing the previous run's.
		if code, err := wasi.Run(ctx, rt, cm, wasi.Config{Args: []string{"hello"}, Stdout: io.Discard}); err != nil || code != 0 {
			b.Fatal(code, err)
		}
	}
}
