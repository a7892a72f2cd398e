package wasi_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
	"github.com/kilnrt/kiln/wasi"
)

const allRights = uint64(kernel.RightsAll)

func TestPrestatAndFilestat(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "f"), "0123456789")
	h := newHarness(t, wasi.Config{Mounts: []wasi.Mount{
		{HostDir: dir, GuestPath: "/sandbox"},
		{FS: vfs.NewMemFS(), GuestPath: "."},
	}})
	pre := h.alloc(8)
	for fd, name := range map[uint64]string{3: "/sandbox", 4: "."} {
		h.mem[pre+1] = 0xAA
		h.must("fd_prestat_get", fd, pre)
		if h.mem[pre] != 0 || h.mem[pre+1] != 0 || h.u32(pre+4) != uint32(len(name)) {
			t.Errorf("fd %d prestat % x", fd, h.mem[pre:pre+8])
		}
		buf := h.alloc(16)
		h.must("fd_prestat_dir_name", fd, buf, uint64(len(name)))
		if got := string(h.mem[buf : buf+uint64(len(name))]); got != name {
			t.Errorf("fd %d name %q, want %q", fd, got, name)
		}
		if e := h.call("fd_prestat_dir_name", fd, buf, uint64(len(name)-1)); e != kernel.ENAMETOOLONG {
			t.Errorf("short name buffer: %v, want nametoolong", e)
		}
	}
	if e := h.call("fd_prestat_get", 5, pre); e != kernel.EBADF {
		t.Errorf("fd_prestat_get past the preopens = %v, want badf", e)
	}

	st := h.alloc(64)
	pp, pl := h.str("f")
	for i := uint64(0); i < 64; i++ {
		h.mem[st+i] = 0xAA
	}
	h.must("path_filestat_get", 3, 0, pp, pl, st)
	var host struct{ size, ino uint64 }
	info, _ := os.Stat(filepath.Join(dir, "f"))
	host.size = uint64(info.Size())
	if h.mem[st+16] != 4 || h.u64(st+32) != host.size || h.u64(st+24) != 1 || h.u64(st+8) == 0 {
		t.Errorf("filestat: type %d size %d nlink %d ino %d", h.mem[st+16], h.u64(st+32), h.u64(st+24), h.u64(st+8))
	}
	for i := uint64(17); i < 24; i++ {
		if h.mem[st+i] != 0 {
			t.Fatalf("filestat padding byte %d = %#x", i, h.mem[st+i])
		}
	}
	if mt := int64(h.u64(st + 48)); mt != info.ModTime().UnixNano() {
		t.Errorf("mtim %d, host %d", mt, info.ModTime().UnixNano())
	}
	fd, e := h.open(3, "f", 0, uint64(kernel.RightFDRead|kernel.RightFDSeek|kernel.RightFDTell|kernel.RightFDFilestatGet))
	if e != kernel.ESUCCESS {
		t.Fatal(e)
	}
	st2 := h.alloc(64)
	h.must("fd_filestat_get", fd, st2)
	if string(h.mem[st:st+64]) != string(h.mem[st2:st2+64]) {
		t.Errorf("fd_filestat_get differs from path_filestat_get:\n% x\n% x", h.mem[st:st+64], h.mem[st2:st2+64])
	}
	pos := h.alloc(8)
	h.must("fd_seek", fd, uint64(^uint64(2)), 2, pos) // -3 from the end
	if h.u64(pos) != 7 {
		t.Errorf("fd_seek(-3, end) = %d", h.u64(pos))
	}
	h.must("fd_tell", fd, pos)
	buf := h.alloc(8)
	n := h.alloc(4)
	h.must("fd_pread", fd, h.iovec(buf, 4), 1, 2, n)
	if got := string(h.mem[buf : buf+uint64(h.u32(n))]); got != "2345" {
		t.Errorf("fd_pread = %q", got)
	}
	if e := h.call("fd_seek", fd, 0, 3, pos); e != kernel.EINVAL {
		t.Errorf("fd_seek whence 3 = %v, want inval", e)
	}
	if e := h.call("fd_write", fd, h.iovec(buf, 1), 1, n); e != kernel.ENOTCAPABLE && e != kernel.EBADF {
		t.Errorf("fd_write without the right = %v", e)
	}
}

