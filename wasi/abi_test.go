package wasi_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// memSize is the guest memory of ABI tests: one 64 KiB page.
const memSize = 1 << 16

// harness calls WASI functions directly with a plain byte slice as the
// guest memory; scratch space is handed out from a bump pointer.
type harness struct {
	t    *testing.T
	sys  *wasi.System
	mem  []byte
	next uint32
}

func newHarness(t *testing.T, cfg wasi.Config) *harness {
	t.Helper()
	sys, err := wasi.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Close() })
	return &harness{t: t, sys: sys, mem: make([]byte, memSize), next: 1024}
}

// call runs a function that returns an errno.
func (h *harness) call(name string, args ...uint64) kernel.Errno {
	h.t.Helper()
	stack := make([]uint64, len(args)+1)
	copy(stack, args)
	if err := h.sys.Call(context.Background(), name, h.mem, stack); err != nil {
		h.t.Fatalf("%s: %v", name, err)
	}
	return kernel.Errno(stack[0])
}

// must calls a function that should succeed.
func (h *harness) must(name string, args ...uint64) {
	h.t.Helper()
	if e := h.call(name, args...); e != kernel.ESUCCESS {
		h.t.Fatalf("%s%v = %v", name, args, e)
	}
}

func (h *harness) alloc(n uint32) uint64 {
	p := (h.next + 7) &^ 7
	h.next = p + n
	if h.next > memSize {
		h.t.Fatal("harness memory exhausted")
	}
	return uint64(p)
}

// str stores s and returns its pointer and length.
func (h *harness) str(s string) (uint64, uint64) {
	p := h.alloc(uint32(len(s)))
	copy(h.mem[p:], s)
	return p, uint64(len(s))
}

func (h *harness) u16(p uint64) uint16 { return binary.LittleEndian.Uint16(h.mem[p:]) }
func (h *harness) u32(p uint64) uint32 { return binary.LittleEndian.Uint32(h.mem[p:]) }
func (h *harness) u64(p uint64) uint64 { return binary.LittleEndian.Uint64(h.mem[p:]) }

// iovec stores one iovec for buf (already in memory) and returns the
// array pointer.
func (h *harness) iovec(buf, n uint64) uint64 {
	p := h.alloc(8)
	binary.LittleEndian.PutUint32(h.mem[p:], uint32(buf))
	binary.LittleEndian.PutUint32(h.mem[p+4:], uint32(n))
	return p
}

// open opens path beneath dirfd with the given oflags and rights,
// following symbolic links as wasi-libc's open does, and returns the new
// descriptor.
func (h *harness) open(dirfd uint64, path string, oflags uint64, rights uint64) (uint64, kernel.Errno) {
	h.t.Helper()
	pp, pl := h.str(path)
	out := h.alloc(4)
	e := h.call("path_open", dirfd, 1, pp, pl, oflags, rights, rights, 0, out)
	return uint64(h.u32(out)), e
}

const (
	oCreat     = 1
	oDirectory = 2
	oExcl      = 4
	oTrunc     = 8
)

func TestFunctionTable(t *testing.T) {
	fns := wasi.Functions()
	if len(fns) != 46 {
		t.Errorf("%d functions, want the 46 of wasi_snapshot_preview1", len(fns))
	}
	sig := map[string]string{}
	for _, f := range fns {
		var b strings.Builder
		for _, p := range f.Type.Params {
			b.WriteString(map[wasm.ValType]string{wasm.I32: "i", wasm.I64: "I"}[p])
		}
		b.WriteString("->")
		for range f.Type.Results {
			b.WriteString("i")
		}
		sig[f.Name] = b.String()
	}
	for name, want := range map[string]string{
		"args_get":                "ii->i",
		"clock_time_get":          "iIi->i",
		"fd_seek":                 "iIii->i",
		"fd_pread":                "iiiIi->i",
		"fd_readdir":              "iiiIi->i",
		"fd_fdstat_set_rights":    "iII->i",
		"path_open":               "iiiiiIIii->i",
		"path_filestat_set_times": "iiiiIIi->i",
		"poll_oneoff":             "iiii->i",
		"proc_exit":               "i->",
		"sched_yield":             "->i",
		"sock_recv":               "iiiiii->i",
	} {
		if sig[name] != want {
			t.Errorf("%s: signature %q, want %q", name, sig[name], want)
		}
	}
	h := newHarness(t, wasi.Config{})
	if err := h.sys.Call(context.Background(), "no_such_function", h.mem, make([]uint64, 1)); err == nil {
		t.Error("unknown function accepted")
	}
}

