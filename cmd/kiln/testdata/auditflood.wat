;; Tries to open "../outside.txt" beneath the first preopened directory
;; (descriptor 3) n times (n > 0), each refused, and returns the last
;; errno: a flood of audit records.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 32) "../outside.txt")
  (func (export "flood") (param $n i32) (result i32)
    (local $e i32)
    (loop $l
      (local.set $e (call $path_open (i32.const 3) (i32.const 0) (i32.const 32) (i32.const 14)
        (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $e)))