// readdirAll lists dirfd through fd_readdir with a buffer of bufLen
// bytes, continuing from the last complete entry's d_next each time, as
// wasi-libc does.
func readdirAll(t *testing.T, h *harness, dirfd uint64, bufLen uint32) []string {
	t.Helper()
	buf, used := h.alloc(bufLen), h.alloc(4)
	var names []string
	cookie := uint64(0)
	for round := 0; round < 10000; round++ {
		h.must("fd_readdir", dirfd, buf, uint64(bufLen), cookie, used)
		n := uint64(h.u32(used))
		if n > uint64(bufLen) {
			t.Fatalf("bufused %d > buffer %d", n, bufLen)
		}
		b := h.mem[buf : buf+n]
		progressed := false
		for len(b) >= 24 {
			next := binary.LittleEndian.Uint64(b[0:])
			namlen := uint64(binary.LittleEndian.Uint32(b[16:]))
			if b[21] != 0 || b[22] != 0 || b[23] != 0 {
				t.Fatalf("dirent padding % x", b[20:24])
			}
			if uint64(len(b)) < 24+namlen {
				break // truncated entry: continue from cookie
			}
			names = append(names, string(b[24:24+namlen]))
			cookie, progressed = next, true
			b = b[24+namlen:]
		}
		if n < uint64(bufLen) {
			if len(b) != 0 {
				t.Fatalf("%d stray bytes at the end of a short listing", len(b))
			}
			return names
		}
		if !progressed {
			t.Fatalf("buffer of %d bytes cannot hold one entry", bufLen)
		}
	}
	t.Fatal("fd_readdir never reached the end")
	return nil
}

