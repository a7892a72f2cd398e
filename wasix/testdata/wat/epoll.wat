;; epoll_create, epoll_ctl and epoll_wait at the ABI's edges, over pipes
;; and event descriptors. Memory map: 0x100 a descriptor result (preset
;; to 0xdead), 0x104 a second one, 0x200 an 8-byte data buffer, 0x300
;; its iovec, 0x310 a byte count, 0x400 the epoll_event epoll_ctl reads
;; (32 bytes), 0x500 epoll_wait's event count, 0x800 its event array
;; (preset to 0xee bytes, so untouched bytes show). 0xfffe runs off the
;; end of memory.
(module
  (import "wasix_32v1" "epoll_create" (func $epoll_create (param i32) (result i32)))
  (import "wasix_32v1" "epoll_ctl" (func $epoll_ctl (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "epoll_wait" (func $epoll_wait (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasix_32v1" "fd_pipe" (func $fd_pipe (param i32 i32) (result i32)))
  (import "wasix_32v1" "fd_dup" (func $fd_dup (param i32 i32) (result i32)))
  (import "wasix_32v1" "fd_event" (func $fd_event (param i64 i32 i32) (result i32)))
  (import "wasix_32v1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasix_32v1" "proc_exit2" (func $proc_exit2 (param i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))

  (func (export "create") (result i32 i32)
    (i32.store (i32.const 0x100) (i32.const 0xdead))
    (call $epoll_create (i32.const 0x100))
    (i32.load (i32.const 0x100)))
  (func (export "create_bad") (result i32)
    (call $epoll_create (i32.const 0xfffe)))

  ;; ctl(epfd, op, fd, events, data) -> errno: the event's data is data,
  ;; data+1 and data+2 as three u64 (at offsets 8, 16 and 24); the four
  ;; bytes of padding after events hold 0xdead.
  (func (export "ctl") (param $ep i32) (param $op i32) (param $fd i32) (param $ev i32) (param $data i64) (result i32)
    (i32.store (i32.const 0x400) (local.get $ev))
    (i32.store (i32.const 0x404) (i32.const 0xdead))
    (i64.store (i32.const 0x408) (local.get $data))
    (i64.store (i32.const 0x410) (i64.add (local.get $data) (i64.const 1)))
    (i64.store (i32.const 0x418) (i64.add (local.get $data) (i64.const 2)))
    (call $epoll_ctl (local.get $ep) (local.get $op) (local.get $fd) (i32.const 0x400)))
  ;; ctl_at(epfd, op, fd, event pointer) -> errno
  (func (export "ctl_at") (param $ep i32) (param $op i32) (param $fd i32) (param $p i32) (result i32)
    (call $epoll_ctl (local.get $ep) (local.get $op) (local.get $fd) (local.get $p)))

  ;; wait(epfd, max, timeout) -> errno, count, then of the first two
  ;; events: events, the padding word, the three data words.
  (func (export "wait") (param $ep i32) (param $max i32) (param $ns i64)
    (result i32 i32 i32 i32 i64 i64 i64 i32 i64)
    (memory.fill (i32.const 0x800) (i32.const 0xee) (i32.const 0x100))
    (i32.store (i32.const 0x500) (i32.const 0xdead))
    (call $epoll_wait (local.get $ep) (i32.const 0x800) (local.get $max) (local.get $ns) (i32.const 0x500))
    (i32.load (i32.const 0x500))
    (i32.load (i32.const 0x800))
    (i32.load (i32.const 0x804))
    (i64.load (i32.const 0x808))
    (i64.load (i32.const 0x810))
    (i64.load (i32.const 0x818))
    (i32.load (i32.const 0x820))
    (i64.load (i32.const 0x828)))
  ;; wait_at(epfd, events pointer, max, count pointer) -> errno, without
  ;; waiting.
  (func (export "wait_at") (param $ep i32) (param $p i32) (param $max i32) (param $n i32) (result i32)
    (call $epoll_wait (local.get $ep) (local.get $p) (local.get $max) (i64.const 0) (local.get $n)))
  ;; untouched_after(i) -> the first byte of event i, to check that
  ;; epoll_wait wrote no more than it reported.
  (func (export "byte_of_event") (param $i i32) (result i32)
    (i32.load8_u (i32.add (i32.const 0x800) (i32.mul (local.get $i) (i32.const 32)))))

  ;; pipe() -> errno, read end, write end
  (func (export "pipe") (result i32 i32 i32)
    (call $fd_pipe (i32.const 0x100) (i32.const 0x104))
    (i32.load (i32.const 0x100)) (i32.load (i32.const 0x104)))
  (func (export "dup") (param $fd i32) (result i32 i32)
    (call $fd_dup (local.get $fd) (i32.const 0x100))
    (i32.load (i32.const 0x100)))
  (func (export "event") (param $init i64) (result i32 i32)
    (call $fd_event (local.get $init) (i32.const 0) (i32.const 0x100))
    (i32.load (i32.const 0x100)))
  ;; write8(fd, v) -> errno: v as 8 bytes.
  (func (export "write8") (param $fd i32) (param $v i64) (result i32)
    (i64.store (i32.const 0x200) (local.get $v))
    (i32.store (i32.const 0x300) (i32.const 0x200))
    (i32.store (i32.const 0x304) (i32.const 8))
    (call $fd_write (local.get $fd) (i32.const 0x300) (i32.const 1) (i32.const 0x310)))
  ;; read8(fd) -> errno, bytes read
  (func (export "read8") (param $fd i32) (result i32 i32)
    (i32.store (i32.const 0x300) (i32.const 0x200))
    (i32.store (i32.const 0x304) (i32.const 8))
    (call $fd_read (local.get $fd) (i32.const 0x300) (i32.const 1) (i32.const 0x310))
    (i32.load (i32.const 0x310)))
  (func (export "close") (param $fd i32) (result i32)
    (call $fd_close (local.get $fd)))
  (func (export "exit") (param $code i32)
    (call $proc_exit2 (local.get $code))))
