package main

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// stubImports (--stub-imports) provides every import of m from a module
// that nothing provides (neither the process's linker, nor rt's registry,
// nor WASI, which System.Link defines next): a function traps when
// called, naming itself; a memory, table or global is a fresh one of the
// imported type (zero, null elements), memories and tables charged to the
// process's quota. The stand-in modules go into the process's linker.
// Imports of modules that are provided are left to the linker, whose
// error then names the missing export. It returns the stubbed imports as
// "module.name (kind)".
func stubImports(ctx context.Context, rt *kiln.Runtime, sys *wasi.System, m *wasm.Module) ([]string, error) {
	linker := sys.Linker()
	provided := func(mod string) bool {
		return mod == wasi.ModuleName || mod == wasi.ThreadsModule || linker.Lookup(mod) != nil || rt.Lookup(mod) != nil
	}
	builders := map[string]*kiln.HostModuleBuilder{}
	var order, stubbed []string
	seen := map[[2]string]bool{}
	for i := range m.Imports {
		imp := &m.Imports[i]
		key := [2]string{imp.Module, imp.Name}
		if provided(imp.Module) || seen[key] {
			continue
		}
		seen[key] = true
		b := builders[imp.Module]
		if b == nil {
			b = rt.NewHostModule(imp.Module).Limiter(sys.ModuleConfig().Limiter)
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
		inst, err := builders[mod].Build(ctx)
		if err != nil {
			return nil, fmt.Errorf("--stub-imports: module %q: %w", mod, err)
		}
		linker.Define(mod, inst)
	}
	return stubbed, nil
}
