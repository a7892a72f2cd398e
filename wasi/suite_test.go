package wasi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/expectations"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// suiteLanguages are the wasm32-wasip1 directories of the WASI test suite.
var suiteLanguages = []string{"assemblyscript", "c", "rust"}

// suiteTimeout bounds one test program, so a hang fails instead of
// stalling the run.
const suiteTimeout = 2 * time.Minute

// operation is one step of a test specification (specification.md).
type operation struct {
	Type     string            `json:"type"`
	Args     []string          `json:"args"`
	Env      map[string]string `json:"env"`
	Dirs     []string          `json:"dirs"`
	ExitCode *uint32           `json:"exit_code"`
	ID       string            `json:"id"`
	Payload  string            `json:"payload"`
}

// testSpec is a NAME.json file: the legacy form (top-level args, dirs,
// env, exit_code, stdout, stderr) or the operation-based form.
type testSpec struct {
	Args       []string          `json:"args"`
	Dirs       []string          `json:"dirs"`
	Env        map[string]string `json:"env"`
	ExitCode   *uint32           `json:"exit_code"`
	Stdout     *string           `json:"stdout"`
	Stderr     *string           `json:"stderr"`
	Proposals  []string          `json:"proposals"`
	Operations []operation       `json:"operations"`
}

// loadSpec reads the specification of wasmPath, converting the legacy
// form to operations: run, read stdout and stderr (each only when the
// specification gives it, as the reference runner does: some programs
// print diagnostics that no specification describes), wait.
func loadSpec(wasmPath string) (testSpec, error) {
	var spec testSpec
	data, err := os.ReadFile(strings.TrimSuffix(wasmPath, ".wasm") + ".json")
	if err != nil && !os.IsNotExist(err) {
		return spec, err
	}
	if err == nil {
		if err := json.Unmarshal(data, &spec); err != nil {
			return spec, fmt.Errorf("%s: %w", wasmPath, err)
		}
	}
	if len(spec.Operations) == 0 {
		spec.Operations = []operation{{Type: "run", Args: spec.Args, Env: spec.Env, Dirs: spec.Dirs}}
		if spec.Stdout != nil {
			spec.Operations = append(spec.Operations, operation{Type: "read", ID: "stdout", Payload: *spec.Stdout})
		}
		if spec.Stderr != nil {
			spec.Operations = append(spec.Operations, operation{Type: "read", ID: "stderr", Payload: *spec.Stderr})
		}
		spec.Operations = append(spec.Operations, operation{Type: "wait", ExitCode: spec.ExitCode})
	}
	return spec, nil
}

// loadExpectations reads testdata/expectations.txt: "lang/name reason"
// per line, # comments.
func loadExpectations(t *testing.T) map[string]string {
	t.Helper()
	exp, err := expectations.Load(filepath.Join("testdata", "expectations.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return exp
}

// copyTree copies the test directory's data (everything but the test
// programs and their specifications) into dst, writable, keeping
// symbolic links as links and dropping *.cleanup leftovers.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case strings.HasSuffix(p, ".cleanup"):
			return nil
		case rel == filepath.Base(rel) && (strings.HasSuffix(p, ".wasm") || strings.HasSuffix(p, ".json")):
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// runResult is what one run of a test program produced.
type runResult struct {
	exitCode       uint32
	stdout, stderr []byte
	err            error
}

// runSuiteTest executes the spec's operations and returns the first
// mismatch, or nil.
func runSuiteTest(t *testing.T, wasmPath string, spec testSpec) error {
	for _, p := range spec.Proposals {
		return fmt.Errorf("proposal %q is not supported", p)
	}
	bin, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	return runSuiteOps(t, wasmPath, bin, spec, false)
}

// runSuiteOps executes the spec's operations on the program bin;
// blockingStdin gives the program a standard input that never delivers
// data (the wasi-threads tests assume that reading it blocks).
func runSuiteOps(t *testing.T, wasmPath string, bin []byte, spec testSpec, blockingStdin bool) error {
	var res *runResult
	streams := map[string]*bytes.Reader{}
	read := map[string]bool{} // streams with a read operation must be consumed
	for _, op := range spec.Operations {
		switch op.Type {
		case "run":
			if res != nil {
				return fmt.Errorf("second run operation")
			}
			res = runProgram(t.TempDir(), wasmPath, bin, op, blockingStdin)
			streams["stdout"] = bytes.NewReader(res.stdout)
			streams["stderr"] = bytes.NewReader(res.stderr)
		case "read":
			if res == nil {
				return fmt.Errorf("read before run")
			}
			id := op.ID
			if id == "" {
				id = "stdout"
			}
			r, ok := streams[id]
			if !ok {
				return fmt.Errorf("read of unknown stream %q", id)
			}
			read[id] = true
			got := make([]byte, len(op.Payload))
			n, _ := io.ReadFull(r, got)
			if string(got[:n]) != op.Payload {
				return fmt.Errorf("%s = %q, want %q (error: %v)", id, got[:n], op.Payload, res.err)
			}
		case "wait":
			if res == nil {
				return fmt.Errorf("wait before run")
			}
			if res.err != nil {
				return fmt.Errorf("run failed: %v (stderr %q)", res.err, res.stderr)
			}
			want := uint32(0)
			if op.ExitCode != nil {
				want = *op.ExitCode
			}
			if res.exitCode != want {
				return fmt.Errorf("exit code %d, want %d (stdout %q, stderr %q)", res.exitCode, want, res.stdout, res.stderr)
			}
		default:
			return fmt.Errorf("operation %q is not supported", op.Type)
		}
	}
	if res == nil {
		return fmt.Errorf("no run operation")
	}
	for id, r := range streams {
		if read[id] && r.Len() > 0 {
			rest, _ := io.ReadAll(r)
			return fmt.Errorf("unexpected %s %q", id, rest)
		}
	}
	return nil
}

// runProgram runs the test program in work, a private copy of its
// directory, with the operation's arguments, environment and preopens
// (each under its relative name).
func runProgram(work, wasmPath string, bin []byte, op operation, blockingStdin bool) *runResult {
	res := &runResult{}
	if err := copyTree(filepath.Dir(wasmPath), work); err != nil {
		res.err = fmt.Errorf("copy test directory: %w", err)
		return res
	}
	cfg := wasi.Config{
		Name: filepath.Base(wasmPath),
		Args: append([]string{filepath.Base(wasmPath)}, op.Args...),
	}
	keys := make([]string, 0, len(op.Env))
	for k := range op.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cfg.Env = append(cfg.Env, k+"="+op.Env[k])
	}
	for _, d := range op.Dirs {
		cfg.Mounts = append(cfg.Mounts, wasi.Mount{HostDir: filepath.Join(work, d), GuestPath: d})
	}
	var stdout, stderr bytes.Buffer
	cfg.Stdin = strings.NewReader("")
	if blockingStdin {
		r, w, err := os.Pipe()
		if err != nil {
			res.err = err
			return res
		}
		defer r.Close()
		defer w.Close()
		cfg.Stdin = r
	}
	cfg.Stdout, cfg.Stderr = &stdout, &stderr

	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	eng, err := testEngine()
	if err != nil {
		res.err = err
		return res
	}
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Features: wasm.Features3 | wasm.FeatureThreads, Engine: eng, TierEagerly: testsuite.TierEagerly()})
	cm, err := rt.CompileModule(ctx, bin)
	if err == nil {
		res.exitCode, err = wasi.Run(ctx, rt, cm, cfg)
	}
	res.err = err
	res.stdout, res.stderr = stdout.Bytes(), stderr.Bytes()
	return res
}

