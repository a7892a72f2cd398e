;; Opens a path inside the first preopened directory (descriptor 3) and
;; one outside it, and returns both errnos (0 = opened).
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "inside.txt")
  (data (i32.const 32) "../outside.txt")
  (func $open (param $path i32) (param $len i32) (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (local.get $path) (local.get $len)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0)))
  (func (export "probe") (result i32 i32)
    (call $open (i32.const 16) (i32.const 10))
    (call $open (i32.const 32) (i32.const 14))))
