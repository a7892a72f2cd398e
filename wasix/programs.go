package wasix

import (
	"context"
	"path"
	"strings"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
)

// program finds the program a guest names for spawn or exec (op) in its
// file system, checks it against the spawn policy (audited) and returns
// its absolute guest path and compiled module. A name without a slash is
// looked up in the directories of pathEnv (colon-separated, as PATH)
// when search is set; otherwise it is a path, relative to the working
// directory or absolute. "name.wasm" is tried after "name". ENOENT: no
// such file; the policy's refusal (EPERM without spawn rules, EACCES for
// a program outside the list); ENOEXEC: not a WASI command module.
func (p *proc) program(ctx context.Context, k *kernel.Process, op kernel.Op, name string, search bool, pathEnv string) (string, *kiln.CompiledModule, kernel.Errno) {
	if name == "" {
		return "", nil, kernel.ENOENT
	}
	cands := []string{name}
	if search && !strings.Contains(name, "/") {
		cands = cands[:0]
		for _, dir := range strings.Split(pathEnv, ":") {
			if dir == "" {
				dir = "."
			}
			cands = append(cands, path.Join(dir, name))
		}
	}
	for _, c := range cands {
		tries := []string{c}
		if !strings.HasSuffix(c, ".wasm") {
			tries = append(tries, c+".wasm")
		}
		for _, try := range tries {
			abs := k.Abs(try)
			if !exists(k, abs) {
				continue
			}
			if e := k.CheckSpawn(ctx, op, abs); e != kernel.ESUCCESS {
				return "", nil, e
			}
			bin, e := k.ReadProgram(ctx, abs)
			if e != kernel.ESUCCESS {
				return "", nil, e
			}
			cm, e := p.tree.programs.compile(ctx, p.tree.rt, bin)
			return abs, cm, e
		}
	}
	return "", nil, kernel.ENOENT
}

// exists reports whether a regular file is reachable at the absolute
// guest path abs.
func exists(k *kernel.Process, abs string) bool {
	dir, rest, e := k.PreopenFor(abs)
	if e != kernel.ESUCCESS {
		return false
	}
	st, e := k.PathFilestatGet(dir, vfs.FollowSymlinks, rest)
	return e == kernel.ESUCCESS && st.Type == vfs.TypeRegular
}

// splitList splits a WASIX list argument: entries separated by line
// feeds (a trailing one ends the last entry); "" is the empty list.
func splitList(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// strs reads the (pointer, length) string arguments a[0], a[1], a[2],
// a[3]... into the given strings, stopping at the first error.
func strs(m wasiMem, a []uint64, out ...*string) kernel.Errno {
	for i, s := range out {
		v, e := str(m, a[2*i], a[2*i+1])
		if e != kernel.ESUCCESS {
			return e
		}
		*s = v
	}
	return kernel.ESUCCESS
}

// str reads a (pointer, length) string argument.
func str(m wasiMem, ptr, n uint64) (string, kernel.Errno) {
	b, e := m.Bytes(ptr, n)
	if e != kernel.ESUCCESS {
		return "", e
	}
	return string(b), kernel.ESUCCESS
}
