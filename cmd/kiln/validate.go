package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

func init() {
	register(command{
		name:    "validate",
		summary: "check that a module is well-formed and valid",
		run:     runValidate,
	})
}

func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	enable := fs.String("enable", "", "comma-separated proposals to enable beyond WebAssembly 2.0 (e.g. threads,memory64)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kiln validate [-enable FEATURES] MODULE.wasm")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	features, err := parseFeatures(*enable)
	if err != nil {
		fmt.Fprintf(stderr, "kiln: %v\n", err)
		return exitUsage
	}
	path := fs.Arg(0)
	m, err := loadModule(path, features)
	if err == nil {
		err = validator.ValidateModule(m, features, nil)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kiln: %s: %v\n", path, err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: valid\n", path)
	return 0
}

// parseFeatures returns WebAssembly 2.0 changed by a comma-separated list:
// a proposal name adds it, "-name" removes it, and the presets "2.0",
// "3.0" and "all" replace the set (e.g. "2.0,-reference-types,threads" is
// the threads proposal's base).
func parseFeatures(list string) (wasm.Features, error) {
	f := wasm.Features2
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		switch name {
		case "":
			continue
		case "2.0":
			f = wasm.Features2
			continue
		case "3.0":
			f = wasm.Features3
			continue
		case "all":
			f = ^wasm.Features(0)
			continue
		}
		remove := strings.HasPrefix(name, "-")
		g, ok := wasm.FeatureByName(strings.TrimPrefix(name, "-"))
		if !ok {
			return 0, fmt.Errorf("unknown feature %q", name)
		}
		if remove {
			f &^= g
		} else {
			f |= g
		}
	}
	return f, nil
}

// loadModule reads and decodes a module file.
func loadModule(path string, features wasm.Features) (*wasm.Module, error) {
	bin, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return decoder.Decode(bin, features)
}
