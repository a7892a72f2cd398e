;; wasix_64v1 foreign calls: pointers, sizes and function ids are i64
;; (the argument-type counts of reflect_signature are u16 in an i32), the
;; backing function of a closure takes three i64 pointers and the shadow
;; stack pointer is an i64.
(module
  (import "wasix_64v1" "call_dynamic" (func $call_dynamic (param i64 i64 i64 i64 i64 i32) (result i32)))
  (import "wasix_64v1" "reflect_signature" (func $reflect (param i64 i64 i32 i64 i32 i64) (result i32)))
  (import "wasix_64v1" "closure_allocate" (func $closure_allocate (param i64) (result i32)))
  (import "wasix_64v1" "closure_prepare" (func $closure_prepare (param i64 i64 i64 i64 i64 i64 i64) (result i32)))
  (import "wasix_64v1" "closure_free" (func $closure_free (param i64) (result i32)))
  (import "env" "memory" (memory i64 1 1 shared))
  (export "memory" (memory 0))
  (global $sp (export "__stack_pointer") (mut i64) (i64.const 0x8000))
  (type $closure_type (func (param i32 i64) (result i32)))
  (table 4 funcref)
  ;; 1 add, 2 backing
  (elem (i32.const 1) func $add $backing)
  (func $add (param i32 i64) (result i64)
    (i64.add (i64.extend_i32_u (local.get 0)) (local.get 1)))
  ;; backing(values, results, user): results.i32 = values.i32 + values.i64 + *user
  (func $backing (param $values i64) (param $results i64) (param $user i64)
    (i32.store (local.get $results)
      (i32.add
        (i32.add (i32.load (local.get $values))
                 (i32.wrap_i64 (i64.load offset=4 (local.get $values))))
        (i32.load (local.get $user)))))
  (func (export "call_dynamic") (param i64 i64 i64 i64 i64 i32) (result i32)
    (call $call_dynamic (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))
  (func (export "reflect_signature") (param i64 i64 i32 i64 i32 i64) (result i32)
    (call $reflect (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))
  (func (export "closure_allocate") (param i64) (result i32)
    (call $closure_allocate (local.get 0)))
  (func (export "closure_prepare") (param i64 i64 i64 i64 i64 i64 i64) (result i32)
    (call $closure_prepare (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)))
  (func (export "closure_free") (param i64) (result i32)
    (call $closure_free (local.get 0)))
  (func (export "call_closure") (param $slot i32) (param $a i32) (param $b i64) (result i32)
    (call_indirect (type $closure_type) (local.get $a) (local.get $b) (local.get $slot)))
)
