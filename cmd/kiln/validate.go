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
	path, features, ok := parseModuleArgs("validate", "comma-separated proposals to enable beyond WebAssembly 2.0 (e.g. threads,memory64)", args, stderr)
	if !ok {
		return exitUsage
	}
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

// parseModuleArgs parses the arguments of a command that takes
// [-enable FEATURES] and one module path; enableHelp describes -enable. ok
// is false once a usage error has been reported on stderr.
func parseModuleArgs(name, enableHelp string, args []string, stderr io.Writer) (path string, features wasm.Features, ok bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	enable := fs.String("enable", "", enableHelp)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: kiln %s [-enable FEATURES] MODULE.wasm\n", name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return "", 0, false
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", 0, false
	}
	features, err := parseFeatures(*enable)
	if err != nil {
		fmt.Fprintf(stderr, "kiln: %v\n", err)
		return "", 0, false
	}
	return fs.Arg(0), features, true
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
