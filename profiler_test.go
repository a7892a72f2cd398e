package kiln_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wast"
)

// hotColdWAT spends almost all its time in $hot, called from $main, and
// little in $cold.
const hotColdWAT = `(module
  (func $hot (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $n) (i32.const 3))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
    (local.get $acc))
  (func $cold (param $n i32) (result i32) (i32.add (local.get $n) (i32.const 1)))
  (func $main (export "main") (param $n i32) (result i32)
    (i32.add (call $hot (local.get $n)) (call $cold (local.get $n)))))`

// withNames appends a name section naming functions 0, 1, 2, ... (the
// text parser writes none).
func withNames(bin []byte, names ...string) []byte {
	uleb := func(b []byte, v int) []byte {
		for v >= 0x80 {
			b = append(b, byte(v)|0x80)
			v >>= 7
		}
		return append(b, byte(v))
	}
	var fn []byte
	fn = uleb(fn, len(names))
	for i, n := range names {
		fn = uleb(fn, i)
		fn = uleb(fn, len(n))
		fn = append(fn, n...)
	}
	sub := uleb([]byte{1}, len(fn))
	sub = append(sub, fn...)
	payload := append(uleb(nil, 4), "name"...)
	payload = append(payload, sub...)
	bin = append(bin, 0)
	bin = uleb(bin, len(payload))
	return append(bin, payload...)
}

func profileHotCold(t *testing.T) *kiln.Profiler {
	t.Helper()
	bin, err := wast.ParseModule("hotcold.wat", []byte(hotColdWAT))
	if err != nil {
		t.Fatal(err)
	}
	bin = withNames(bin, "hot", "cold", "main")
	p := kiln.NewProfiler(1000)
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Profiler: p})
	ctx := context.Background()
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	if p.Start() == nil {
		t.Error("second Start: no error")
	}
	main := inst.Func("main")
	for p.Samples() < 50 {
		if _, err := main.Call(ctx, 2_000_000); err != nil {
			t.Fatal(err)
		}
	}
	p.Stop()
	return p
}

// TestProfilerPprof writes a profile and reads it with go tool pprof: the
// hottest function is $hot, called from $main.
func TestProfilerPprof(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run pprof")
	}
	p := profileHotCold(t)
	var buf bytes.Buffer
	if err := p.WriteProfile(&buf, "hotcold.wasm"); err != nil {
		t.Fatal(err)
	}
	if _, err := gzip.NewReader(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	file := filepath.Join(t.TempDir(), "guest.pprof")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(goTool, "tool", "pprof", "-top", file).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool pprof: %v\n%s", err, out)
	}
	// The first function row of -top (sorted by flat time) is $hot.
	_, table, _ := strings.Cut(string(out), "cum%\n")
	rows := strings.Split(strings.TrimSpace(table), "\n")
	if len(rows) == 0 || !strings.HasSuffix(strings.TrimSpace(rows[0]), " hot") {
		t.Fatalf("pprof -top does not start with hot:\n%s", out)
	}
	out, err = exec.Command(goTool, "tool", "pprof", "-traces", file).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "hot\n") || !strings.Contains(string(out), "main\n") {
		t.Errorf("pprof -traces lacks the hot <- main stack: %v\n%s", err, out)
	}
}

// TestProfilerStopped: nothing is sampled outside Start..Stop, and the
// profile of no samples is still a valid file.
func TestProfilerStopped(t *testing.T) {
	bin, err := wast.ParseModule("hotcold.wat", []byte(hotColdWAT))
	if err != nil {
		t.Fatal(err)
	}
	p := kiln.NewProfiler(0)
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Profiler: p})
	ctx := context.Background()
	cm, _ := rt.CompileModule(ctx, bin)
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Func("main").Call(ctx, 1_000_000); err != nil {
		t.Fatal(err)
	}
	if n := p.Samples(); n != 0 {
		t.Errorf("%d samples without Start", n)
	}
	var buf bytes.Buffer
	if err := p.WriteProfile(&buf, "m"); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(zr); err != nil {
		t.Fatal(err)
	}
}

// TestProfilerCancellation: sample requests and a context's cancellation
// share the interruption word; cancelling a profiled call still stops it.
func TestProfilerCancellation(t *testing.T) {
	bin, err := wast.ParseModule("spin.wat", []byte(`(module (func (export "spin") (loop $l (br $l))))`))
	if err != nil {
		t.Fatal(err)
	}
	p := kiln.NewProfiler(10000)
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Profiler: p})
	cm, _ := rt.CompileModule(context.Background(), bin)
	inst, err := rt.Instantiate(context.Background(), cm, kiln.ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	p.Start()
	defer p.Stop()
	for i := 0; i < 20; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20_000_000) // 20ms
		_, err := inst.Func("spin").Call(ctx)
		cancel()
		if err == nil || ctx.Err() == nil {
			t.Fatalf("spin %d: returned %v before its deadline", i, err)
		}
	}
}
