package wast

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/kilnrt/kiln/internal/testsuite"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// wastFiles lists the .wast files of dir and its simd/ subdirectory.
func wastFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"*.wast", "simd/*.wast"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no .wast files in %s", dir)
	}
	return files
}

// suiteModule is a module of the suite with what the script expects of it.
type suiteModule struct {
	file  string
	mod   *Module
	valid bool   // expected to decode and validate
	src   string // source text of a text module
}

func (s suiteModule) String() string { return fmt.Sprintf("%s (%s module)", s.mod.Pos, s.mod.Kind) }

// suiteModules parses every script and classifies its modules.
func suiteModules(t *testing.T, files []string) (mods []suiteModule, ok bool) {
	ok = true
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		s, err := ParseScript(file, src)
		if err != nil {
			t.Errorf("%v", err)
			ok = false
			continue
		}
		lines := strings.SplitAfter(string(src), "\n")
		add := func(m *Module, valid bool) {
			sm := suiteModule{file: file, mod: m, valid: valid}
			switch m.Kind {
			case ModuleText:
				sm.src = moduleSource(lines, m.Pos)
			case ModuleQuote:
				sm.src = m.Quote
				if !strings.HasPrefix(strings.TrimSpace(sm.src), "(module") {
					sm.src = "(module " + sm.src + ")"
				}
			}
			mods = append(mods, sm)
		}
		for _, c := range s.Commands {
			switch c := c.(type) {
			case *ModuleCommand:
				add(c.Module, true)
			case *AssertTrap:
				if c.Module != nil {
					add(c.Module, true)
				}
			case *AssertUnlinkable:
				add(c.Module, true)
			case *AssertUninstantiable:
				add(c.Module, true)
			case *AssertInvalid:
				add(c.Module, false)
			case *AssertMalformed:
				add(c.Module, false)
			}
		}
	}
	return mods, ok
}

// moduleSource cuts the (module ...) form starting at pos out of the
// source lines, by balancing parentheses (strings and comments included).
func moduleSource(lines []string, pos Pos) string {
	rest := strings.Join(lines[pos.Line-1:], "")[pos.Col-1:]
	l := newLexer("", rest)
	depth := 0
	for {
		t, err := l.next()
		if err != nil || t.kind == tokEOF {
			return rest
		}
		switch t.kind {
		case tokLParen, tokAnnot:
			depth++
		case tokRParen:
			depth--
			if depth == 0 {
				return rest[:l.off]
			}
		}
	}
}

// TestSpecScripts parses every script of the 2.0 suite and checks the
// text-level expectations: text modules encode (also those expected to be
// invalid), quote modules expected to be malformed are rejected and the
// other quote modules encode.
func TestSpecScripts(t *testing.T) {
	dir := testsuite.Spec(t, "wasm-2.0")
	var rejected, malformedQuotes, messages int
	for _, file := range wastFiles(t, dir) {
		name, _ := filepath.Rel(dir, file)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			s, err := ParseScript(file, src)
			if err != nil {
				t.Fatalf("ParseScript: %v", err)
			}
			for _, c := range s.Commands {
				var m *Module
				malformed := false
				switch c := c.(type) {
				case *ModuleCommand:
					m = c.Module
				case *AssertTrap:
					m = c.Module
				case *AssertUnlinkable:
					m = c.Module
				case *AssertUninstantiable:
					m = c.Module
				case *AssertInvalid:
					m = c.Module
				case *AssertMalformed:
					m, malformed = c.Module, true
				}
				if m == nil || m.Kind == ModuleBinary {
					continue
				}
				_, err := m.Encode()
				switch {
				case malformed && m.Kind == ModuleQuote:
					malformedQuotes++
					if err == nil {
						t.Errorf("%s: quote module expected to be malformed (%q) was accepted", m.Pos, c.(*AssertMalformed).Message)
					} else {
						rejected++
						if strings.Contains(err.Error(), c.(*AssertMalformed).Message) {
							messages++
						}
						if !errors.Is(err, errMalformedSentinel) {
							t.Errorf("%s: error does not wrap wasm.ErrMalformed: %v", m.Pos, err)
						}
					}
				case malformed:
					// A malformed text module (not used by the suite): any outcome.
				case err != nil:
					t.Errorf("%s: %s module does not encode: %v", m.Pos, m.Kind, err)
				}
			}
		})
	}
	t.Logf("malformed quote modules rejected: %d of %d (%d errors contain the suite's message)", rejected, malformedQuotes, messages)
}