func TestReaddirCookies(t *testing.T) {
	dir := t.TempDir()
	var want []string
	for i := 0; i < 60; i++ {
		name := fmt.Sprintf("file-%02d-", i)
		want = append(want, name)
		writeFile(t, filepath.Join(dir, name), "")
	}
	mkdir(t, filepath.Join(dir, "subdir"))
	want = append(want, "subdir", ".", "..")
	sort.Strings(want)
	h := newHarness(t, wasi.Config{Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/d"}}})
	for _, size := range []uint32{40, 64, 100, 257, 4096, 65536 / 2} {
		got := readdirAll(t, h, 3, size)
		sort.Strings(got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("buffer %d: %d entries %v, want %d", size, len(got), got, len(want))
		}
	}
	// Entry types and the truncation rule: a buffer one byte short of
	// the first entry is filled completely.
	buf, used := h.alloc(64), h.alloc(4)
	h.must("fd_readdir", 3, buf, 24, 0, used)
	if h.u32(used) != 24 {
		t.Errorf("24-byte buffer: bufused %d, want 24 (entries are truncated, not dropped)", h.u32(used))
	}
	if typ := h.mem[buf+20]; typ != 3 {
		t.Errorf("first entry (.) has type %d, want directory", typ)
	}
	fd, e := h.open(3, "file-00-", 0, uint64(kernel.RightFDRead))
	if e != kernel.ESUCCESS {
		t.Fatal(e)
	}
	if e := h.call("fd_readdir", fd, buf, 64, 0, used); e != kernel.ENOTDIR {
		t.Errorf("fd_readdir on a file = %v, want notdir", e)
	}
	if e := h.call("fd_readdir", 3, memSize-10, 64, 0, used); e != kernel.EFAULT {
		t.Errorf("fd_readdir buffer past the end = %v, want fault", e)
	}
}

// TestEscapesThroughABI: every way out of a preopen fails with EPERM or
// ENOTCAPABLE, and the host outside the preopen is unchanged.
func TestEscapesThroughABI(t *testing.T) {
	root := t.TempDir()
	sandbox := filepath.Join(root, "sandbox")
	mkdir(t, filepath.Join(sandbox, "sub"))
	writeFile(t, filepath.Join(root, "secret"), "secret")
	writeFile(t, filepath.Join(sandbox, "inside"), "inside")
	symlink(t, filepath.Join(root, "secret"), filepath.Join(sandbox, "abs-link"))
	symlink(t, "../secret", filepath.Join(sandbox, "up-link"))
	symlink(t, "/", filepath.Join(sandbox, "root-link"))
	symlink(t, "../../secret", filepath.Join(sandbox, "sub", "deep-link"))
	before := snapshot(t, root)

	h := newHarness(t, wasi.Config{Mounts: []wasi.Mount{{HostDir: sandbox, GuestPath: "/sandbox"}}})
	denied := func(what string, e kernel.Errno) {
		t.Helper()
		if e != kernel.EPERM && e != kernel.ENOTCAPABLE {
			t.Errorf("%s = %v, want perm or notcapable", what, e)
		}
	}
	for _, p := range []string{"../secret", "/etc/passwd", "/", "sub/../../secret", "abs-link", "up-link",
		"root-link/etc/passwd", "sub/deep-link", "..", "./../sandbox/inside"} {
		_, e := h.open(3, p, 0, uint64(kernel.RightFDRead))
		denied("open "+p, e)
		_, e = h.open(3, p, oCreat, allRights)
		denied("create "+p, e)
		pp, pl := h.str(p)
		denied("stat "+p, h.call("path_filestat_get", 3, 1, pp, pl, h.alloc(64)))
	}
	ip, il := h.str("inside")
	sp, sl := h.str("../secret")
	op, ol := h.str("../planted")
	ap, al := h.str("/tmp/planted")
	lp, ll := h.str("abs-link")
	hp, hl := h.str("hard")
	sbp, sbl := h.str("../sandbox")
	xp, xl := h.str("../x")
	tp, tl := h.str("/etc/passwd")
	denied("link out (source)", h.call("path_link", 3, 0, sp, sl, 3, op, ol))
	denied("link out (target)", h.call("path_link", 3, 0, ip, il, 3, op, ol))
	denied("link abs target", h.call("path_link", 3, 0, ip, il, 3, ap, al))
	// vfs refuses to follow a link's source (EINVAL) whatever it points to.
	if e := h.call("path_link", 3, 1, lp, ll, 3, hp, hl); e != kernel.EINVAL {
		t.Errorf("link following an absolute symlink = %v, want inval", e)
	}
	denied("rename out", h.call("path_rename", 3, ip, il, 3, op, ol))
	denied("rename in", h.call("path_rename", 3, sp, sl, 3, hp, hl))
	denied("symlink absolute", h.call("path_symlink", tp, tl, 3, hp, hl))
	denied("symlink placed outside", h.call("path_symlink", ip, il, 3, op, ol))
	denied("mkdir out", h.call("path_create_directory", 3, op, ol))
	denied("unlink out", h.call("path_unlink_file", 3, sp, sl))
	denied("rmdir out", h.call("path_remove_directory", 3, sbp, sbl))
	denied("readlink out", h.call("path_readlink", 3, xp, xl, h.alloc(64), 64, h.alloc(4)))
	denied("set times out", h.call("path_filestat_set_times", 3, 0, sp, sl, 0, 0, 0x8|0x2))

	if after := snapshot(t, root); after != before {
		t.Errorf("host changed:\n%s\nwas:\n%s", after, before)
	}
	// A relative symlink that stays inside still works.
	symlink(t, "inside", filepath.Join(sandbox, "ok-link"))
	if _, e := h.open(3, "ok-link", 0, uint64(kernel.RightFDRead)); e != kernel.ESUCCESS {
		t.Errorf("open of an inside symlink = %v", e)
	}
}

// TestReadOnlyMountThroughABI: every write through the WASI functions to
// a read-only mount fails and the host tree is unchanged.
func TestReadOnlyMountThroughABI(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "f"), "contents")
	mkdir(t, filepath.Join(dir, "d"))
	writeFile(t, filepath.Join(dir, "d", "g"), "more")
	before := snapshot(t, dir)
	h := newHarness(t, wasi.Config{Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/ro", ReadOnly: true}}})
	refused := func(what string, e kernel.Errno) {
		t.Helper()
		if e == kernel.ESUCCESS {
			t.Errorf("%s succeeded on a read-only mount", what)
		}
	}
	fp, fl := h.str("f")
	np, nl := h.str("new")
	dp, dl := h.str("d")
	for _, of := range []uint64{oCreat, oCreat | oExcl, oTrunc} {
		_, e := h.open(3, "new", of, allRights)
		refused(fmt.Sprintf("path_open new oflags %d", of), e)
		_, e = h.open(3, "f", of, allRights)
		refused(fmt.Sprintf("path_open f oflags %d", of), e)
	}
	_, e := h.open(3, "f", 0, uint64(kernel.RightFDWrite))
	refused("open f for writing", e)
	refused("path_create_directory", h.call("path_create_directory", 3, np, nl))
	refused("path_unlink_file", h.call("path_unlink_file", 3, fp, fl))
	refused("path_remove_directory", h.call("path_remove_directory", 3, dp, dl))
	refused("path_rename", h.call("path_rename", 3, fp, fl, 3, np, nl))
	refused("path_link", h.call("path_link", 3, 0, fp, fl, 3, np, nl))
	refused("path_symlink", h.call("path_symlink", fp, fl, 3, np, nl))
	refused("path_filestat_set_times", h.call("path_filestat_set_times", 3, 0, fp, fl, 0, 0, 0x2|0x8))

	// A descriptor opened with every right the mount allows still cannot
	// write.
	fd, e := h.open(3, "f", 0, allRights)
	if e == kernel.ESUCCESS {
		buf := h.alloc(4)
		copy(h.mem[buf:], "XXXX")
		n := h.alloc(4)
		refused("fd_write", h.call("fd_write", fd, h.iovec(buf, 4), 1, n))
		refused("fd_pwrite", h.call("fd_pwrite", fd, h.iovec(buf, 4), 1, 0, n))
		refused("fd_filestat_set_size", h.call("fd_filestat_set_size", fd, 0))
		refused("fd_filestat_set_times", h.call("fd_filestat_set_times", fd, 0, 0, 0x2|0x8))
		refused("fd_allocate", h.call("fd_allocate", fd, 0, 100))
	}
	refused("fd_filestat_set_times on the directory", h.call("fd_filestat_set_times", 3, 0, 0, 0x2|0x8))
	// Reading still works.
	fd, e = h.open(3, "f", 0, uint64(kernel.RightFDRead))
	if e != kernel.ESUCCESS {
		t.Fatalf("open for reading: %v", e)
	}
	buf, n := h.alloc(16), h.alloc(4)
	h.must("fd_read", fd, h.iovec(buf, 16), 1, n)
	if got := string(h.mem[buf : buf+uint64(h.u32(n))]); got != "contents" {
		t.Errorf("read %q", got)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("host changed:\n%s\nwas:\n%s", after, before)
	}
}

func TestPollOneoff(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "f"), "abc")
	h := newHarness(t, wasi.Config{Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/d"}}})
	fd, e := h.open(3, "f", 0, uint64(kernel.RightFDRead|kernel.RightPollFDReadwrite))
	if e != kernel.ESUCCESS {
		t.Fatal(e)
	}
	subs := h.alloc(48 * 3)
	put := func(i int, userdata uint64, tag byte, u func(b []byte)) {
		b := h.mem[subs+uint64(48*i) : subs+uint64(48*(i+1))]
		binary.LittleEndian.PutUint64(b, userdata)
		b[8] = tag
		u(b[16:])
	}
	// A relative 1 ms clock, a readable file and a bad descriptor.
	put(0, 0x1111, 0, func(u []byte) {
		binary.LittleEndian.PutUint32(u[0:], 1) // monotonic
		binary.LittleEndian.PutUint64(u[8:], 1e6)
	})
	put(1, 0x2222, 1, func(u []byte) { binary.LittleEndian.PutUint32(u, uint32(fd)) })
	put(2, 0x3333, 2, func(u []byte) { binary.LittleEndian.PutUint32(u, 99) })
	events, n := h.alloc(32*3), h.alloc(4)
	h.must("poll_oneoff", subs, events, 3, n)
	got := map[uint64][2]uint64{} // userdata -> errno, type
	for i := uint64(0); i < uint64(h.u32(n)); i++ {
		ev := events + 32*i
		got[h.u64(ev)] = [2]uint64{uint64(h.u16(ev + 8)), uint64(h.mem[ev+10])}
		if h.u64(ev) == 0x2222 && h.u64(ev+16) != 3 {
			t.Errorf("file read event: nbytes %d, want 3", h.u64(ev+16))
		}
	}
	if got[0x2222] != [2]uint64{0, 1} || got[0x3333] != [2]uint64{uint64(kernel.EBADF), 2} {
		t.Errorf("events %v", got)
	}
	// The clock alone fires.
	h.must("poll_oneoff", subs, events, 1, n)
	if h.u32(n) != 1 || h.u64(events) != 0x1111 || h.mem[events+10] != 0 || h.u16(events+8) != 0 {
		t.Errorf("clock event % x", h.mem[events:events+32])
	}
	if e := h.call("poll_oneoff", subs, events, 0, n); e != kernel.EINVAL {
		t.Errorf("no subscriptions = %v, want inval", e)
	}
	if e := h.call("poll_oneoff", subs, memSize-40, 2, n); e != kernel.EFAULT {
		t.Errorf("events past the end = %v, want fault", e)
	}
	if e := h.call("poll_oneoff", subs, events, 0x10000000, n); e != kernel.EFAULT {
		t.Errorf("huge subscription count = %v, want fault", e)
	}
}

func TestSocketsRefuseOtherDescriptors(t *testing.T) {
	h := newHarness(t, wasi.Config{})
	out := h.alloc(8)
	buf := h.alloc(8)
	for _, tc := range []struct {
		name string
		args []uint64
	}{
		{"sock_accept", []uint64{1, 0, out}},
		{"sock_recv", []uint64{0, h.iovec(buf, 8), 1, 0, out, out + 4}},
		{"sock_send", []uint64{1, h.iovec(buf, 8), 1, 0, out}},
		{"sock_shutdown", []uint64{1, 3}},
	} {
		if e := h.call(tc.name, tc.args...); e != kernel.ENOTSOCK {
			t.Errorf("%s on a stream = %v, want notsock", tc.name, e)
		}
		tc.args[0] = 42
		if e := h.call(tc.name, tc.args...); e != kernel.EBADF {
			t.Errorf("%s on a closed descriptor = %v, want badf", tc.name, e)
		}
	}
}
