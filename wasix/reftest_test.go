package wasix_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/expectations"
)

// The differential test runs every WASIX test program (programs) on kiln
// and on the reference runtime, @wasmer/sdk under Node
// (testdata/reftest/run.mjs), and compares standard output and exit
// status. It needs node and `npm ci` in testdata/reftest, so it runs only
// with KILN_WASMER_SDK=1 (.ci/run sets it when the install worked).
// Known divergences, with their reasons, are listed in
// testdata/reftest/expectations.txt; a listed case that agrees fails.

// refResult is what run.mjs prints.
type refResult struct {
	Stdout   string `json:"stdout"`
	Stderr   string `json:"stderr"`
	ExitCode uint32 `json:"exitCode"`
	Reason   string `json:"reason"` // exited, terminated or timeout
}

// refAttempts is how often the reference runs a case before its answer
// is taken: under @wasmer/sdk 0.16.0 a thread_sleep or a thread_join
// sometimes never returns (run.mjs gives up after 20 s), and on a loaded
// machine it has been seen printing a threaded program's output twice.
// A run that hung, or (when agree is not nil) one that disagrees with
// kiln, is tried again; only the reference is re-run, kiln's result is
// the one of its single run.
const refAttempts = 4

// refDeadline bounds one run of the reference, in case run.mjs's own
// timeout cannot fire.
const refDeadline = 90 * time.Second

// runOnReference runs p on the reference; agree, if not nil, says whether
// a finished run matches kiln's.
func runOnReference(t *testing.T, p program, agree func(refResult) bool) refResult {
	t.Helper()
	args := []string{"run.mjs"}
	names := make([]string, 0, len(p.files))
	for name := range p.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		args = append(args, "--file", "/workspace/"+name+"="+p.files[name])
	}
	for _, name := range p.wasm {
		host, err := filepath.Abs(filepath.Join("testdata", name+".wasm"))
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--bytes", "/workspace/"+name+".wasm="+host)
	}
	if p.loopback {
		args = append(args, "--host-network")
	}
	wasmPath, err := filepath.Abs(filepath.Join("testdata", p.prog+".wasm"))
	if err != nil {
		t.Fatal(err)
	}
	args = append(args, wasmPath)
	args = append(args, p.args...)
	var last refResult
	for attempt := 1; attempt <= refAttempts; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), refDeadline)
		cmd := exec.CommandContext(ctx, "node", args...)
		cmd.Dir = filepath.Join("testdata", "reftest")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		killed := ctx.Err() != nil
		cancel()
		switch {
		case killed:
			// run.mjs's own timer cannot fire while the reference
			// spins on node's main thread: it hung, and another
			// attempt would cost as long again.
			t.Skipf("the reference runtime blocked node for %v (attempt %d); not compared", refDeadline, attempt)
		case err != nil:
			t.Fatalf("node %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		default:
			if err := json.Unmarshal(out, &last); err != nil {
				t.Fatalf("run.mjs printed %q: %v", out, err)
			}
		}
		switch {
		case last.Reason == "timeout":
			t.Logf("%s: the reference runtime hung (attempt %d of %d)", p.name, attempt, refAttempts)
		case agree != nil && !agree(last) && attempt < refAttempts:
			t.Logf("%s: the reference disagrees with kiln (attempt %d of %d): %+v", p.name, attempt, refAttempts, last)
		default:
			return last
		}
	}
	if last.Reason != "timeout" {
		return last
	}
	// A reference that never finishes says nothing about kiln: this
	// case is not compared (and says so) rather than failing the run.
	t.Skipf("the reference runtime hung %d times in a row; not compared (stdout so far %q)", refAttempts, last.Stdout)
	return last
}

// hangs begins the reason of a listed case that the reference never
// finishes: it is not run there at all.
const hangs = "hangs:"

// loadExpectations reads testdata/reftest/expectations.txt: CASE REASON lines.
func loadExpectations(t *testing.T) map[string]string {
	t.Helper()
	known, err := expectations.Load(filepath.Join("testdata", "reftest", "expectations.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return known
}

func TestReference(t *testing.T) {
	if os.Getenv("KILN_WASMER_SDK") != "1" {
		t.Skip("set KILN_WASMER_SDK=1 (with node and `npm ci` in wasix/testdata/reftest) to compare with @wasmer/sdk")
	}
	known := loadExpectations(t)
	cases := map[string]bool{}
	for _, p := range programs {
		cases[p.name] = true
		t.Run(p.name, func(t *testing.T) {
			code, out, _ := runOnKiln(t, p)
			reason, listed := known[p.name]
			if strings.HasPrefix(reason, hangs) {
				// Each attempt would wait for run.mjs's timeout.
				t.Skipf("not run on the reference (expectations.txt): %s", reason)
			}
			var agree func(refResult) bool // a known divergence is not re-run
			if !listed {
				agree = func(r refResult) bool {
					return r.Reason == "exited" && r.ExitCode == code && r.Stdout == out
				}
			}
			ref := runOnReference(t, p, agree)
			diff := ""
			if ref.Reason != "exited" {
				diff += fmt.Sprintf("reference %s (exit %d)\n", ref.Reason, ref.ExitCode)
			}
			if ref.ExitCode != code {
				diff += fmt.Sprintf("exit: kiln %d, reference %d\n", code, ref.ExitCode)
			}
			if ref.Stdout != out {
				diff += fmt.Sprintf("stdout: kiln\n%s\nreference\n%s", out, ref.Stdout)
			}
			switch {
			case listed && diff == "":
				t.Errorf("listed as diverging (%s) but kiln and the reference agree: remove it from expectations.txt", reason)
			case listed:
				t.Logf("known divergence (%s):\n%s", reason, diff)
			case diff != "":
				t.Errorf("kiln and the reference differ:\n%s(reference stderr %q)", diff, ref.Stderr)
			}
		})
	}
	for name := range known {
		if !cases[name] {
			t.Errorf("expectations.txt lists %q, which is not a case", name)
		}
	}
}

// TestReferenceFutexCounter checks the reference itself on the 8-thread
// futex counter: the program the issue names must print the right total
// there too, not merely the same output as kiln.
func TestReferenceFutexCounter(t *testing.T) {
	if os.Getenv("KILN_WASMER_SDK") != "1" {
		t.Skip("set KILN_WASMER_SDK=1 to run the reference runtime")
	}
	want := programs[0].stdout
	ref := runOnReference(t, programs[0], func(r refResult) bool {
		return r.Reason == "exited" && r.ExitCode == 0 && r.Stdout == want
	})
	if ref.Reason != "exited" || ref.ExitCode != 0 || ref.Stdout != programs[0].stdout {
		t.Fatalf("reference: %+v", ref)
	}
}
