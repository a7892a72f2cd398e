;; A WASIX command that waits in epoll_wait, without timeout, until
;; standard input is readable, then exits with the number of events.
(module
  (import "wasix_32v1" "epoll_create" (func $epoll_create (param i32) (result i32)))
  (import "wasix_32v1" "epoll_ctl" (func $epoll_ctl (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "epoll_wait" (func $epoll_wait (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasix_32v1" "proc_exit2" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $epoll_create (i32.const 0)))
    (i32.store (i32.const 64) (i32.const 1)) ;; EPOLLIN, data all zero
    (drop (call $epoll_ctl (i32.load (i32.const 0)) (i32.const 0) (i32.const 0) (i32.const 64)))
    (drop (call $epoll_wait (i32.load (i32.const 0)) (i32.const 128) (i32.const 4) (i64.const -1) (i32.const 8)))
    (call $exit (i32.load (i32.const 8)))))
