;; Descriptor exhaustion: opens the file "f" in the first preopened
;; directory (descriptor 3, created if missing) until path_open fails and
;; returns how many descriptors it got and the errno of the failure.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "f")
  (func (export "bomb") (result i32 i32)
    (local $count i32) (local $errno i32)
    (block $done
      (loop $open
        ;; dirfd 3, follow symlinks, path "f", O_CREAT, rights fd_read|fd_write
        (local.set $errno (call $path_open (i32.const 3) (i32.const 1)
          (i32.const 16) (i32.const 1) (i32.const 1)
          (i64.const 66) (i64.const 0) (i32.const 0) (i32.const 0)))
        (br_if $done (local.get $errno))
        (local.set $count (i32.add (local.get $count) (i32.const 1)))
        (br $open)))
    (local.get $count) (local.get $errno)))
