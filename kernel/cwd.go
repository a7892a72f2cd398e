package kernel

import (
	"context"
	"path"
	"strings"

	"github.com/kilnrt/kiln/vfs"
)

// Getcwd returns the guest working directory (an absolute guest path).
func (p *Process) Getcwd() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cwd
}

// abs makes a guest path absolute against the working directory.
func (p *Process) abs(guestPath string) string {
	if strings.HasPrefix(guestPath, "/") {
		return path.Clean(guestPath)
	}
	return path.Join(p.Getcwd(), guestPath)
}

// PreopenFor finds the preopened directory whose guest name is the longest
// prefix of guestPath (made absolute against the working directory) and
// returns its descriptor and the path relative to it, for ABIs that take
// absolute paths (WASIX). No preopen covers the path: ENOENT.
func (p *Process) PreopenFor(guestPath string) (FD, string, Errno) {
	if guestPath == "" {
		return 0, "", ENOENT
	}
	abs := p.abs(guestPath)
	p.fds.mu.Lock()
	defer p.fds.mu.Unlock()
	best, bestLen, rest := -1, -1, ""
	for i, d := range p.fds.entries {
		if d == nil || d.Preopen == "" {
			continue
		}
		name := d.Preopen
		if !strings.HasPrefix(name, "/") {
			name = "/" + name // "." and relative names hang below the root
		}
		if r, ok := vfs.MatchMount(name, abs); ok && len(path.Clean(name)) > bestLen {
			best, bestLen, rest = i, len(path.Clean(name)), r
		}
	}
	if best < 0 {
		return 0, "", ENOENT
	}
	return FD(best), rest, ESUCCESS
}

// Chdir changes the working directory to a directory reachable through a
// preopen (WASIX chdir).
func (p *Process) Chdir(guestPath string) Errno {
	fd, rest, e := p.PreopenFor(guestPath)
	if e != ESUCCESS {
		return e
	}
	st, e := p.PathFilestatGet(fd, vfs.FollowSymlinks, rest)
	if e != ESUCCESS {
		return e
	}
	if st.Type != vfs.TypeDirectory {
		return ENOTDIR
	}
	abs := p.abs(guestPath)
	p.mu.Lock()
	p.cwd = abs
	p.mu.Unlock()
	return ESUCCESS
}

// Pipe creates a host pipe and returns its read and write descriptors
// (WASIX fd_pipe).
func (p *Process) Pipe(ctx context.Context) (r, w FD, e Errno) {
	if e := p.roomFor(ctx, 2, "<pipe>"); e != ESUCCESS {
		return 0, 0, e
	}
	rf, wf, err := vfs.NewPipe()
	if err != nil {
		return 0, 0, ErrnoOf(err)
	}
	rd := newFileDescriptor(rf, RightsStream&^RightFDWrite, "<pipe>")
	wd := newFileDescriptor(wf, RightsStream&^RightFDRead, "<pipe>")
	if r, e = p.insert(ctx, rd); e != ESUCCESS {
		rf.Close()
		wf.Close()
		return 0, 0, e
	}
	if w, e = p.insert(ctx, wd); e != ESUCCESS {
		p.FDClose(r)
		wf.Close()
		return 0, 0, e
	}
	return r, w, ESUCCESS
}
