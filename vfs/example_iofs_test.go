package vfs_test

import (
	"fmt"
	"io/fs"
	"testing/fstest"

	"github.com/kilnrt/kiln/vfs"
)

// Any io/fs file system becomes a read-only vfs.FS, ready to mount.
func ExampleFromIOFS() {
	src := fstest.MapFS{"etc/motd": {Data: []byte("welcome\n")}}
	root, err := vfs.FromIOFS(src).OpenRoot()
	if err != nil {
		panic(err)
	}
	defer root.Close()
	st, err := root.StatAt("etc/motd", 0)
	fmt.Println(st.Size, err)
	_, err = root.OpenAt("etc/new", 0, vfs.OCreate, vfs.AccessWrite, 0)
	fmt.Println(err)
	// Output:
	// 8 <nil>
	// read-only file system
}

// A vfs.FS, here what a guest wrote to a MemFS, read with io/fs functions.
func ExampleAsIOFS() {
	mem := vfs.NewMemFS()
	if err := mem.WriteFile("out/report.txt", []byte("42 tests passed")); err != nil {
		panic(err)
	}
	view := vfs.AsIOFS(mem)
	_ = fs.WalkDir(view, ".", func(p string, d fs.DirEntry, err error) error {
		fmt.Println(p, d.IsDir())
		return err
	})
	b, err := fs.ReadFile(view, "out/report.txt")
	fmt.Println(string(b), err)
	// Output:
	// . true
	// out true
	// out/report.txt false
	// 42 tests passed <nil>
}
