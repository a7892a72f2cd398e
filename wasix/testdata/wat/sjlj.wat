;; Native setjmp/longjmp (no asyncify): run checkpoints with the stack
;; pointer (global 0, as wasm-ld makes it) at 4096, moves it down as
;; deeper frames would, and longjmps from four frames down with 9; the
;; checkpoint returns 9 with the stack pointer back at 4096. stale
;; longjmps to a checkpoint whose frame has returned.
(module
  (import "wasix_32v1" "stack_checkpoint" (func $checkpoint (param i32 i32) (result i32)))
  (import "wasix_32v1" "stack_restore" (func $restore (param i32 i64)))
  (memory (export "memory") 1)
  (global $sp (mut i32) (i32.const 4096))
  (func (export "run") (result i32)
    (drop (call $checkpoint (i32.const 0x100) (i32.const 0x120)))
    (if (i64.eqz (i64.load (i32.const 0x120)))
      (then
        (global.set $sp (i32.const 3072))
        (call $deep (i32.const 3))))
    (i32.add (i32.mul (global.get $sp) (i32.const 1000))
             (i32.wrap_i64 (i64.load (i32.const 0x120)))))
  (func $deep (param $n i32)
    (global.set $sp (i32.sub (global.get $sp) (i32.const 16)))
    (if (i32.eqz (local.get $n))
      (then (call $restore (i32.const 0x100) (i64.const 9))))
    (call $deep (i32.sub (local.get $n) (i32.const 1))))
  (func (export "stale")
    (call $restore (i32.const 0x100) (i64.const 1))))
