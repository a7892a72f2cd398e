;; wasix_64v1: the same functions over a 64-bit memory, pointers and sizes
;; as i64. Memory map as in proc.wat and futex.wat.
(module
  (import "wasix_64v1" "thread_id" (func $thread_id (param i64) (result i32)))
  (import "wasix_64v1" "getcwd" (func $getcwd (param i64 i64) (result i32)))
  (import "wasix_64v1" "thread_parallelism" (func $parallelism (param i64) (result i32)))
  (import "wasix_64v1" "futex_wait" (func $wait (param i64 i32 i64 i64) (result i32)))
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
)
