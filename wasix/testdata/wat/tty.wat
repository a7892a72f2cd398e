;; tty_get and tty_set at the ABI's edges. 0x100 holds the 24-byte tty
;; struct (preset to 0xee bytes); 0xfff0 runs off the end of memory.
(module
  (import "wasix_32v1" "tty_get" (func $tty_get (param i32) (result i32)))
  (import "wasix_32v1" "tty_set" (func $tty_set (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))

  ;; get() -> errno; the struct is at 0x100.
  (func (export "get") (result i32)
    (memory.fill (i32.const 0x100) (i32.const 0xee) (i32.const 24))
    (call $tty_get (i32.const 0x100)))
  ;; set(echo, line_buffered, line_feeds) -> errno: the rest of the
  ;; struct is 0xee bytes, which tty_set must ignore.
  (func (export "set") (param $echo i32) (param $lb i32) (param $lf i32) (result i32)
    (memory.fill (i32.const 0x100) (i32.const 0xee) (i32.const 24))
    (i32.store8 (i32.const 0x113) (local.get $echo))
    (i32.store8 (i32.const 0x114) (local.get $lb))
    (i32.store8 (i32.const 0x115) (local.get $lf))
    (call $tty_set (i32.const 0x100)))
  (func (export "get_bad") (result i32) (call $tty_get (i32.const 0xfff0)))
  (func (export "set_bad") (result i32) (call $tty_set (i32.const 0xfff0))))
