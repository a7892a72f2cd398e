package vfs

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// memDevices numbers in-process file systems (MemFS, io/fs views) so that
// (Dev, Ino) pairs are unique.
var memDevices atomic.Uint64

// MemFS is a file system held in memory: directories, regular files and
// symbolic links, with POSIX-like semantics (hard links, rename rules,
// "." and ".." entries). It is safe for concurrent use; one lock guards
// the whole tree.
type MemFS struct {
	mu      sync.RWMutex
	root    *memNode
	dev     uint64
	nextIno uint64
	now     func() time.Time
}

type memNode struct {
	ino      uint64
	typ      FileType
	nlink    uint64
	data     []byte              // regular files
	children map[string]*memNode // directories
	parent   *memNode            // directories: the ".." entry
	target   string              // symbolic links
	removed  bool                // directories removed while open
	atim     int64
	mtim     int64
	ctim     int64
}

// NewMemFS returns an empty in-memory file system.
func NewMemFS() *MemFS {
	fs := &MemFS{dev: memDevices.Add(1), now: time.Now}
	fs.root = fs.newNode(TypeDirectory, nil)
	fs.root.parent = fs.root
	return fs
}

// OpenRoot opens a handle on the root directory.
func (fs *MemFS) OpenRoot() (Dir, error) {
	return &memDir{fs: fs, node: fs.root}, nil
}

// WriteFile creates (or replaces the contents of) the file at path,
// creating missing parent directories. It is meant for embedders and tests
// that populate a tree before a guest runs.
func (fs *MemFS) WriteFile(path string, data []byte) error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	parts, _ := splitComponents(path)
	if len(parts) == 0 {
		return fmt.Errorf("vfs: write %q: %w", path, unix.EINVAL)
	}
	dir := fs.root
	for _, c := range parts[:len(parts)-1] {
		next, ok := dir.children[c]
		if !ok {
			next = fs.newNode(TypeDirectory, dir)
			dir.children[c] = next
			dir.nlink++
		}
		if next.typ != TypeDirectory {
			return fmt.Errorf("vfs: write %q: %w", path, unix.ENOTDIR)
		}
		dir = next
	}
	name := parts[len(parts)-1]
	f, ok := dir.children[name]
	if !ok {
		f = fs.newNode(TypeRegular, dir)
		dir.children[name] = f
	}
	if f.typ != TypeRegular {
		return fmt.Errorf("vfs: write %q: %w", path, unix.EISDIR)
	}
	f.data = append([]byte(nil), data...)
	return nil
}

func (fs *MemFS) newNode(typ FileType, parent *memNode) *memNode {
	fs.nextIno++
	now := fs.now().UnixNano()
	n := &memNode{ino: fs.nextIno, typ: typ, nlink: 1, atim: now, mtim: now, ctim: now}
	if typ == TypeDirectory {
		n.children = map[string]*memNode{}
		n.parent = parent
		n.nlink = 2
	}
	return n
}

func (fs *MemFS) touch(n *memNode) {
	now := fs.now().UnixNano()
	n.mtim, n.ctim = now, now
}

func (n *memNode) stat(dev uint64) Stat {
	size := uint64(len(n.data))
	switch n.typ {
	case TypeSymlink:
		size = uint64(len(n.target))
	case TypeDirectory:
		size = 4096
	}
	return Stat{Dev: dev, Ino: n.ino, Type: n.typ, Nlink: n.nlink, Size: size,
		Atim: n.atim, Mtim: n.mtim, Ctim: n.ctim}
}

// walk resolves p beneath start. Symbolic links are expanded in every
// component but the last, and in the last too when follow is set or p ends
// with a slash. Leaving start (by ".." or an absolute link) is EPERM.
func (fs *MemFS) walk(start *memNode, p string, follow bool) (*memNode, error) {
	_, _, n, err := fs.lookup(start, p, follow, false)
	return n, err
}

