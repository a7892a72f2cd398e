;; thread_spawn_v2, thread_id, thread_join, thread_exit, thread_sleep and
;; thread_parallelism at the ABI's edges.
;;
;; Memory map: 0x200 a 64-byte thread_start struct {stack_upper @0,
;; tls_base @4, start_funct @8, start_args @12, reserved[10], stack_size
;; @56, guard_size @60}; 0x300 the tid written by thread_spawn_v2; 0x310
;; the (tid, start) pair the new thread received; 0x318 a flag the thread
;; raises and wakes (futex); 0x320 thread_id's result; 0x330 a u32 result.
(module
  (import "wasix_32v1" "thread_spawn_v2" (func $spawn (param i32 i32) (result i32)))
  (import "wasix_32v1" "thread_id" (func $thread_id (param i32) (result i32)))
  (import "wasix_32v1" "thread_join" (func $join (param i32) (result i32)))
  (import "wasix_32v1" "thread_exit" (func $thread_exit (param i32)))
  (import "wasix_32v1" "thread_sleep" (func $sleep (param i64) (result i32)))
  (import "wasix_32v1" "thread_parallelism" (func $parallelism (param i32) (result i32)))
  (import "wasix_32v1" "futex_wake_all" (func $wake_all (param i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))

  ;; The new thread's entry: record (tid, start), read thread_id, raise
  ;; the flag and wake whoever waits; with start_args = 1 it then calls
  ;; thread_exit, with 2 it traps, otherwise it returns.
  (func (export "wasi_thread_start") (param $tid i32) (param $start i32)
    (i32.store (i32.const 0x310) (local.get $tid))
    (i32.store (i32.const 0x314) (local.get $start))
    (drop (call $thread_id (i32.const 0x320)))
    (i32.atomic.store (i32.const 0x318) (i32.const 1))
    (drop (call $wake_all (i32.const 0x318) (i32.const 0x33f)))
    (if (i32.eq (i32.load (i32.add (local.get $start) (i32.const 12))) (i32.const 1))
      (then (call $thread_exit (i32.const 0))))
    (if (i32.eq (i32.load (i32.add (local.get $start) (i32.const 12))) (i32.const 2))
      (then unreachable)))

  ;; start(upper, size, args) fills the struct at 0x200 (the reserved
  ;; words with garbage, which the runtime must ignore) and spawns.
  (func $fill (param $upper i32) (param $size i32) (param $args i32)
    (memory.fill (i32.const 0x200) (i32.const 0x5a) (i32.const 64))
    (i32.store (i32.const 0x200) (local.get $upper))
    (i32.store (i32.const 0x204) (i32.const 0))
    (i32.store (i32.const 0x208) (i32.const 0))
    (i32.store (i32.const 0x20c) (local.get $args))
    (i32.store (i32.const 0x238) (local.get $size))
    (i32.store (i32.const 0x23c) (i32.const 0))
    (i32.atomic.store (i32.const 0x318) (i32.const 0)))
  (func (export "spawn") (param $upper i32) (param $size i32) (param $args i32) (result i32)
    (call $fill (local.get $upper) (local.get $size) (local.get $args))
    (call $spawn (i32.const 0x200) (i32.const 0x300)))
  (func (export "spawn_bad_struct") (result i32)
    (call $spawn (i32.const 0xffc4) (i32.const 0x300)))
  (func (export "spawn_bad_tid") (result i32)
    (call $fill (i32.const 0x8000) (i32.const 0x1000) (i32.const 0))
    (call $spawn (i32.const 0x200) (i32.const 0xfffe)))

  (func (export "spawned_tid") (result i32) (i32.load (i32.const 0x300)))
  (func (export "seen_tid") (result i32) (i32.load (i32.const 0x310)))
  (func (export "seen_start") (result i32) (i32.load (i32.const 0x314)))
  (func (export "seen_thread_id") (result i32) (i32.load (i32.const 0x320)))
  (func (export "flag") (result i32) (i32.atomic.load (i32.const 0x318)))
  ;; wait_flag: memory.atomic.wait32 until the thread raised the flag.
  (func (export "wait_flag")
    (loop $again
      (if (i32.eqz (i32.atomic.load (i32.const 0x318)))
        (then
          (drop (memory.atomic.wait32 (i32.const 0x318) (i32.const 0) (i64.const -1)))
          (br $again)))))

  (func (export "thread_id") (result i32 i32)
    (call $thread_id (i32.const 0x320)) (i32.load (i32.const 0x320)))
  (func (export "thread_id_bad") (result i32) (call $thread_id (i32.const 0xfffd)))
  (func (export "join") (param i32) (result i32) (call $join (local.get 0)))
  (func (export "sleep") (param i64) (result i32) (call $sleep (local.get 0)))
  (func (export "parallelism") (result i32 i32)
    (call $parallelism (i32.const 0x330)) (i32.load (i32.const 0x330)))
  (func (export "parallelism_bad") (result i32) (call $parallelism (i32.const 0x10000)))
  (func (export "exit") (param i32) (call $thread_exit (local.get 0)))
)
