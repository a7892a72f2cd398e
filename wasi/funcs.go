package wasi

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasm"
)

// ModuleName is the import module name of WASI preview 1.
const ModuleName = "wasi_snapshot_preview1"

// hostFunc implements one WASI function. a holds the wasm parameters (an
// i32 zero-extended to 64 bits); the returned errno is the result.
type hostFunc func(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno

// exitFunc implements a function that may end the process (proc_exit,
// proc_raise): a non-nil error unwinds the guest.
type exitFunc func(s *System, a []uint64) (kernel.Errno, error)

// function is one entry of the ABI table.
type function struct {
	name string
	// params spells the wasm parameter types: 'i' i32, 'I' i64. Every
	// function returns an i32 errno except proc_exit, which returns
	// nothing.
	params string
	fn     hostFunc
	exit   exitFunc
}

// functions is the whole wasi_snapshot_preview1 interface, in witx order.
var functions = []function{
	{name: "args_get", params: "ii", fn: argsGet},
	{name: "args_sizes_get", params: "ii", fn: argsSizesGet},
	{name: "environ_get", params: "ii", fn: environGet},
	{name: "environ_sizes_get", params: "ii", fn: environSizesGet},
	{name: "clock_res_get", params: "ii", fn: clockResGet},
	{name: "clock_time_get", params: "iIi", fn: clockTimeGet},
	{name: "fd_advise", params: "iIIi", fn: fdAdvise},
	{name: "fd_allocate", params: "iII", fn: fdAllocate},
	{name: "fd_close", params: "i", fn: fdClose},
	{name: "fd_datasync", params: "i", fn: fdDatasync},
	{name: "fd_fdstat_get", params: "ii", fn: fdFdstatGet},
	{name: "fd_fdstat_set_flags", params: "ii", fn: fdFdstatSetFlags},
	{name: "fd_fdstat_set_rights", params: "iII", fn: fdFdstatSetRights},
	{name: "fd_filestat_get", params: "ii", fn: fdFilestatGet},
	{name: "fd_filestat_set_size", params: "iI", fn: fdFilestatSetSize},
	{name: "fd_filestat_set_times", params: "iIIi", fn: fdFilestatSetTimes},
	{name: "fd_pread", params: "iiiIi", fn: fdPread},
	{name: "fd_prestat_get", params: "ii", fn: fdPrestatGet},
	{name: "fd_prestat_dir_name", params: "iii", fn: fdPrestatDirName},
	{name: "fd_pwrite", params: "iiiIi", fn: fdPwrite},
	{name: "fd_read", params: "iiii", fn: fdRead},
	{name: "fd_readdir", params: "iiiIi", fn: fdReaddir},
	{name: "fd_renumber", params: "ii", fn: fdRenumber},
	{name: "fd_seek", params: "iIii", fn: fdSeek},
	{name: "fd_sync", params: "i", fn: fdSync},
	{name: "fd_tell", params: "ii", fn: fdTell},
	{name: "fd_write", params: "iiii", fn: fdWrite},
	{name: "path_create_directory", params: "iii", fn: pathCreateDirectory},
	{name: "path_filestat_get", params: "iiiii", fn: pathFilestatGet},
	{name: "path_filestat_set_times", params: "iiiiIIi", fn: pathFilestatSetTimes},
	{name: "path_link", params: "iiiiiii", fn: pathLink},
	{name: "path_open", params: "iiiiiIIii", fn: pathOpen},
	{name: "path_readlink", params: "iiiiii", fn: pathReadlink},
	{name: "path_remove_directory", params: "iii", fn: pathRemoveDirectory},
	{name: "path_rename", params: "iiiiii", fn: pathRename},
	{name: "path_symlink", params: "iiiii", fn: pathSymlink},
	{name: "path_unlink_file", params: "iii", fn: pathUnlinkFile},
	{name: "poll_oneoff", params: "iiii", fn: pollOneoff},
	{name: "proc_exit", params: "i", exit: procExit},
	{name: "proc_raise", params: "i", exit: procRaise},
	{name: "sched_yield", params: "", fn: schedYield},
	{name: "random_get", params: "ii", fn: randomGet},
	{name: "sock_accept", params: "iii", fn: sockAccept},
	{name: "sock_recv", params: "iiiiii", fn: sockRecv},
	{name: "sock_send", params: "iiiii", fn: sockSend},
	{name: "sock_shutdown", params: "ii", fn: sockShutdown},
}

// FuncSpec names one wasi_snapshot_preview1 function and its wasm type.
type FuncSpec struct {
	Name string
	Type wasm.FuncType
}

// Functions lists every wasi_snapshot_preview1 function with its type.
func Functions() []FuncSpec {
	out := make([]FuncSpec, len(preview1))
	for i := range preview1 {
		out[i] = FuncSpec{Name: preview1[i].Name, Type: preview1[i].Type(false)}
	}
	return out
}

// Preview1 returns the wasi_snapshot_preview1 function table, which a
// WASIX module table includes (WASIX programs import the preview 1
// functions too). The slice is a copy; the functions are shared.
func Preview1() []Function { return append([]Function(nil), preview1...) }

// preview1 is functions in the exported form, built once.
var preview1 = func() []Function {
	out := make([]Function, len(functions))
	for i := range functions {
		out[i] = functions[i].export()
	}
	return out
}()

// export adapts a preview 1 table entry to the shared Function form.
func (f *function) export() Function {
	out := Function{Name: f.name, Params: f.params, NoResult: f.name == "proc_exit"}
	if ex := f.exit; ex != nil {
		out.Fn = func(_ context.Context, t *Thread, _ Mem, a []uint64) (kernel.Errno, error) {
			return ex(t.sys, a)
		}
	} else {
		fn := f.fn
		out.Fn = func(ctx context.Context, t *Thread, m Mem, a []uint64) (kernel.Errno, error) {
			return fn(t.sys, ctx, guest(m.buf), a), nil
		}
	}
	return out
}

func lookup(funcs []Function, name string) *Function {
	for i := range funcs {
		if funcs[i].Name == name {
			return &funcs[i]
		}
	}
	return nil
}

// Call runs the WASI function name for a guest whose linear memory is mem,
// on the process's main thread: the parameters are in stack and the errno
// result is stored in stack[0]. The error is non-nil only when the process
// ends (*ExitError). It is the entry point for wiring the ABI into an
// engine and for tests, and takes the same dispatch path as the host
// module.
func (s *System) Call(ctx context.Context, name string, mem []byte, stack []uint64) error {
	f := lookup(preview1, name)
	if f == nil {
		return fmt.Errorf("wasi: unknown function %q", name)
	}
	if len(stack) < len(f.Params) || len(stack) < 1 {
		return fmt.Errorf("wasi: %s: %d stack slots for %d parameters", f.Name, len(stack), len(f.Params))
	}
	return f.dispatch(ctx, s.main, Mem{buf: mem}, stack)
}

// Narrowing of parameters: witx types narrower than i32 (u8 enums, u16
// flags) must fit, otherwise the call fails with EINVAL.
func u8arg(v uint64) (uint8, bool)   { return uint8(v), uint32(v) <= 0xff }
func u16arg(v uint64) (uint16, bool) { return uint16(v), uint32(v) <= 0xffff }