// TestWASISuite runs the official wasm32-wasip1 tests of every language
// and compares the outcome with testdata/expectations.txt.
func TestWASISuite(t *testing.T) {
	root := testsuite.WASI(t)
	expected := loadExpectations(t)
	seen := map[string]bool{}
	for _, lang := range suiteLanguages {
		dir := filepath.Join(root, lang, "wasm32-wasip1")
		progs, err := filepath.Glob(filepath.Join(dir, "*.wasm"))
		if err != nil {
			t.Fatal(err)
		}
		if len(progs) == 0 {
			t.Errorf("%s: no test programs", dir)
		}
		passed := 0
		for _, prog := range progs {
			name := lang + "/" + strings.TrimSuffix(filepath.Base(prog), ".wasm")
			seen[name] = true
			reason, known := expected[name]
			t.Run(name, func(t *testing.T) {
				spec, err := loadSpec(prog)
				if err == nil {
					err = runSuiteTest(t, prog, spec)
				}
				switch {
				case err == nil && known:
					t.Errorf("passes but is listed in expectations.txt (%s): remove the entry", reason)
				case err == nil:
					passed++
				case known:
					t.Logf("known failure (%s): %v", reason, err)
				default:
					t.Error(err)
				}
			})
		}
		t.Logf("%s: %d/%d passed", lang, passed, len(progs))
	}
	for name := range expected {
		if !seen[name] {
			t.Errorf("expectations.txt lists %s, which is not in the suite", name)
		}
	}
}

// TestWASIThreadsSuite runs the suite's proposals/wasi-threads tests:
// text modules, parsed by kiln's own WAT parser, each with the exit code
// its NAME.json gives (0 without one). They spawn threads over an
// imported shared memory and end the process from one thread while
// another is blocked or busy.
func TestWASIThreadsSuite(t *testing.T) {
	dir := filepath.Join(testsuite.WASI(t), "proposals", "wasi-threads")
	progs, err := filepath.Glob(filepath.Join(dir, "*.wat"))
	if err != nil {
		t.Fatal(err)
	}
	if len(progs) == 0 {
		t.Fatalf("%s: no test programs", dir)
	}
	var passed atomic.Int32
	t.Run("group", func(t *testing.T) {
		for _, prog := range progs {
			prog := prog
			t.Run(strings.TrimSuffix(filepath.Base(prog), ".wat"), func(t *testing.T) {
				t.Parallel() // most wait half a second on purpose
				src, err := os.ReadFile(prog)
				if err != nil {
					t.Fatal(err)
				}
				bin, err := wast.Parser{Features: wasm.Features3 | wasm.FeatureThreads}.ParseModule(prog, src)
				if err != nil {
					t.Fatal(err)
				}
				wasmPath := strings.TrimSuffix(prog, ".wat") + ".wasm"
				spec, err := loadSpec(wasmPath)
				if err != nil {
					t.Fatal(err)
				}
				if err := runSuiteOps(t, wasmPath, bin, spec, true); err != nil {
					t.Fatal(err)
				}
				passed.Add(1)
			})
		}
	})
	t.Logf("wasi-threads: %d/%d passed", passed.Load(), len(progs))
}

// testEngine is the engine $KILN_ENGINE selects for the WASI test suite
// and the repository's test programs.
func testEngine() (kiln.Engine, error) {
	eng, err := kiln.ParseEngine(testsuite.Engine())
	if err != nil {
		return 0, fmt.Errorf("$%s: %w", testsuite.EngineEnv, err)
	}
	return eng, nil
}
