// Command codesize prints, per workload, the bytes of machine code the
// JIT's two back ends make for the functions both compile: jit/codegen
// for x86-64-v2 and jit/arm64gen for ARMv8.0-A, after the same front end
// and jit/opt passes. It runs on any host (nothing is executed), which
// makes it the arm64 figure to record where the only arm64 machine is
// qemu, whose timings are not a performance result.
//
//	go run ./cmd/codesize [-dir workloads/wasm]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/jit/arm64gen"
	"github.com/kilnrt/kiln/jit/codegen"
	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/opt"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

func main() {
	dir := flag.String("dir", "workloads/wasm", "directory of the workloads' .wasm files")
	flag.Parse()
	files, err := filepath.Glob(filepath.Join(*dir, "*.wasm"))
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no .wasm files in %s", *dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "codesize:", err)
		os.Exit(1)
	}
	fmt.Println("| workload | functions (both / all) | amd64 bytes | arm64 bytes | arm64 / amd64 |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	var totalAMD, totalARM int
	for _, p := range files {
		name := strings.TrimSuffix(filepath.Base(p), ".wasm")
		row, err := sizes(p)
		if err != nil {
			fmt.Fprintf(os.Stderr, "codesize: %s: %v\n", name, err)
			os.Exit(1)
		}
		totalAMD += row.amd
		totalARM += row.arm
		fmt.Printf("| %s | %d/%d | %d | %d | %.2f |\n", name, row.both, row.all, row.amd, row.arm, float64(row.arm)/float64(row.amd))
	}
	fmt.Printf("| total | | %d | %d | %.2f |\n", totalAMD, totalARM, float64(totalARM)/float64(totalAMD))
}

type sizeRow struct{ both, all, amd, arm int }

// sizes compiles the module at path with both back ends, each from its
// own IR (the back ends may rewrite it), keeping only the functions both
// take.
func sizes(path string) (sizeRow, error) {
	bin, err := os.ReadFile(path)
	if err != nil {
		return sizeRow{}, err
	}
	forAMD, err := optimisedIR(bin)
	if err != nil {
		return sizeRow{}, err
	}
	forARM, err := optimisedIR(bin)
	if err != nil {
		return sizeRow{}, err
	}
	row := sizeRow{all: len(forAMD)}
	for i := range forAMD {
		if forAMD[i] == nil || codegen.Check(forAMD[i]) != nil || arm64gen.Check(forARM[i]) != nil {
			forAMD[i], forARM[i] = nil, nil
			continue
		}
		row.both++
	}
	amdCode, err := codegen.Compile(forAMD, amd64.Baseline)
	if err != nil {
		return sizeRow{}, fmt.Errorf("amd64: %w", err)
	}
	armCode, err := arm64gen.Compile(forARM, arm64.Baseline)
	if err != nil {
		return sizeRow{}, fmt.Errorf("arm64: %w", err)
	}
	for i := range forAMD {
		row.amd += amdCode.Sizes[i]
		row.arm += armCode.Sizes[i]
	}
	return row, nil
}

// optimisedIR is the IR of every function the front end builds, after
// jit/opt with what the engine lets it assume of the module
// (opt.ConfigFor); nil for a function it leaves to the interpreter.
func optimisedIR(bin []byte) ([]*ir.Func, error) {
	m, err := decoder.Decode(bin, wasm.Features3)
	if err != nil {
		return nil, err
	}
	results, err := front.Build(m, validator.Config{Features: wasm.Features3})
	if err != nil {
		return nil, err
	}
	oc := opt.ConfigFor(m)
	funcs := make([]*ir.Func, len(results))
	for i, r := range results {
		if r.Err == nil {
			opt.RunWith(r.Func, oc)
			funcs[i] = r.Func
		}
	}
	return funcs, nil
}
