package bench

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestKilnBenchCLI runs every workload through the kiln CLI's bench
// command (built from this checkout) and checks the result it reports
// against the Go reference, and that jsonrt, a WASI command, exits 0.
func TestKilnBenchCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kiln command")
	}
	kiln := filepath.Join(t.TempDir(), "kiln")
	if out, err := exec.Command("go", "build", "-o", kiln, "github.com/kilnrt/kiln/cmd/kiln").CombinedOutput(); err != nil {
		t.Fatalf("go build kiln: %v\n%s", err, out)
	}
	type result struct {
		Results  []string `json:"results"`
		ExitCode *uint32  `json:"exit_code"`
		Fuel     uint64   `json:"fuel"`
	}
	bench := func(args ...string) result {
		t.Helper()
		out, err := exec.Command(kiln, append([]string{"bench", "-n", "1", "--json"}, args...)...).Output()
		if err != nil {
			t.Fatalf("kiln bench %v: %v", args, err)
		}
		var rs []result
		if err := json.Unmarshal(out, &rs); err != nil || len(rs) != 1 {
			t.Fatalf("kiln bench %v: %v, %d results\n%s", args, err, len(rs), out)
		}
		return rs[0]
	}
	for _, w := range Workloads() {
		arg := strconv.FormatUint(w.TestArg, 10)
		r := bench("--invoke", w.Entry, filepath.Join("workloads", "wasm", w.Module+".wasm"), "--", arg)
		if len(r.Results) != 1 {
			t.Errorf("%s: results %v, want one", w.Name, r.Results)
			continue
		}
		got, err := strconv.ParseInt(r.Results[0], 10, 64)
		if err != nil {
			t.Errorf("%s: result %q: %v", w.Name, r.Results[0], err)
			continue
		}
		if want, ok := w.Check(w.TestArg, uint64(got)); !ok {
			t.Errorf("%s(%d): kiln bench reports %d, reference %d", w.Name, w.TestArg, got, want)
		}
		if r.Fuel == 0 {
			t.Errorf("%s: no fuel consumed", w.Name)
		}
	}
	r := bench(append([]string{filepath.Join("workloads", "wasm", "jsonrt.wasm"), "--"}, JSONRTArgs[1:]...)...)
	if r.ExitCode == nil || *r.ExitCode != 0 {
		t.Errorf("jsonrt: exit code %v, want 0", r.ExitCode)
	}
}
