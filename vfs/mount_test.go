package vfs

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestMountLookup(t *testing.T) {
	var mt MountTable
	fs := NewMemFS()
	must(t, "mount /", mt.Add("/", fs, false))
	must(t, "mount /data", mt.Add("/data/", fs, true))
	must(t, "mount .", mt.Add(".", fs, false))
	if err := mt.Add("/data", fs, false); err == nil {
		t.Fatal("mounting /data twice succeeded")
	}
	if err := mt.Add("/x", nil, false); err == nil {
		t.Fatal("mounting nil succeeded")
	}
	for _, c := range []struct {
		path, mount, rest string
		ro                bool
	}{
		{"/data/a/b", "/data/", "a/b", true},
		{"/data", "/data/", ".", true},
		{"/database", "/", "database", false},
		{"/", "/", ".", false},
		{"rel/x", ".", "rel/x", false},
		{"./rel/../y", ".", "y", false},
	} {
		m, rest, ok := mt.Lookup(c.path)
		if !ok || m.Path != c.mount || rest != c.rest || m.ReadOnly != c.ro {
			t.Errorf("Lookup(%q) = %q %q %v ro=%v; want %q %q ro=%v", c.path, m.Path, rest, ok, m.ReadOnly, c.mount, c.rest, c.ro)
		}
	}
	if _, _, ok := mt.Lookup("../up"); ok {
		t.Error("Lookup(../up) found a mount")
	}
	if ms := mt.Mounts(); len(ms) != 3 || ms[0].Path != "/" || ms[2].Path != "." {
		t.Errorf("Mounts() order = %+v", ms)
	}
	if _, ok := mt.Mounts()[1].FS.(readOnlyFS); !ok {
		t.Error("read-only mount is not wrapped")
	}
}

func TestStream(t *testing.T) {
	s := NewStream(nil, nil)
	_, err := s.Write([]byte("x"))
	wantErrno(t, "write without writer", err, unix.EBADF)
	_, err = s.Seek(0, 0)
	wantErrno(t, "seek", err, unix.ESPIPE)
	st, err := s.Stat()
	if err != nil || st.Type != TypeCharDevice {
		t.Fatalf("stat = %+v, %v", st, err)
	}
	must(t, "close", s.Close())
	wantErrno(t, "second close", s.Close(), unix.EBADF)
}
