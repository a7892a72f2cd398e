package kernel

import (
	"sync/atomic"
	"time"
)

// SockOption names a socket option. The numbers are those of WASIX's
// sock_option, so that package wasix passes them through.
type SockOption uint8

// Socket options (WASIX sock_option numbering). Each is a flag, a size or
// a time; OptListening, OptLastError, OptType and OptProto can only be
// read.
const (
	OptReuseport       SockOption = 1
	OptReuseaddr       SockOption = 2
	OptNoDelay         SockOption = 3
	OptDontRoute       SockOption = 4
	OptOnlyV6          SockOption = 5
	OptBroadcast       SockOption = 6
	OptMulticastLoopV4 SockOption = 7
	OptMulticastLoopV6 SockOption = 8
	OptPromiscuous     SockOption = 9
	OptListening       SockOption = 10
	OptLastError       SockOption = 11
	OptKeepAlive       SockOption = 12
	OptLinger          SockOption = 13
	OptOOBInline       SockOption = 14
	OptRecvBufSize     SockOption = 15
	OptSendBufSize     SockOption = 16
	OptRecvLowat       SockOption = 17
	OptSendLowat       SockOption = 18
	OptRecvTimeout     SockOption = 19
	OptSendTimeout     SockOption = 20
	OptConnectTimeout  SockOption = 21
	OptAcceptTimeout   SockOption = 22
	OptTTL             SockOption = 23
	OptMulticastTTLV4  SockOption = 24
	OptType            SockOption = 25
	OptProto           SockOption = 26
)

// SockStatus is a socket's state as WASIX sock_status reports it.
type SockStatus uint8

// Socket states.
const (
	SockOpening SockStatus = 0 // not yet connected, bound or listening
	SockOpened  SockStatus = 1
	SockClosed  SockStatus = 2 // the peer hung up
	SockFailed  SockStatus = 3 // a pending error (SO_ERROR)
)

// sockTimes are the timeouts of the blocking socket calls, in
// nanoseconds (0: none). kiln applies them in its own waits.
type sockTimes struct {
	recv, send, connect, accept atomic.Int64
}

// slot returns the timeout of opt, nil if opt is not one of the four.
func (t *sockTimes) slot(opt SockOption) *atomic.Int64 {
	switch opt {
	case OptRecvTimeout:
		return &t.recv
	case OptSendTimeout:
		return &t.send
	case OptConnectTimeout:
		return &t.connect
	case OptAcceptTimeout:
		return &t.accept
	}
	return nil
}

// get returns the timeout of opt (one of the four), 0 when none.
func (t *sockTimes) get(opt SockOption) time.Duration {
	if s := t.slot(opt); s != nil {
		return time.Duration(s.Load())
	}
	return 0
}
