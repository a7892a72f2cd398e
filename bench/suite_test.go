package bench

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"os/exec"
	"testing"
)

// TestWorkloadsSmall checks every workload on every engine against its Go
// reference with a small argument (TestArg) and with the benchmark
// argument: all engines must return the same checksum.
func TestWorkloadsSmall(t *testing.T) {
	ctx := context.Background()
	for _, e := range sharedEngines(t) {
		for _, w := range Workloads() {
			t.Run(e.Name()+"/"+w.Name, func(t *testing.T) {
				inst, cleanup, err := instantiated(ctx, e, w.Module)
				if err != nil {
					t.Fatal(err)
				}
				defer cleanup()
				for _, arg := range []uint64{w.TestArg, 1} {
					if err := CallChecked(ctx, inst, w, arg); err != nil {
						t.Error(err)
					}
				}
			})
		}
	}
}

// TestCases runs the setup of every benchmark case (which checks results
// at the benchmark arguments) and its timed operation once, on every
// engine (but load on wazero's interpreter, which caches nothing).
func TestCases(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the benchmark-sized checks take a few seconds")
	}
	ctx := context.Background()
	for _, e := range sharedEngines(t) {
		for _, c := range Cases() {
			t.Run(e.Name()+"/"+c.Key(), func(t *testing.T) {
				skipped, err := c.Verify(ctx, e)
				if err != nil {
					t.Fatal(err)
				}
				// The one skip expected: loading on an engine without a cache.
				cl, ok := e.(CacheLoader)
				noCache := c.Group == "load" && !(ok && cl.Caches())
				if (skipped != "") != noCache {
					t.Fatalf("skipped %q; want a skip: %t", skipped, noCache)
				}
			})
		}
	}
}

// TestSHA256Digest checks the C SHA-256 word by word against crypto/sha256
// at lengths around the padding boundaries, on the first engine.
func TestSHA256Digest(t *testing.T) {
	ctx := context.Background()
	e := sharedEngines(t)[0]
	inst, cleanup, err := instantiated(ctx, e, "sha256")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	digest, err := inst.Func("digest")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []uint32{0, 1, 55, 56, 63, 64, 65, 119, 120, 1000} {
		want := sha256.Sum256(sha256Input(n))
		for i := uint32(0); i < 8; i++ {
			res, err := digest(ctx, uint64(n), uint64(i))
			if err != nil {
				t.Fatal(err)
			}
			if w := binary.BigEndian.Uint32(want[4*i:]); uint32(res[0]) != w {
				t.Errorf("%s: sha256 of %d bytes, word %d = %#x, want %#x", e.Name(), n, i, res[0], w)
			}
		}
	}
}

// TestReferenceKnownValues pins a few reference results that are known
// independently of the C code.
func TestReferenceKnownValues(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want uint64
	}{
		{"fib(10)", refFib(10), 55},
		{"fib(25)", refFib(25), 75025},
		{"vm(0)", refVM(0), 1},
		{"vm(1)", refVM(1), 33},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %d, want %d", tc.name, tc.got, tc.want)
		}
	}
}

// TestEnginesAgree compares the raw results of all engines with each other
// at every workload's benchmark argument, independently of the references.
func TestEnginesAgree(t *testing.T) {
	ctx := context.Background()
	es := sharedEngines(t)
	if len(es) < 2 {
		t.Fatalf("%d engines, want at least wazero's two", len(es))
	}
	for _, w := range Workloads() {
		var first []uint64
		var firstName string
		for _, e := range es {
			inst, cleanup, err := instantiated(ctx, e, w.Module)
			if err != nil {
				t.Errorf("%s: %v", w.Name, err)
				continue
			}
			call, err := inst.Func(w.Entry)
			var res []uint64
			if err == nil {
				res, err = call(ctx, w.Arg)
			}
			cleanup()
			if err != nil {
				t.Errorf("%s on %s: %v", w.Name, e.Name(), err)
				continue
			}
			if len(res) != 1 {
				t.Errorf("%s on %s: %d results, want 1", w.Name, e.Name(), len(res))
				continue
			}
			if first == nil {
				first, firstName = res, e.Name()
				continue
			}
			if !w.Result64 {
				res = []uint64{uint64(uint32(res[0]))}
				first = []uint64{uint64(uint32(first[0]))}
			}
			if res[0] != first[0] {
				t.Errorf("%s(%d): %s returned %#x, %s returned %#x", w.Name, w.Arg, e.Name(), res[0], firstName, first[0])
			}
		}
	}
}

// TestJSONRTNativeReference checks JSONRTWant against the jsonrt program
// built for the host (go run), so the wasm engines' output is compared
// with native Go rather than with each other only.
func TestJSONRTNativeReference(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and runs jsonrt natively with go run")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command in PATH to build the native reference: %v", err)
	}
	cmd := exec.Command(goTool, append([]string{"run", "./workloads/go/jsonrt"}, JSONRTArgs[1:]...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go run jsonrt: %v", err)
	}
	if string(out) != JSONRTWant {
		t.Errorf("native jsonrt printed %q, JSONRTWant is %q", out, JSONRTWant)
	}
}
