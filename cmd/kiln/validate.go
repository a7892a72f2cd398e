package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kilnrt/kiln"
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
	path, features, code := parseModuleArgs("validate", featuresHelp, args, stderr, nil)
	if code >= 0 {
		return code
	}
	bin, err := readModuleFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "kiln: %v\n", err)
		return 1
	}
	m, err := decoder.Decode(bin, features)
	if err == nil {
		err = validator.ValidateModule(m, features, nil)
	}
	if err != nil {
		if missing := validator.MissingFeatures(bin, features); missing != 0 {
			err = &kiln.FeatureError{Missing: missing, Err: err}
		}
		fmt.Fprintf(stderr, "kiln: %s: %s\n", path, describeError(err))
		return 1
	}
	fmt.Fprintf(stdout, "%s: valid\n", path)
	return 0
}

// parseModuleArgs parses the arguments of a command that takes
// [-enable FEATURES] and one module path; enableHelp describes -enable.
// code is -1 on success, else the exit code to return (0 after -h, once
// the usage is printed; exitUsage after a usage error reported on stderr).
// With engineName not nil, the command takes --engine too.
func parseModuleArgs(name, enableHelp string, args []string, stderr io.Writer, engineName *string) (path string, features wasm.Features, code int) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	enable := fs.String("enable", "", enableHelp)
	engineFlag := ""
	if engineName != nil {
		fs.StringVar(engineName, "engine", "", "also compile with engine `NAME` ("+engineNames()+") and show which engine compiled each function")
		engineFlag = " [-engine NAME]"
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: kiln %s [-enable FEATURES]%s MODULE.wasm\n", name, engineFlag)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return "", 0, parseExit(err)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", 0, exitUsage
	}
	features, err := parseFeatures(*enable)
	if err != nil {
		fmt.Fprintf(stderr, "kiln: %v\n", err)
		return "", 0, exitUsage
	}
	return fs.Arg(0), features, -1
}

// featuresHelp describes the -enable flag of the commands that take one.
const featuresHelp = "comma-separated `FEATURES` to add to WebAssembly 3.0 (e.g. threads), remove (-gc) or presets (2.0, 3.0, all)"

// describeError is an error's text for the command line: a
// *kiln.FeatureError names the -enable flag that makes the module
// acceptable instead of the Go configuration.
func describeError(err error) string {
	var fe *kiln.FeatureError
	if !errors.As(err, &fe) {
		return err.Error()
	}
	return fmt.Sprintf("%v: %s (add --enable %s)", fe.Err, fe.Reason(), strings.ReplaceAll(fe.Missing.String(), "|", ","))
}

// parseFeatures returns kiln.DefaultFeatures (WebAssembly 3.0) changed by a comma-separated list:
// a proposal name adds it, "-name" removes it, and the presets "2.0",
// "3.0" and "all" replace the set (e.g. "2.0,-reference-types,threads" is
// the threads proposal's base).
func parseFeatures(list string) (wasm.Features, error) {
	return parseFeaturesFrom(kiln.DefaultFeatures, list)
}

// parseFeaturesFrom is parseFeatures starting from base.
func parseFeaturesFrom(base wasm.Features, list string) (wasm.Features, error) {
	f := base
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
