//go:build !linux

package kernel

import "golang.org/x/sys/unix"

// edgeEpoll is Linux's host epoll: elsewhere edge-triggered
// registrations are served level-triggered, as documented.
type edgeEpoll struct{ fd int }

const edgeSupported = false

func newEdgeEpoll() (*edgeEpoll, error)                                   { return nil, unix.ENOTSUP }
func (e *edgeEpoll) ctl(add bool, fd int, id int32, ev EpollEvents) error { return unix.ENOTSUP }
func (e *edgeEpoll) del(fd int)                                           {}
func (e *edgeEpoll) take(out []edgeEvent) []edgeEvent                     { return out }
func (e *edgeEpoll) close()                                               {}