// TestSpecValidate encodes every module the suite expects to be valid and
// checks it with wabt's wasm-validate; it also counts how many text
// modules encode byte-identically to wabt's wat2wasm.
func TestSpecValidate(t *testing.T) {
	if emu := testsuite.Emulator(); emu != "" {
		// The encoder's bytes do not depend on the host; the native run
		// checks them. Thousands of fork+execs from an emulated,
		// multithreaded binary can hang in qemu-user (one CI run sat 10
		// minutes in forkExec's read of the exec pipe).
		t.Skipf("not under %s: wasm-validate runs natively, and the encoded bytes are the same on every host", emu)
	}
	dir := testsuite.Spec(t, "wasm-2.0")
	mods, _ := suiteModules(t, wastFiles(t, dir))
	validate, err := exec.LookPath("wasm-validate")
	if err != nil {
		t.Skip("wasm-validate (wabt) is not installed: skipping validation of encoded modules")
	}
	known := validateExpectations(t)
	tmp := t.TempDir()
	type job struct {
		i    int
		sm   suiteModule
		bin  []byte
		path string
	}
	var jobs []job
	for i, sm := range mods {
		if !sm.valid || sm.mod.Kind == ModuleBinary {
			continue
		}
		bin, err := sm.mod.Encode()
		if err != nil {
			t.Errorf("%s: does not encode: %v", sm, err)
			continue
		}
		p := filepath.Join(tmp, fmt.Sprintf("m%d.wasm", i))
		if err := os.WriteFile(p, bin, 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job{i, sm, bin, p})
	}
	wat2wasm, haveWat2wasm := exec.LookPath("wat2wasm")
	var mu sync.Mutex
	var identical, compared int
	var differ []string
	work := make(chan job)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				out, err := exec.Command(validate, j.path).CombinedOutput()
				key := expectationKey(j.sm.mod.Pos)
				mu.Lock()
				switch {
				case err != nil && known[key] == "":
					t.Errorf("%s: wasm-validate rejects kiln's binary: %s", j.sm, bytes.TrimSpace(out))
				case err == nil && known[key] != "":
					t.Errorf("%s: wasm-validate now accepts it: remove it from %s", j.sm, expectationsFile)
				}
				mu.Unlock()
				if haveWat2wasm != nil || !strings.HasPrefix(j.sm.src, "(module") {
					continue
				}
				watPath := strings.TrimSuffix(j.path, ".wasm") + ".wat"
				refPath := strings.TrimSuffix(j.path, ".wasm") + ".ref.wasm"
				if err := os.WriteFile(watPath, []byte(j.sm.src), 0o644); err != nil {
					continue
				}
				if exec.Command(wat2wasm, "--no-check", watPath, "-o", refPath).Run() != nil {
					continue // wabt cannot encode this text
				}
				ref, err := os.ReadFile(refPath)
				if err != nil {
					continue
				}
				mu.Lock()
				compared++
				if bytes.Equal(ref, j.bin) {
					identical++
				} else {
					differ = append(differ, j.sm.String())
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	t.Logf("validated %d encoded modules with wasm-validate", len(jobs))
	if haveWat2wasm == nil {
		sort.Strings(differ)
		t.Logf("byte-identical to wat2wasm: %d of %d compared text and quote modules", identical, compared)
		for i, d := range differ {
			if i == 20 {
				t.Logf("... and %d more", len(differ)-20)
				break
			}
			t.Logf("differs from wat2wasm: %s", d)
		}
	} else {
		t.Log("wat2wasm (wabt) is not installed: byte comparison skipped")
	}
}

const expectationsFile = "testdata/wasm-validate-expectations.txt"

// validateExpectations reads the known wasm-validate rejections: a map
// from "suite/file.wast:line" to the reason.
func validateExpectations(t *testing.T) map[string]string {
	data, err := os.ReadFile(expectationsFile)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, reason, _ := strings.Cut(line, " ")
		known[key] = reason
	}
	return known
}

// expectationKey names a module by its file relative to the suite root
// and its line.
func expectationKey(p Pos) string {
	rel, err := filepath.Rel(os.Getenv("KILN_SPECTEST_DIR"), p.File)
	if err != nil {
		rel = p.File
	}
	return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), p.Line)
}

// TestSpecScriptsLater parses the scripts of the suites beyond 2.0
// (wasm-3.0 with its proposal directories, threads, legacy-exceptions),
// with the 3.0 text rules for wasm-3.0 and legacy-exceptions: every script
// must parse, every text and quote module encode (also those expected to
// be invalid), every quote module expected to be malformed be rejected.
func TestSpecScriptsLater(t *testing.T) {
	root := testsuite.Spec(t, "")
	for _, suite := range []string{"wasm-3.0", "threads", "legacy-exceptions"} {
		p := Parser{Features: wasm.Features3}
		if suite == "threads" {
			p.Features = wasm.FeatureThreads // 2.0 text rules
		}
		files := testsuite.WastFiles(t, filepath.Join(root, suite))
		var modules, encoded, malformed, rejected int
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			s, err := p.ParseScript(file, src)
			if err != nil {
				t.Errorf("ParseScript: %v", err)
				continue
			}
			for _, c := range s.Commands {
				switch c := c.(type) {
				case *AssertMalformed:
					if c.Module.Kind == ModuleQuote {
						malformed++
						if _, err := c.Module.Encode(); err != nil {
							rejected++
						} else {
							t.Errorf("%s: quote module expected to be malformed (%q) was accepted", c.Module.Pos, c.Message)
						}
					}
				case *ModuleCommand, *AssertInvalid, *AssertTrap, *AssertUnlinkable, *AssertUninstantiable:
					m := commandModule(c)
					if m == nil || m.Kind == ModuleBinary {
						continue
					}
					modules++
					if _, err := m.Encode(); err == nil {
						encoded++
					} else {
						t.Errorf("%s: %s module does not encode: %v", m.Pos, m.Kind, err)
					}
				}
			}
		}
		t.Logf("%s: %d scripts parse; %d of %d text/quote modules encode; %d of %d malformed quote modules rejected",
			suite, len(files), encoded, modules, rejected, malformed)
	}
}

// commandModule returns the module a command carries, or nil.
func commandModule(c Command) *Module {
	switch c := c.(type) {
	case *ModuleCommand:
		return c.Module
	case *AssertTrap:
		return c.Module
	case *AssertInvalid:
		return c.Module
	case *AssertMalformed:
		return c.Module
	case *AssertUnlinkable:
		return c.Module
	case *AssertUninstantiable:
		return c.Module
	}
	return nil
}
