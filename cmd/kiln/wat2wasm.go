package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kilnrt/kiln/internal/boundedread"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

func init() {
	register(command{
		name:    "wat2wasm",
		summary: "convert a WebAssembly text module (.wat) to binary (.wasm)",
		run:     runWat2wasm,
	})
}

// runWat2wasm implements `kiln wat2wasm IN.wat [-o OUT.wasm]`. Without -o
// the binary is written next to the input with the .wasm extension; "-o -"
// writes it to standard output.
func runWat2wasm(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wat2wasm", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output file (\"-\" for standard output; default: IN with .wasm extension)")
	features := fs.String("features", "", "comma-separated proposals whose text rules apply (memory64: 64-bit limits and offsets)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kiln wat2wasm IN.wat [-o OUT.wasm] [-features LIST]")
		fs.PrintDefaults()
	}
	// Accept the input before or after the flags.
	var in string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		in, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if in == "" && fs.NArg() == 1 {
		in = fs.Arg(0)
	} else if fs.NArg() != 0 || in == "" {
		fs.Usage()
		return exitUsage
	}
	src, err := boundedread.ReadFile(in, defaultMaxModuleBytes, "text module")
	if err != nil {
		fmt.Fprintf(stderr, "kiln wat2wasm: %v\n", err)
		return 1
	}
	var p wast.Parser
	for _, name := range strings.Split(*features, ",") {
		if name == "" {
			continue
		}
		f, ok := wasm.FeatureByName(strings.TrimSpace(name))
		if !ok {
			fmt.Fprintf(stderr, "kiln wat2wasm: unknown feature %q\n", name)
			return exitUsage
		}
		p.Features |= f
	}
	bin, err := p.ParseModule(in, src)
	if err != nil {
		fmt.Fprintf(stderr, "kiln wat2wasm: %v\n", err)
		return 1
	}
	if *out == "-" {
		if _, err := stdout.Write(bin); err != nil {
			fmt.Fprintf(stderr, "kiln wat2wasm: %v\n", err)
			return 1
		}
		return 0
	}
	dst := *out
	if dst == "" {
		dst = strings.TrimSuffix(in, ".wat") + ".wasm"
	}
	if err := os.WriteFile(dst, bin, 0o644); err != nil {
		fmt.Fprintf(stderr, "kiln wat2wasm: %v\n", err)
		return 1
	}
	return 0
}
