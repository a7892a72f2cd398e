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
func Define(ctx context.Context, rt *kiln.Runtime, sys *wasi.System) error {
	for _, mod := range []struct {
		name  string
		is64  bool
		funcs []wasi.Function
	}{
		{Module32, false, append(wasi.Preview1(), functions...)},
		{Module64, true, functions},
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
	defer sys.Close()
	if err := Define(ctx, rt, sys); err != nil {
		return 0, err
	}
	return sys.Run(ctx, rt, cm)
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
