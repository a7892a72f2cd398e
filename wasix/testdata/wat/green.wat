;; Green threads: contexts over the indirect function table below. $steps
;; logs each step of context $a at 0x700 (a counter) so that the test
;; sees where a context stopped.
(module
  (import "wasix_32v1" "context_create" (func $create (param i32 i32) (result i32)))
  (import "wasix_32v1" "context_switch" (func $switch (param i64) (result i32)))
  (import "wasix_32v1" "context_destroy" (func $destroy (param i64) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))
  (table 8 funcref)
  ;; 1 $a (switches back to main twice, then returns), 2 $bad (wrong
  ;; type), 3 $trapper, 4 $spin_switch (switches back to main forever).
  (elem (i32.const 1) func $a $bad $trapper $forever)
  (func $step (i32.store (i32.const 0x700) (i32.add (i32.load (i32.const 0x700)) (i32.const 1))))
  (func $a
    (call $step)
    (drop (call $switch (i64.const 0)))
    (call $step)
    (drop (call $switch (i64.const 0)))
    (call $step))
  (func $bad (param i32))
  (func $trapper (unreachable))
  (func $forever (loop (call $step) (drop (call $switch (i64.const 0))) (br 0)))
  (func (export "create") (param i32 i32) (result i32) (call $create (local.get 0) (local.get 1)))
  (func (export "switch") (param i64) (result i32) (call $switch (local.get 0)))
  (func (export "destroy") (param i64) (result i32) (call $destroy (local.get 0)))
)
