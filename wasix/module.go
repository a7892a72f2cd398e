package wasix

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// Define adds the host modules wasix_32v1 and wasix_64v1 to the linker of
// process sys, so that the modules sys runs import them. wasix_32v1 also
// serves every preview 1 function, as the reference runtime does. The
// process's fd_renumber becomes POSIX dup2, in every module that serves
// it (see kernel.Process.SetRenumberDup2).
//
// sys becomes the first process of a WASIX process tree, whose processes
// (proc_spawn2, proc_exec3...) run in rt; the tree ends with it. Call
// Wait after the run to wait for the tree's other processes.
func Define(ctx context.Context, rt *kiln.Runtime, sys *wasi.System) error {
	attach(ctx, rt, sys, nil)
	return defineModules(ctx, rt, sys)
}

// defineModules defines the WASIX host modules in sys's linker.
func defineModules(ctx context.Context, rt *kiln.Runtime, sys *wasi.System) error {
	for _, mod := range []struct {
		name  string
		is64  bool
		funcs []wasi.Function
	}{
		{Module32, false, served32},
		{Module64, true, served64},
	} {
		inst, err := wasi.NewModule(ctx, rt, mod.name, mod.funcs, mod.is64)
		if err != nil {
			return fmt.Errorf("wasix: %w", err)
		}
		sys.Linker().Define(mod.name, inst)
	}
	// wasix-libc implements dup2 and dup3 with (preview 1's) fd_renumber.
	sys.Process().SetRenumberDup2(true)
	return nil
}

// Run runs the WASIX (or WASI) command cm as the process cfg describes,
// with the WASIX modules defined, and releases the process afterwards.
// The results are those of wasi.System.Run: the exit code (proc_exit2,
// proc_exit, or 0 when _start returns or the last thread ends), or the
// error that ended the run (a trap, fuel, the context).
func Run(ctx context.Context, rt *kiln.Runtime, cm *kiln.CompiledModule, cfg wasi.Config) (uint32, error) {
	sys, err := wasi.New(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer Wait(sys)
	defer sys.Close()
	if err := Define(ctx, rt, sys); err != nil {
		return 0, err
	}
	return sys.Run(ctx, rt, cm)
}

// served32 and served64 are what wasix_32v1 and wasix_64v1 serve, set
// by init (the functions reach defineModules through exec, so the lists
// cannot be initialised from functions directly).
var served32, served64 []wasi.Function

func init() { served32, served64 = module32(), functions }

// module32 is the function list of wasix_32v1: preview 1's functions,
// those WASIX redefines (proc_raise, with Linux signal numbers and
// handlers; sock_accept with four arguments; sock_recv and sock_send
// with WASIX's flags) replaced, and WASIX's own.
func module32() []wasi.Function {
	own := map[string]bool{}
	for _, f := range functions {
		own[f.Name] = true
	}
	var out []wasi.Function
	for _, f := range wasi.Preview1() {
		if !own[f.Name] {
			out = append(out, f)
		}
	}
	return append(out, functions...)
}

// Imports reports whether m imports from wasix_32v1 or wasix_64v1.
func Imports(m *wasm.Module) bool {
	for i := range m.Imports {
		if name := m.Imports[i].Module; name == Module32 || name == Module64 {
			return true
		}
	}
	return false
}
