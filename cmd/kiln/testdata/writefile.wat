;; Creates the file "out" in the first preopened directory (descriptor
;; 3), writes "0123456789" to it twice and returns the bytes the first
;; write took and the errno of the second.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "out")
  (data (i32.const 32) "0123456789")
  (func (export "probe") (result i32 i32)
    (local $fd i32)
    ;; O_CREAT|O_TRUNC, rights fd_write; the descriptor lands at 8
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 16) (i32.const 3)
      (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 8)))
    (local.set $fd (i32.load (i32.const 8)))
    (i32.store (i32.const 0) (i32.const 32))   ;; iovec: "0123456789"
    (i32.store (i32.const 4) (i32.const 10))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 12)))
    (i32.load (i32.const 12))
    (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 12))))