func TestArgsEnviron(t *testing.T) {
	h := newHarness(t, wasi.Config{Args: []string{"prog", "a b", ""}, Env: []string{"K=v", "EMPTY="}})
	for _, tc := range []struct {
		sizes, get string
		want       []string
	}{
		{"args_sizes_get", "args_get", []string{"prog", "a b", ""}},
		{"environ_sizes_get", "environ_get", []string{"K=v", "EMPTY="}},
	} {
		count, size := h.alloc(4), h.alloc(4)
		h.must(tc.sizes, count, size)
		if h.u32(count) != uint32(len(tc.want)) || h.u32(size) != uint32(len(strings.Join(tc.want, "\x00"))+1) {
			t.Errorf("%s = %d, %d", tc.sizes, h.u32(count), h.u32(size))
		}
		ptrs, buf := h.alloc(4*h.u32(count)), h.alloc(h.u32(size))
		h.must(tc.get, ptrs, buf)
		for i, w := range tc.want {
			p := uint64(h.u32(ptrs + uint64(4*i)))
			got := h.mem[p : p+uint64(len(w))+1]
			if string(got) != w+"\x00" {
				t.Errorf("%s[%d] = %q, want %q", tc.get, i, got, w)
			}
		}
		if e := h.call(tc.get, memSize-4, buf); e != kernel.EFAULT {
			t.Errorf("%s with pointers past the end = %v, want fault", tc.get, e)
		}
		if e := h.call(tc.get, ptrs, memSize-1); e != kernel.EFAULT {
			t.Errorf("%s with a buffer past the end = %v, want fault", tc.get, e)
		}
	}
}

func TestClocksRandom(t *testing.T) {
	h := newHarness(t, wasi.Config{})
	out := h.alloc(8)
	for id := uint64(0); id < 4; id++ {
		h.must("clock_res_get", id, out)
		if h.u64(out) == 0 {
			t.Errorf("clock %d: zero resolution", id)
		}
		h.must("clock_time_get", id, 1, out)
	}
	h.must("clock_time_get", 0, 0, out)
	if s := h.u64(out) / 1e9; s < 1.7e9 {
		t.Errorf("realtime clock says %d s since the epoch", s)
	}
	if e := h.call("clock_time_get", 9, 0, out); e != kernel.EINVAL {
		t.Errorf("unknown clock: %v, want inval", e)
	}
	if e := h.call("clock_time_get", 0, 0, memSize-7); e != kernel.EFAULT {
		t.Errorf("result past the end: %v, want fault", e)
	}
	buf := h.alloc(64)
	h.must("random_get", buf, 64)
	if string(h.mem[buf:buf+64]) == string(make([]byte, 64)) {
		t.Error("random_get left the buffer zero")
	}
	h.must("random_get", buf, 0)
	if e := h.call("random_get", memSize-10, 11); e != kernel.EFAULT {
		t.Errorf("random_get past the end: %v, want fault", e)
	}
	h.must("sched_yield")
}

func TestProcExitAndRaise(t *testing.T) {
	h := newHarness(t, wasi.Config{})
	ctx := context.Background()
	stack := []uint64{0}
	if err := h.sys.Call(ctx, "proc_raise", h.mem, stack); err != nil || stack[0] != 0 {
		t.Errorf("proc_raise(none) = %v, %v", stack[0], err)
	}
	stack = []uint64{99}
	if err := h.sys.Call(ctx, "proc_raise", h.mem, stack); err != nil || kernel.Errno(stack[0]) != kernel.EINVAL {
		t.Errorf("proc_raise(99) = %v, %v", stack[0], err)
	}
	stack = []uint64{15} // term
	err := h.sys.Call(ctx, "proc_raise", h.mem, stack)
	if code, ok := wasi.ExitCode(err); !ok || code != 128+15 {
		t.Errorf("proc_raise(term) = %v", err)
	}

	h = newHarness(t, wasi.Config{})
	err = h.sys.Call(ctx, "proc_exit", h.mem, []uint64{3})
	var x *wasi.ExitError
	if !errors.As(err, &x) || x.Code != 3 {
		t.Fatalf("proc_exit(3) = %v", err)
	}
	if code, exited := h.sys.Process().ExitCode(); !exited || code != 3 {
		t.Errorf("kernel exit state %d, %v", code, exited)
	}
}

