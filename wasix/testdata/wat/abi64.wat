;; wasix_64v1: the same functions over a 64-bit memory, pointers and sizes
;; as i64. Memory map as in proc.wat and futex.wat.
(module
  (import "wasix_64v1" "thread_id" (func $thread_id (param i64) (result i32)))
  (import "wasix_64v1" "getcwd" (func $getcwd (param i64 i64) (result i32)))
  (import "wasix_64v1" "thread_parallelism" (func $parallelism (param i64) (result i32)))
  (import "wasix_64v1" "futex_wait" (func $wait (param i64 i32 i64 i64) (result i32)))
  (import "wasix_64v1" "epoll_create" (func $epoll_create (param i64) (result i32)))
  (import "wasix_64v1" "epoll_ctl" (func $epoll_ctl (param i32 i32 i32 i64) (result i32)))
  (import "wasix_64v1" "epoll_wait" (func $epoll_wait (param i32 i64 i64 i64 i64) (result i32)))
  (import "wasix_64v1" "fd_event" (func $fd_event (param i64 i32 i64) (result i32)))
  (import "env" "memory" (memory i64 1 1 shared))
  (export "memory" (memory 0))

  (func (export "thread_id") (result i32 i32)
    (call $thread_id (i64.const 0x320)) (i32.load (i64.const 0x320)))
  ;; getcwd(capacity): the length is a u64 in a 64-bit guest.
  (func (export "getcwd") (param $cap i64) (result i32 i64)
    (memory.fill (i64.const 0x400) (i32.const 0x23) (i64.const 0x100))
    (i64.store (i64.const 0x500) (local.get $cap))
    (call $getcwd (i64.const 0x400) (i64.const 0x500))
    (i64.load (i64.const 0x500)))
  (func (export "parallelism") (result i32 i64)
    (i64.store (i64.const 0x330) (i64.const -1))
    (call $parallelism (i64.const 0x330)) (i64.load (i64.const 0x330)))
  ;; wait_timeout(ns): futex_wait on 0x100 (holding 0) for ns.
  (func (export "wait_timeout") (param $ns i64) (result i32 i32)
    (i32.store8 (i64.const 0x120) (i32.const 1))
    (i64.store (i64.const 0x128) (local.get $ns))
    (call $wait (i64.const 0x100) (i32.const 0) (i64.const 0x120) (i64.const 0x110))
    (i32.load8_u (i64.const 0x110)))
  (func (export "wait_bad") (result i32)
    (call $wait (i64.const 0x1_0000_0000) (i32.const 0) (i64.const 0x120) (i64.const 0x110)))
  ;; epoll(): an epoll descriptor watching an event descriptor that
  ;; holds 1, with 24 bytes of data 0x11..0x28 (a 64-bit ptr, fd, data1,
  ;; data2): -> the three errnos, the event count (a u64, preset to all
  ;; ones), the reported events and the first and last data words.
  (func (export "epoll") (result i32 i32 i32 i64 i32 i64 i64)
    (local $ep i32) (local $ev i32) (local $i i32)
    (drop (call $epoll_create (i64.const 0x600)))
    (local.set $ep (i32.load (i64.const 0x600)))
    (drop (call $fd_event (i64.const 1) (i32.const 0) (i64.const 0x604)))
    (local.set $ev (i32.load (i64.const 0x604)))
    (i32.store (i64.const 0x700) (i32.const 1))
    (loop $fill
      (i32.store8 (i64.add (i64.const 0x708) (i64.extend_i32_u (local.get $i)))
        (i32.add (local.get $i) (i32.const 0x11)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 24))))
    (i64.store (i64.const 0x620) (i64.const -1))
    (call $epoll_create (i64.const 0x610))
    (call $epoll_ctl (local.get $ep) (i32.const 0) (local.get $ev) (i64.const 0x700))
    (call $epoll_wait (local.get $ep) (i64.const 0x800) (i64.const 4) (i64.const 0) (i64.const 0x620))
    (i64.load (i64.const 0x620))
    (i32.load (i64.const 0x800))
    (i64.load (i64.const 0x808))
    (i64.load (i64.const 0x818))))