// lookup is walk that also reports, when only the last component (after
// link expansion) is missing, the directory and name where it would be
// created; err is then ENOENT with dir non-nil, and name ends with a slash
// if the path did (only a directory could be created there).
//
// With create set, a path that ends with a slash after link expansion is
// EISDIR whether or not it exists (only a directory could be meant), as
// open(2) with O_CREAT says.
func (fs *MemFS) lookup(start *memNode, p string, follow, create bool) (dir *memNode, name string, n *memNode, err error) {
	if err := checkPath(p); err != nil {
		return nil, "", nil, err
	}
	parts, trailing := splitComponents(p)
	stack := []*memNode{start}
	links := 0
	for len(parts) > 0 {
		c := parts[0]
		parts = parts[1:]
		last := len(parts) == 0
		cur := stack[len(stack)-1]
		if cur.typ != TypeDirectory {
			return nil, "", nil, unix.ENOTDIR
		}
		if cur.removed {
			return nil, "", nil, unix.ENOENT
		}
		switch c {
		case ".":
			continue
		case "..":
			if len(stack) == 1 {
				return nil, "", nil, unix.EPERM
			}
			stack = stack[:len(stack)-1]
			continue
		}
		child, ok := cur.children[c]
		if !ok {
			if last && trailing {
				return cur, c + "/", nil, unix.ENOENT
			}
			if last {
				return cur, c, nil, unix.ENOENT
			}
			return nil, "", nil, unix.ENOENT
		}
		if child.typ == TypeSymlink && (!last || follow || trailing) {
			links++
			if links > maxSymlinks {
				return nil, "", nil, unix.ELOOP
			}
			if err := checkPath(child.target); err != nil {
				return nil, "", nil, err
			}
			tparts, ttrail := splitComponents(child.target)
			if last {
				trailing = trailing || ttrail
			}
			parts = append(tparts, parts...)
			continue
		}
		stack = append(stack, child)
	}
	n = stack[len(stack)-1]
	if create && trailing {
		return nil, "", nil, unix.EISDIR
	}
	if trailing && n.typ != TypeDirectory {
		return nil, "", nil, unix.ENOTDIR
	}
	return nil, "", n, nil
}

// parent resolves the directory holding p's last component.
func (fs *MemFS) parent(start *memNode, p string) (dir *memNode, base string, trailing bool, err error) {
	d, last, base, err := splitParent(p)
	if err != nil {
		return nil, "", false, err
	}
	dir = start
	if d != "" {
		if dir, err = fs.walk(start, d, true); err != nil {
			return nil, "", false, err
		}
	}
	if dir.typ != TypeDirectory {
		return nil, "", false, unix.ENOTDIR
	}
	if dir.removed {
		return nil, "", false, unix.ENOENT
	}
	return dir, base, last != base, nil
}

// isAncestor reports whether a is d or one of d's ancestors.
func isAncestor(a, d *memNode) bool {
	for {
		if d == a {
			return true
		}
		if d.parent == d || d.parent == nil {
			return false
		}
		d = d.parent
	}
}

// snapshot lists a directory: ".", "..", then names in sorted order.
func (fs *MemFS) snapshot(n *memNode) []DirEntry {
	names := make([]string, 0, len(n.children))
	for name := range n.children {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]DirEntry, 0, len(names)+2)
	out = append(out,
		DirEntry{Ino: n.ino, Type: TypeDirectory, Name: "."},
		DirEntry{Ino: n.parent.ino, Type: TypeDirectory, Name: ".."})
	for _, name := range names {
		c := n.children[name]
		out = append(out, DirEntry{Ino: c.ino, Type: c.typ, Name: name})
	}
	for i := range out {
		out[i].Next = uint64(i + 1)
	}
	return out
}

func (fs *MemFS) String() string {
	return "memfs#" + strings.TrimSpace(fmt.Sprint(fs.dev))
}