func TestStdioAndFdstat(t *testing.T) {
	var out strings.Builder
	h := newHarness(t, wasi.Config{Stdin: strings.NewReader("input"), Stdout: &out})
	p, n := h.str("hello")
	iov := h.iovec(p, n)
	nw := h.alloc(4)
	h.must("fd_write", 1, iov, 1, nw)
	if h.u32(nw) != 5 || out.String() != "hello" {
		t.Errorf("fd_write wrote %d, stdout %q", h.u32(nw), out.String())
	}
	buf := h.alloc(16)
	iov = h.iovec(buf, 16)
	h.must("fd_read", 0, iov, 1, nw)
	if got := h.mem[buf : buf+uint64(h.u32(nw))]; string(got) != "input" {
		t.Errorf("fd_read = %q", got)
	}

	st := h.alloc(24)
	h.mem[st+1] = 0xAA // padding must be cleared
	h.must("fd_fdstat_get", 1, st)
	if typ := h.mem[st]; typ != 2 { // character_device
		t.Errorf("stdout filetype %d, want character_device (2)", typ)
	}
	if h.mem[st+1] != 0 {
		t.Error("fdstat padding not cleared")
	}
	rights := kernel.Rights(h.u64(st + 8))
	if !rights.Has(kernel.RightFDWrite) || rights.Has(kernel.RightFDSeek) {
		t.Errorf("stdout rights %#x", rights)
	}
	if e := h.call("fd_fdstat_get", 77, st); e != kernel.EBADF {
		t.Errorf("fd_fdstat_get(77) = %v, want badf", e)
	}
	if e := h.call("fd_seek", 1, 0, 0, h.alloc(8)); e != kernel.ESPIPE && e != kernel.ENOTCAPABLE {
		t.Errorf("fd_seek(stdout) = %v, want spipe or notcapable", e)
	}
	if e := h.call("fd_prestat_get", 1, h.alloc(8)); e != kernel.EBADF {
		t.Errorf("fd_prestat_get(stdout) = %v, want badf", e)
	}
}

