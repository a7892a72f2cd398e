package wasi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wast"
)

//go:embed testdata/site
var site embed.FS

// zipArchive returns a zip archive holding name -> content.
func zipArchive(t *testing.T, files map[string]string) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, data := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestIOFSMountThroughABI mounts an embed.FS and a zip archive: the guest
// reads and lists them, and every write is refused with EROFS.
func TestIOFSMountThroughABI(t *testing.T) {
	zr := zipArchive(t, map[string]string{"lib/a.txt": "from the zip", "lib/b.txt": "bee"})
	h := newHarness(t, wasi.Config{Mounts: []wasi.Mount{
		{IOFS: site, GuestPath: "/embed"},
		{IOFS: zr, GuestPath: "/zip"},
	}})
	read := func(dirfd uint64, path string) string {
		t.Helper()
		fd, e := h.open(dirfd, path, 0, uint64(kernel.RightFDRead))
		if e != kernel.ESUCCESS {
			t.Fatalf("open %s: %v", path, e)
		}
		buf, n := h.alloc(64), h.alloc(4)
		h.must("fd_read", fd, h.iovec(buf, 64), 1, n)
		h.must("fd_close", fd)
		return string(h.mem[buf : buf+uint64(h.u32(n))])
	}
	if got := read(3, "testdata/site/greeting.txt"); got != "Hello from an embedded file system.\n" {
		t.Errorf("embedded file = %q", got)
	}
	if got := read(4, "lib/a.txt"); got != "from the zip" {
		t.Errorf("zip file = %q", got)
	}
	libfd, e := h.open(4, "lib", oDirectory, uint64(kernel.RightFDReaddir))
	if e != kernel.ESUCCESS {
		t.Fatalf("open lib: %v", e)
	}
	if got := strings.Join(readdirAll(t, h, libfd, 128), " "); got != ". .. a.txt b.txt" {
		t.Errorf("zip directory lists %q", got)
	}
	for _, m := range []struct {
		fd   uint64
		path string
	}{{3, "testdata/site/greeting.txt"}, {4, "lib/a.txt"}} {
		if _, e := h.open(m.fd, m.path, oTrunc, allRights); e != kernel.EROFS {
			t.Errorf("truncating %s: %v, want EROFS", m.path, e)
		}
		if _, e := h.open(m.fd, "new", oCreat, allRights); e != kernel.EROFS {
			t.Errorf("creating beside %s: %v, want EROFS", m.path, e)
		}
		pp, pl := h.str("dir")
		if e := h.call("path_create_directory", m.fd, pp, pl); e != kernel.EROFS {
			t.Errorf("mkdir: %v, want EROFS", e)
		}
	}
	if _, e := h.open(4, "../../etc/passwd", 0, uint64(kernel.RightFDRead)); e != kernel.EPERM && e != kernel.ENOTCAPABLE {
		t.Errorf("climbing out of the zip: %v", e)
	}
}

// TestProgramOnIOFSMount runs the C file program on an embedded mount: its
// first change fails with EROFS, as on a read-only host directory.
func TestProgramOnIOFSMount(t *testing.T) {
	code, out, _ := runTestProgram(t, "files", wasi.Config{
		Args:   []string{"/site"},
		Mounts: []wasi.Mount{{IOFS: site, GuestPath: "/site"}},
	})
	if code != 1 || out != "FAIL mkdir: Read-only file system\n" {
		t.Errorf("code %d, stdout %q", code, out)
	}
}

// catWat prints the file greeting.txt of its first preopen to stdout.
const catWat = `(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "greeting.txt")
  (func (export "_start")
    ;; fd = path_open(3, follow links, "greeting.txt", no oflags, fd_read right)
    (drop (call $open (i32.const 3) (i32.const 1) (i32.const 0) (i32.const 12)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16)))
    ;; read up to 1024 bytes at 1024, then write them to stdout
    (i32.store (i32.const 32) (i32.const 1024))
    (i32.store (i32.const 36) (i32.const 1024))
    (drop (call $read (i32.load (i32.const 16)) (i32.const 32) (i32.const 1) (i32.const 36)))
    (drop (call $write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))))`

// A guest reads a file embedded in the Go program: the embed.FS is
// mounted read-only at /site.
func ExampleMount_iofs() {
	ctx := context.Background()
	bin, err := wast.ParseModule("cat.wat", []byte(catWat))
	if err != nil {
		panic(err)
	}
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		panic(err)
	}
	dir, err := fs.Sub(site, "testdata/site") // greeting.txt at the mount's root
	if err != nil {
		panic(err)
	}
	_, err = wasi.Run(ctx, rt, cm, wasi.Config{
		Args:   []string{"cat"},
		Stdout: os.Stdout,
		Mounts: []wasi.Mount{{IOFS: dir, GuestPath: "/site"}},
	})
	fmt.Println("error:", err)
	// Output:
	// Hello from an embedded file system.
	// error: <nil>
}
