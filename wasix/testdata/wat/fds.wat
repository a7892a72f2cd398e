;; fd_pipe, fd_dup, fd_dup2, fd_event, fd_fdflags_get/set, fd_renumber
;; (POSIX dup2 in a WASIX process), path_open2 and a port_* function at
;; the ABI's edges. Memory map: 0x100 and 0x104 descriptor results (the test
;; functions preset them to 0xdead so untouched results show), 0x200 an
;; 8-byte data buffer, 0x300 its iovec, 0x310 a byte count, 0x600 a path. 0xfffe is a
;; result location that runs off the end of memory.
(module
  (import "wasix_32v1" "fd_pipe" (func $fd_pipe (param i32 i32) (result i32)))
  (import "wasix_32v1" "fd_dup" (func $fd_dup (param i32 i32) (result i32)))
  (import "wasix_32v1" "fd_dup2" (func $fd_dup2 (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "fd_event" (func $fd_event (param i64 i32 i32) (result i32)))
  (import "wasix_32v1" "fd_fdflags_get" (func $fd_fdflags_get (param i32 i32) (result i32)))
  (import "wasix_32v1" "fd_fdflags_set" (func $fd_fdflags_set (param i32 i32) (result i32)))
  (import "wasix_32v1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasix_32v1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $p1_renumber (param i32 i32) (result i32)))
  (import "wasix_32v1" "path_open2"
    (func $path_open2 (param i32 i32 i32 i32 i32 i64 i64 i32 i32 i32) (result i32)))
  (import "wasix_32v1" "port_mac" (func $port_mac (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))

  (func $preset
    (i32.store (i32.const 0x100) (i32.const 0xdead))
    (i32.store (i32.const 0x104) (i32.const 0xdead)))

  ;; pipe() -> errno, read end, write end
  (func (export "pipe") (result i32 i32 i32)
    (call $preset)
    (call $fd_pipe (i32.const 0x100) (i32.const 0x104))
    (i32.load (i32.const 0x100)) (i32.load (i32.const 0x104)))
  ;; pipe_bad(first) -> errno, with the first (1) or second (0) result
  ;; out of memory; the good result must stay 0xdead.
  (func (export "pipe_bad") (param $first i32) (result i32 i32)
    (call $preset)
    (if (result i32) (local.get $first)
      (then (call $fd_pipe (i32.const 0xfffe) (i32.const 0x104)))
      (else (call $fd_pipe (i32.const 0x100) (i32.const 0xfffe))))
    (if (result i32) (local.get $first)
      (then (i32.load (i32.const 0x104)))
      (else (i32.load (i32.const 0x100)))))

  (func (export "dup") (param $fd i32) (result i32 i32)
    (call $preset)
    (call $fd_dup (local.get $fd) (i32.const 0x100))
    (i32.load (i32.const 0x100)))
  (func (export "dup_bad") (param $fd i32) (result i32)
    (call $fd_dup (local.get $fd) (i32.const 0xfffe)))

  (func (export "dup2") (param $fd i32) (param $min i32) (param $cloexec i32) (result i32 i32)
    (call $preset)
    (call $fd_dup2 (local.get $fd) (local.get $min) (local.get $cloexec) (i32.const 0x100))
    (i32.load (i32.const 0x100)))
  (func (export "dup2_bad") (param $fd i32) (result i32)
    (call $fd_dup2 (local.get $fd) (i32.const 0) (i32.const 0) (i32.const 0xfffe)))

  (func (export "event") (param $init i64) (param $flags i32) (result i32 i32)
    (call $preset)
    (call $fd_event (local.get $init) (local.get $flags) (i32.const 0x100))
    (i32.load (i32.const 0x100)))
  (func (export "event_bad") (result i32)
    (call $fd_event (i64.const 1) (i32.const 0) (i32.const 0xfffe)))

  ;; fdflags_get(fd) -> errno, flags (the u16 result is preset to 0xbeef;
  ;; the u16 after it, 0xdead, must stay).
  (func (export "fdflags_get") (param $fd i32) (result i32 i32 i32)
    (i32.store (i32.const 0x100) (i32.const 0xdeadbeef))
    (call $fd_fdflags_get (local.get $fd) (i32.const 0x100))
    (i32.load16_u (i32.const 0x100))
    (i32.load16_u (i32.const 0x102)))
  (func (export "fdflags_get_bad") (param $fd i32) (result i32)
    (call $fd_fdflags_get (local.get $fd) (i32.const 0xffff)))
  (func (export "fdflags_set") (param $fd i32) (param $flags i32) (result i32)
    (call $fd_fdflags_set (local.get $fd) (local.get $flags)))

  ;; write8(fd, v) -> errno, bytes written: v as 8 little-endian bytes.
  (func (export "write8") (param $fd i32) (param $v i64) (result i32 i32)
    (i64.store (i32.const 0x200) (local.get $v))
    (i32.store (i32.const 0x300) (i32.const 0x200))
    (i32.store (i32.const 0x304) (i32.const 8))
    (call $fd_write (local.get $fd) (i32.const 0x300) (i32.const 1) (i32.const 0x310))
    (i32.load (i32.const 0x310)))
  ;; read(fd, n) -> errno, bytes read, the first 8 bytes of the buffer.
  (func (export "read") (param $fd i32) (param $n i32) (result i32 i32 i64)
    (i64.store (i32.const 0x200) (i64.const 0))
    (i32.store (i32.const 0x300) (i32.const 0x200))
    (i32.store (i32.const 0x304) (local.get $n))
    (call $fd_read (local.get $fd) (i32.const 0x300) (i32.const 1) (i32.const 0x310))
    (i32.load (i32.const 0x310))
    (i64.load (i32.const 0x200)))
  (func (export "close") (param $fd i32) (result i32)
    (call $fd_close (local.get $fd)))

  ;; renumber(from, to) through wasix_32v1, renumber_p1 through
  ;; wasi_snapshot_preview1 (which wasix-libc's dup2 imports).
  (func (export "renumber") (param $from i32) (param $to i32) (result i32)
    (call $fd_renumber (local.get $from) (local.get $to)))
  (func (export "renumber_p1") (param $from i32) (param $to i32) (result i32)
    (call $p1_renumber (local.get $from) (local.get $to)))

  ;; open2(dirfd, name, oflags, fdflagsext, result) -> errno, the word at
  ;; 0x104: path_open2 of the one-byte name with every right.
  (func (export "open2") (param $dir i32) (param $name i32) (param $oflags i32) (param $ext i32) (param $res i32)
    (result i32 i32)
    (call $preset)
    (i32.store8 (i32.const 0x600) (local.get $name))
    (call $path_open2 (local.get $dir) (i32.const 0) (i32.const 0x600) (i32.const 1)
      (local.get $oflags) (i64.const -1) (i64.const -1) (i32.const 0) (local.get $ext) (local.get $res))
    (i32.load (i32.const 0x104)))

  (func (export "port_mac") (result i32)
    (call $port_mac (i32.const 0x100))))
