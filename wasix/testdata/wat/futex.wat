;; futex_wait / futex_wake / futex_wake_all at the ABI's edges. Each export
;; makes one call and returns its errno; results land in memory:
;;   0x100 the futex word, 0x110 the woken flag (u8),
;;   0x120 an option<timestamp> {u8 tag @0, u64 ns @8}.
;; The last page ends at 0x10000 (one page), so 0xfffe and beyond are
;; out of range for a four-byte word.
(module
  (import "wasix_32v1" "futex_wait" (func $wait (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "futex_wake" (func $wake (param i32 i32) (result i32)))
  (import "wasix_32v1" "futex_wake_all" (func $wake_all (param i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))

  ;; set_timeout(tag, ns) writes the option at 0x120, with garbage in the
  ;; padding bytes 1..7 so that a reader must take the value from offset 8.
  (func $set_timeout (export "set_timeout") (param $tag i32) (param $ns i64)
    (i64.store (i32.const 0x120) (i64.const 0x7777777777777700))
    (i32.store8 (i32.const 0x120) (local.get $tag))
    (i64.store (i32.const 0x128) (local.get $ns)))

  (func (export "woken") (result i32) (i32.load8_u (i32.const 0x110)))
  (func (export "set_word") (param i32) (i32.atomic.store (i32.const 0x100) (local.get 0)))

  ;; wait(expected): futex_wait on 0x100 with the option at 0x120.
  (func (export "wait") (param $expected i32) (result i32)
    (i32.store8 (i32.const 0x110) (i32.const 0xaa))
    (call $wait (i32.const 0x100) (local.get $expected) (i32.const 0x120) (i32.const 0x110)))

  (func (export "wake") (result i32)
    (i32.store8 (i32.const 0x110) (i32.const 0xaa))
    (call $wake (i32.const 0x100) (i32.const 0x110)))
  (func (export "wake_all") (result i32)
    (i32.store8 (i32.const 0x110) (i32.const 0xaa))
    (call $wake_all (i32.const 0x100) (i32.const 0x110)))

  ;; wait_at(addr, expected): futex_wait on any address (alignment).
  (func (export "wait_at") (param $addr i32) (param $expected i32) (result i32)
    (call $wait (local.get $addr) (local.get $expected) (i32.const 0x120) (i32.const 0x110)))

  ;; The same calls with one pointer out of range.
  (func (export "wait_bad_word") (result i32)
    (call $wait (i32.const 0xfffe) (i32.const 0) (i32.const 0x120) (i32.const 0x110)))
  (func (export "wait_bad_timeout") (result i32)
    (call $wait (i32.const 0x100) (i32.const 0) (i32.const 0xfff8) (i32.const 0x110)))
  (func (export "wait_bad_woken") (result i32)
    (call $wait (i32.const 0x100) (i32.const 0) (i32.const 0x120) (i32.const 0x10000)))
  (func (export "wake_bad_word") (result i32)
    (call $wake (i32.const 0xffffffff) (i32.const 0x110)))
  (func (export "wake_bad_woken") (result i32)
    (call $wake (i32.const 0x100) (i32.const 0x10000)))
  (func (export "wake_all_bad_word") (result i32)
    (call $wake_all (i32.const 0x10000) (i32.const 0x110)))

  ;; notify(n): memory.atomic.notify on the same word, so a test can
  ;; check that futexes and the threads proposal share wait queues.
  (func (export "notify") (param $n i32) (result i32)
    (memory.atomic.notify (i32.const 0x100) (local.get $n)))
  ;; atomic_wait(expected, ns): memory.atomic.wait32 on the same word.
  (func (export "atomic_wait") (param $expected i32) (param $ns i64) (result i32)
    (memory.atomic.wait32 (i32.const 0x100) (local.get $expected) (local.get $ns)))
)
