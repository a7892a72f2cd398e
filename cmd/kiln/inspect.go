package main

import (
	"context"
	"fmt"
	"io"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/wasm"
)

func init() {
	register(command{
		name:    "inspect",
		summary: "show a module's sections, imports and exports",
		run:     runInspect,
	})
}

func runInspect(args []string, stdout, stderr io.Writer) int {
	var engineName string
	path, features, code := parseModuleArgs("inspect", featuresHelp, args, stderr, &engineName)
	if code >= 0 {
		return code
	}
	var eng engine
	if engineName != "" {
		var err error
		if eng, err = lookupEngine(engineName); err != nil {
			fmt.Fprintf(stderr, "kiln inspect: --engine: %v\n", err)
			return exitUsage
		}
	}
	bin, err := readModuleFile(path)
	if err == nil {
		err = inspect(stdout, bin, features)
	}
	if err == nil && eng.configure != nil {
		err = inspectEngine(stdout, bin, features, eng)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kiln: %s: %v\n", path, err)
		return 1
	}
	return 0
}

// inspect prints the layout and interface of a module binary.
func inspect(w io.Writer, bin []byte, features wasm.Features) error {
	sections, err := decoder.Sections(bin)
	if err != nil {
		return err
	}
	m, err := decoder.Decode(bin, features)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "size: %d bytes\n", len(bin))
	fmt.Fprintf(w, "sections (%d):\n", len(sections))
	for _, s := range sections {
		name := s.Kind()
		if s.ID == 0 {
			name = fmt.Sprintf("custom %q", s.Name)
		}
		fmt.Fprintf(w, "  %-20s offset %#08x  size %d\n", name, s.Offset, s.Size)
	}
	fmt.Fprintf(w, "types: %d  functions: %d (%d imported)  tables: %d  memories: %d  globals: %d\n",
		len(m.Types), m.NumFuncs(), m.NumImportedFuncs, m.NumTables(), m.NumMems(), m.NumGlobals())
	fmt.Fprintf(w, "element segments: %d  data segments: %d\n", len(m.Elems), len(m.Data))
	if m.HasStart {
		fmt.Fprintf(w, "start: func %d\n", m.Start)
	}
	fmt.Fprintf(w, "imports (%d):\n", len(m.Imports))
	for _, im := range m.Imports {
		fmt.Fprintf(w, "  %s.%s: %s\n", im.Module, im.Name, describeImport(m, &im))
	}
	fmt.Fprintf(w, "exports (%d):\n", len(m.Exports))
	for _, ex := range m.Exports {
		fmt.Fprintf(w, "  %s: %s %d\n", ex.Name, ex.Kind, ex.Index)
	}
	if len(m.Customs) > 0 {
		fmt.Fprintf(w, "custom sections (%d):\n", len(m.Customs))
		for _, c := range m.Customs {
			fmt.Fprintf(w, "  %q: %d bytes\n", c.Name, len(c.Data))
		}
	}
	if m.Names != nil && m.Names.Module != "" {
		fmt.Fprintf(w, "module name: %q\n", m.Names.Module)
	}
	return nil
}

// inspectEngine compiles the module with eng and prints how many
// functions each engine compiled, and the functions left to another
// engine than the one selected (a JIT's fallbacks).
func inspectEngine(w io.Writer, bin []byte, features wasm.Features, eng engine) error {
	cfg := kiln.RuntimeConfig{Features: features}
	eng.configure(&cfg)
	cm, err := kiln.NewRuntime(cfg).CompileModule(context.Background(), bin)
	if err != nil {
		return err
	}
	m := cm.Module()
	stats := cm.EngineStats()
	fmt.Fprintf(w, "engine %s: %d functions compiled:", eng.name, len(m.Funcs))
	for _, e := range []kiln.Engine{kiln.EngineJIT, kiln.EngineInterpreter} {
		if n := stats[e]; n != 0 {
			fmt.Fprintf(w, " %s %d", e, n)
		}
	}
	fmt.Fprintln(w)
	if cfg.Engine == kiln.EngineAuto {
		return nil // Auto may choose per function: nothing is a fallback
	}
	for i := range m.Funcs {
		if got := cm.FuncEngine(i); got != cfg.Engine {
			idx := m.NumImportedFuncs + uint32(i)
			name := ""
			if m.Names != nil {
				name = m.Names.Funcs[idx]
			}
			fmt.Fprintf(w, "  fallback: func %d %q (%s)\n", idx, name, got)
		}
	}
	return nil
}

func describeImport(m *wasm.Module, im *wasm.Import) string {
	switch im.Kind {
	case wasm.ExternFunc:
		if int(im.TypeIndex) < len(m.Types) {
			return fmt.Sprintf("func (type %d) %s", im.TypeIndex, m.Types[im.TypeIndex].String())
		}
		return fmt.Sprintf("func (type %d)", im.TypeIndex)
	case wasm.ExternTable:
		return fmt.Sprintf("table %s %s", im.Table.Elem, describeLimits(im.Table.Limits))
	case wasm.ExternMemory:
		s := "memory " + describeLimits(im.Mem.Limits)
		if im.Mem.Is64 {
			s += " i64"
		}
		if im.Mem.Shared {
			s += " shared"
		}
		return s
	case wasm.ExternGlobal:
		if im.Global.Mutable {
			return fmt.Sprintf("global (mut %s)", im.Global.Type)
		}
		return fmt.Sprintf("global %s", im.Global.Type)
	}
	return im.Kind.String()
}

func describeLimits(l wasm.Limits) string {
	if l.HasMax {
		return fmt.Sprintf("min %d max %d", l.Min, l.Max)
	}
	return fmt.Sprintf("min %d", l.Min)
}
