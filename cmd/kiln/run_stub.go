package main

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
)

// stubImports (--stub-imports) provides every import of m from a module
// that nothing registered in rt provides: a function traps when called,
// naming itself; a memory, table or global is a fresh one of the imported
// type (zero, null elements). Imports of modules that are provided (WASI)
// are left to the linker, whose error then names the missing export. It
// returns the stubbed imports as module.name.
func stubImports(ctx context.Context, rt *kiln.Runtime, m *wasm.Module) ([]string, error) {
	builders := map[string]*kiln.HostModuleBuilder{}
	var order, stubbed []string
	seen := map[[2]string]bool{}
	for i := range m.Imports {
		imp := &m.Imports[i]
		key := [2]string{imp.Module, imp.Name}
		if rt.Lookup(imp.Module) != nil || seen[key] {
			continue
		}
		seen[key] = true
		b := builders[imp.Module]
		if b == nil {
			b = rt.NewHostModule(imp.Module)
			builders[imp.Module] = b
			order = append(order, imp.Module)
		}
		name := imp.Module + "." + imp.Name
		switch imp.Kind {
		case wasm.ExternFunc:
			b.RawFunc(imp.Name, m.Types[imp.TypeIndex], func(context.Context, *kiln.Caller, []uint64) {
				panic(&kiln.Trap{Code: kiln.TrapUnreachable,
					Detail: "(called " + name + ", a missing import stubbed by --stub-imports)"})
			})
		case wasm.ExternMemory:
			b.MemoryOfType(imp.Name, imp.Mem)
		case wasm.ExternTable:
			b.Table(imp.Name, imp.Table)
		case wasm.ExternGlobal:
			b.Global(imp.Name, imp.Global, kiln.Value{Type: imp.Global.Type})
		default:
			return nil, fmt.Errorf("--stub-imports: cannot stand in for %s, a %s import", name, imp.Kind)
		}
		stubbed = append(stubbed, name+" ("+imp.Kind.String()+")")
	}
	for _, mod := range order {
		if _, err := builders[mod].Instantiate(ctx); err != nil {
			return nil, fmt.Errorf("--stub-imports: module %q: %w", mod, err)
		}
	}
	return stubbed, nil
}
