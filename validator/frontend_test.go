package validator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// frontEndCase is one module of a script with the outcome the script
// expects of the front end (text encoder, decoder, validator).
type frontEndCase struct {
	pos  wast.Pos
	kind string // "valid", "invalid" or "malformed"
	mod  *wast.Module
	msg  string
}

func frontEndCases(cmds []wast.Command, out []frontEndCase) []frontEndCase {
	for _, c := range cmds {
		switch c := c.(type) {
		case *wast.ModuleCommand:
			out = append(out, frontEndCase{c.Module.Pos, "valid", c.Module, ""})
		case *wast.AssertTrap:
			if c.Module != nil {
				out = append(out, frontEndCase{c.Pos, "valid", c.Module, ""})
			}
		case *wast.AssertUnlinkable:
			out = append(out, frontEndCase{c.Pos, "valid", c.Module, ""})
		case *wast.AssertUninstantiable:
			out = append(out, frontEndCase{c.Pos, "valid", c.Module, ""})
		case *wast.AssertInvalid:
			out = append(out, frontEndCase{c.Pos, "invalid", c.Module, c.Message})
		case *wast.AssertMalformed:
			out = append(out, frontEndCase{c.Pos, "malformed", c.Module, c.Message})
		case *wast.ThreadCommand:
			out = frontEndCases(c.Commands, out)
		}
	}
	return out
}

// frontEndRun runs one case through the text encoder, decoder and
// validator. It returns "" when the front end behaves as the script
// expects, else a description of the difference, and the error of an
// expected failure.
func frontEndRun(fc frontEndCase, features wasm.Features) (string, error) {
	bin, err := fc.mod.Encode()
	if err != nil {
		if fc.kind == "malformed" && fc.mod.Kind != wast.ModuleBinary {
			return "", err
		}
		return fmt.Sprintf("expected %s, text did not encode: %v", fc.kind, err), nil
	}
	if fc.kind == "malformed" && fc.mod.Kind == wast.ModuleText {
		return "expected malformed, text encoded", nil
	}
	m, err := decoder.Decode(bin, features)
	if err != nil {
		if fc.kind == "malformed" {
			return "", err
		}
		return fmt.Sprintf("expected %s (%s), decode: %v", fc.kind, fc.msg, err), nil
	}
	err = ValidateModule(m, features, nil)
	switch {
	case err == nil && fc.kind == "valid":
		return "", nil
	case err == nil:
		return fmt.Sprintf("expected %s (%s), validated", fc.kind, fc.msg), nil
	case fc.kind == "malformed" && errors.Is(err, wasm.ErrMalformed):
		return "", err
	case fc.kind == "invalid" && errors.Is(err, wasm.ErrInvalid):
		return "", err
	}
	return fmt.Sprintf("expected %s (%s), validate: %v", fc.kind, fc.msg, err), nil
}

// TestFrontEndLater runs the modules of the suites beyond 2.0 through the
// front end only (text encoder, decoder, validator without an engine), with
// the features of WebAssembly 3.0 (the threads suite, based on the MVP, with
// 2.0 without reference types plus threads): every module must be accepted or
// rejected at the stage the script expects.
func TestFrontEndLater(t *testing.T) {
	root := testsuite.Spec(t, "")
	for _, suite := range []string{"wasm-3.0", "threads", "legacy-exceptions"} {
		features := wasm.Features3
		if suite == "threads" {
			// The threads proposal is based on the MVP: one table, one
			// memory, 32-bit limits.
			features = wasm.Features2&^wasm.FeatureReferenceTypes | wasm.FeatureThreads
		}
		files := testsuite.WastFiles(t, filepath.Join(root, suite))
		counts := map[string][2]int{}
		checked, matched := 0, 0
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			s, err := wast.Parser{Features: features}.ParseScript(file, src)
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			for _, fc := range frontEndCases(s.Commands, nil) {
				n := counts[fc.kind]
				n[0]++
				d, ferr := frontEndRun(fc, features)
				if d != "" {
					n[1]++
					t.Errorf("%s: %s", fc.pos, d)
				}
				if ferr != nil && fc.msg != "" {
					checked++
					if strings.Contains(ferr.Error(), fc.msg) {
						matched++
					} else if os.Getenv("KILN_FRONTEND_VERBOSE") != "" {
						t.Logf("%s: message %q not in %v", fc.pos, fc.msg, ferr)
					}
				}
				counts[fc.kind] = n
			}
		}
		t.Logf("%s: valid %d/%d failed, invalid %d/%d failed, malformed %d/%d failed", suite,
			counts["valid"][1], counts["valid"][0], counts["invalid"][1], counts["invalid"][0],
			counts["malformed"][1], counts["malformed"][0])
		t.Logf("%s: %d of %d expected failures carry the suite's message", suite, matched, checked)
	}
}
