package wasix_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
)

// TestProcessABIEdges calls the process and signal functions with what a
// hostile or confused guest may pass: every call answers an errno (or,
// for stack_restore, which cannot return one, ends the run with an
// error), never a panic, and creates nothing.
func TestProcessABIEdges(t *testing.T) {
	allowed := &sandbox.Policy{Spawn: sandbox.SpawnPolicy{Allow: true}}
	g := loadWAT(t, "spawn", wasi.Config{Policy: allowed})
	const oob = 0x10000 // beyond the one page of memory
	g.store8(0x100, 'x')
	for _, c := range []struct {
		name string
		fn   string
		args []uint64
		want kernel.Errno
	}{
		{"spawn: name out of range", "proc_spawn2", []uint64{oob, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x200}, kernel.EFAULT},
		{"spawn: too many fd ops", "proc_spawn2", []uint64{0x100, 1, 0, 0, 0, 0, 0, 1 << 20, 0, 0, 0, 0, 0, 0x200}, kernel.EINVAL},
		{"spawn: fd ops out of range", "proc_spawn2", []uint64{0x100, 1, 0, 0, 0, 0, 0xfff0, 1, 0, 0, 0, 0, 0, 0x200}, kernel.EFAULT},
		{"spawn: pid out of range", "proc_spawn2", []uint64{0x100, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, oob}, kernel.EFAULT},
		{"spawn: missing program", "proc_spawn2", []uint64{0x100, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x200}, kernel.ENOENT},
		{"join: option out of range", "proc_join", []uint64{oob, 0, 0x300}, kernel.EFAULT},
		{"join: status out of range", "proc_join", []uint64{0x300, 0, 0xfffe}, kernel.EFAULT},
		{"join: unknown flags", "proc_join", []uint64{0x300, 4, 0x310}, kernel.EINVAL},
		{"join: no children", "proc_join", []uint64{0x300, 0, 0x310}, kernel.ECHILD},
		{"exec: missing program", "proc_exec3", []uint64{0x100, 1, 0, 0, 0, 0, 0, 0, 0}, kernel.ENOENT},
		{"exec: args out of range", "proc_exec3", []uint64{0x100, 1, oob, 8, 0, 0, 0, 0, 0}, kernel.EFAULT},
		{"signal: number beyond SIGSYS", "proc_signal", []uint64{1, 32}, kernel.EINVAL},
		{"signal: no such process", "proc_signal", []uint64{77, 15}, kernel.ESRCH},
		{"signal 0 to itself", "proc_signal", []uint64{1, 0}, kernel.ESUCCESS},
		{"thread_signal: no such thread", "thread_signal", []uint64{9, 10}, kernel.ESRCH},
		{"alarm of signal 0", "proc_raise_interval", []uint64{0, 1, 0}, kernel.EINVAL},
		{"alarm cancelled", "proc_raise_interval", []uint64{14, 0, 0}, kernel.ESUCCESS},
		{"signals_get with nothing inherited", "proc_signals_get", []uint64{oob}, kernel.ESUCCESS},
		{"fork: pid out of range", "proc_fork", []uint64{1, oob}, kernel.EFAULT},
		{"checkpoint: snapshot out of range", "stack_checkpoint", []uint64{0xfff0, 0x220}, kernel.EFAULT},
		{"checkpoint: result out of range", "stack_checkpoint", []uint64{0x200, 0xfffc}, kernel.EFAULT},
	} {
		if got := kernel.Errno(g.call(c.fn, c.args...)[0]); got != c.want {
			t.Errorf("%s: errno %d, want %d", c.name, got, c.want)
		}
	}
	g.call("callback_signal", oob, 1<<30) // ignored: no result to report
	if _, err := g.callErr("stack_restore", 0x200, 1); err == nil {
		t.Error("stack_restore of a forged snapshot: the run went on")
	}
	if n := g.sys.Process().Table().Len(); n != 1 {
		t.Errorf("%d processes listed, want only the caller", n)
	}
}

// TestSpawnPolicyOrder: a program that does not exist is ENOENT; one
// that exists is refused by the spawn rules before it is read (EPERM
// without rules, for spawn and exec alike); allowed, a file that is not
// a WASI command is ENOEXEC.
func TestSpawnPolicyOrder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), []byte("not a module"), 0o644); err != nil {
		t.Fatal(err)
	}
	mounts := []wasi.Mount{{HostDir: dir, GuestPath: "/"}}
	spawn := func(g *guestModule, name string) kernel.Errno {
		for i := 0; i < len(name); i++ {
			g.store8(0x100+uint64(i), name[i])
		}
		return kernel.Errno(g.call("proc_spawn2", 0x100, uint64(len(name)), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x200)[0])
	}
	denied := loadWAT(t, "spawn", wasi.Config{Mounts: mounts})
	if got := spawn(denied, "/y"); got != kernel.ENOENT {
		t.Errorf("missing program: errno %d, want ENOENT", got)
	}
	if got := spawn(denied, "/x"); got != kernel.EPERM {
		t.Errorf("spawn without rules: errno %d, want EPERM", got)
	}
	if got := kernel.Errno(denied.call("proc_exec3", 0x100, 2, 0, 0, 0, 0, 0, 0, 0)[0]); got != kernel.EPERM {
		t.Errorf("exec without rules: errno %d, want EPERM", got)
	}
	allowed := loadWAT(t, "spawn", wasi.Config{Mounts: mounts, Policy: &sandbox.Policy{Spawn: sandbox.SpawnPolicy{Allow: true}}})
	if got := spawn(allowed, "/x"); got != kernel.ENOEXEC {
		t.Errorf("spawn of a file that is no module: errno %d, want ENOEXEC", got)
	}
}

func (g *guestModule) store8(addr uint64, v byte) { g.call("store8", addr, uint64(v)) }
