;; Foreign calls: call_dynamic, reflect_signature and closures over the
;; indirect function table below. The test writes the buffers through the
;; exported memory and calls the imports through thin exports.
;; Memory map: 0x700 call counter of $backing, 0x704 of $noargs;
;; __stack_pointer starts at 0x8000.
(module
  (import "wasix_32v1" "call_dynamic" (func $call_dynamic (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "reflect_signature" (func $reflect (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "closure_allocate" (func $closure_allocate (param i32) (result i32)))
  (import "wasix_32v1" "closure_prepare" (func $closure_prepare (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "closure_free" (func $closure_free (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))
  (global $sp (export "__stack_pointer") (mut i32) (i32.const 0x8000))
  (type $closure_type (func (param i32 i64) (result i32)))
  (table $t (export "__indirect_function_table") 8 funcref)
  ;; 0 is null; 1 add, 2 mix, 3 backing, 4 noargs, 5 refarg, 6 trap.
  (elem (i32.const 1) func $add $mix $backing $noargs $refarg $trap)

  (func $add (param i32 i64) (result i64)
    (i64.add (i64.extend_i32_u (local.get 0)) (local.get 1)))
  ;; mix(f32 a, f64 b, v128 v) -> (f64 a+b, i32 lane 1 of v, v128 v)
  (func $mix (param f32 f64 v128) (result f64 i32 v128)
    (f64.add (f64.promote_f32 (local.get 0)) (local.get 1))
    (i32x4.extract_lane 1 (local.get 2))
    (local.get 2))
  ;; backing(values, results, user): results.i32 = values.i32 + values.i64 + *user
  (func $backing (param $values i32) (param $results i32) (param $user i32)
    (i32.store (i32.const 0x700) (i32.add (i32.load (i32.const 0x700)) (i32.const 1)))
    (i32.store (local.get $results)
      (i32.add
        (i32.add (i32.load (local.get $values))
                 (i32.wrap_i64 (i64.load offset=4 (local.get $values))))
        (i32.load (local.get $user)))))
  (func $noargs
    (i32.store (i32.const 0x704) (i32.add (i32.load (i32.const 0x704)) (i32.const 1))))
  (func $refarg (param externref))
  (func $trap (unreachable))

  (func (export "call_dynamic") (param i32 i32 i32 i32 i32 i32) (result i32)
    (call $call_dynamic (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))
  (func (export "reflect_signature") (param i32 i32 i32 i32 i32 i32) (result i32)
    (call $reflect (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5)))
  (func (export "closure_allocate") (param i32) (result i32)
    (call $closure_allocate (local.get 0)))
  (func (export "closure_prepare") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
    (call $closure_prepare (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)))
  (func (export "closure_free") (param i32) (result i32)
    (call $closure_free (local.get 0)))
  ;; call_closure(slot, a, b): the closure called as C calls a function pointer.
  (func (export "call_closure") (param $slot i32) (param $a i32) (param $b i64) (result i32)
    (call_indirect (type $closure_type) (local.get $a) (local.get $b) (local.get $slot)))
  ;; replace_backing(slot): put $add where the backing function was.
  (func (export "replace_backing") (param $slot i32)
    (table.set $t (local.get $slot) (ref.func $add)))
  (elem declare func $add)
)