// TestFaultsNeverPanic calls every function with hostile pointers and
// lengths, and with random arguments: each call must return (EFAULT or
// another errno), never panic.
func TestFaultsNeverPanic(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/f", "data")
	h := newHarness(t, wasi.Config{Args: []string{"prog"}, Env: []string{"K=v"},
		Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/d"}}})
	hostile := []uint64{0xffffffff, memSize - 1, memSize, 0xfffffff0, 0x7fffffff}
	skip := map[string]bool{
		"proc_exit": true, "proc_raise": true, "poll_oneoff": true, // tested elsewhere
		"fd_close": true, "fd_renumber": true, // would close the preopen the others use
	}
	for _, f := range wasi.Functions() {
		if skip[f.Name] {
			continue
		}
		for _, v := range hostile {
			args := make([]uint64, len(f.Type.Params)+1)
			for i := range f.Type.Params {
				args[i] = v
			}
			args[0] = 3 // the preopen, so that pointers are actually used
			stack := append([]uint64(nil), args...)
			if err := h.sys.Call(context.Background(), f.Name, h.mem, stack); err != nil {
				t.Errorf("%s: %v", f.Name, err)
			}
			if stack[0] == 0 && f.Name != "sched_yield" && f.Name != "fd_datasync" && f.Name != "fd_sync" && f.Name != "fd_fdstat_set_rights" {
				t.Errorf("%s(%#x...) succeeded", f.Name, v)
			}
		}
	}
	// Pseudo-random arguments (a fixed LCG, so failures reproduce).
	seed := uint64(1)
	rnd := func() uint64 {
		seed = seed*6364136223846793005 + 1442695040888963407
		switch seed >> 62 {
		case 0:
			return seed >> 60 // small: descriptors, flags
		case 1:
			return (seed >> 16) % (memSize + 64) // near the end of memory
		}
		return seed >> 32
	}
	fns := wasi.Functions()
	for i := 0; i < 3000; i++ {
		f := fns[int(rnd()%uint64(len(fns)))]
		if f.Name == "proc_exit" || f.Name == "proc_raise" {
			continue
		}
		stack := make([]uint64, len(f.Type.Params)+1)
		for j, p := range f.Type.Params {
			stack[j] = rnd()
			if p == wasm.I32 {
				stack[j] = uint64(uint32(stack[j]))
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 0) // poll_oneoff must not block
		err := h.sys.Call(ctx, f.Name, h.mem, stack)
		cancel()
		if err != nil {
			t.Fatalf("%s%v: %v", f.Name, stack, err)
		}
	}
}

// TestNoDescriptorLeakOnFault: a path_open whose result pointer is out of
// range fails before opening anything.
func TestNoDescriptorLeakOnFault(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/f", "data")
	h := newHarness(t, wasi.Config{Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/d"}}})
	before := h.sys.Process().FDs().Len()
	pp, pl := h.str("f")
	if e := h.call("path_open", 3, 0, pp, pl, 0, uint64(kernel.RightFDRead), 0, 0, memSize-2); e != kernel.EFAULT {
		t.Errorf("path_open with the result past the end = %v, want fault", e)
	}
	if e := h.call("path_open", 3, 0, memSize-1, 2, 0, uint64(kernel.RightFDRead), 0, 0, h.alloc(4)); e != kernel.EFAULT {
		t.Errorf("path_open with the path past the end = %v, want fault", e)
	}
	if after := h.sys.Process().FDs().Len(); after != before {
		t.Errorf("%d descriptors open, was %d", after, before)
	}
	bad := h.alloc(2)
	h.mem[bad], h.mem[bad+1] = 0xff, 0xfe
	if e := h.call("path_open", 3, 0, bad, 2, 0, 0, 0, 0, h.alloc(4)); e != kernel.EILSEQ {
		t.Errorf("path_open with invalid UTF-8 = %v, want ilseq", e)
	}
	if e := h.call("path_open", 3, 2, pp, pl, 0, 0, 0, 0, h.alloc(4)); e != kernel.EINVAL {
		t.Errorf("path_open with unknown lookup flags = %v, want inval", e)
	}
	if e := h.call("path_open", 3, 0, pp, pl, 0x10000, 0, 0, 0, h.alloc(4)); e != kernel.EINVAL {
		t.Errorf("path_open with oflags wider than u16 = %v, want inval", e)
	}
}

// TestHostAllocationLimits: counts and lengths that fit in guest memory
// but would make the host allocate in proportion are refused.
func TestHostAllocationLimits(t *testing.T) {
	h := newHarness(t, wasi.Config{Stdout: io.Discard})
	long := strings.Repeat("a/", 2100)
	h2 := newHarness(t, wasi.Config{Mounts: []wasi.Mount{{FS: vfs.NewMemFS(), GuestPath: "/"}}})
	pp, pl := h2.str(long)
	if e := h2.call("path_create_directory", 3, pp, pl); e != kernel.ENAMETOOLONG {
		t.Errorf("4200-byte path = %v, want nametoolong", e)
	}
	n := h.alloc(4)
	iovs := h.alloc(8 * 1025) // zero-length iovecs at address 0
	if e := h.call("fd_write", 1, iovs, 1024, n); e != kernel.ESUCCESS {
		t.Errorf("1024 iovecs = %v", e)
	}
	if e := h.call("fd_write", 1, iovs, 1025, n); e != kernel.EINVAL {
		t.Errorf("1025 iovecs = %v, want inval", e)
	}
	big := make([]byte, 8<<20) // room for more than maxSubscriptions
	stack := []uint64{0, 0, 1<<16 + 1, 16, 0}
	if err := h.sys.Call(context.Background(), "poll_oneoff", big, stack); err != nil || kernel.Errno(stack[0]) != kernel.EINVAL {
		t.Errorf("65537 subscriptions = %v, %v; want inval", kernel.Errno(stack[0]), err)
	}
}
