;; getcwd, chdir, clock_time_set, proc_id, proc_parent, proc_snapshot and
;; proc_exit2 at the ABI's edges. Memory map: 0x400 a path buffer, 0x500
;; its length (in: capacity, out: length), 0x600 strings the test writes,
;; 0x700 a u32 result, 0x710 a u64 clock reading.
(module
  (import "wasix_32v1" "getcwd" (func $getcwd (param i32 i32) (result i32)))
  (import "wasix_32v1" "chdir" (func $chdir (param i32 i32) (result i32)))
  (import "wasix_32v1" "clock_time_set" (func $clock_time_set (param i32 i64) (result i32)))
  (import "wasix_32v1" "proc_id" (func $proc_id (param i32) (result i32)))
  (import "wasix_32v1" "proc_parent" (func $proc_parent (param i32 i32) (result i32)))
  (import "wasix_32v1" "proc_snapshot" (func $proc_snapshot (result i32)))
  (import "wasix_32v1" "proc_exit2" (func $proc_exit2 (param i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (export "memory" (memory 0))

  ;; getcwd(capacity): fills 0x400.. with '#' first so that a test sees
  ;; exactly which bytes were written; returns errno and the length.
  (func (export "getcwd") (param $cap i32) (result i32 i32)
    (memory.fill (i32.const 0x400) (i32.const 0x23) (i32.const 0x100))
    (i32.store (i32.const 0x500) (local.get $cap))
    (call $getcwd (i32.const 0x400) (i32.const 0x500))
    (i32.load (i32.const 0x500)))
  (func (export "getcwd_bad_buf") (result i32)
    (i32.store (i32.const 0x500) (i32.const 0x100))
    (call $getcwd (i32.const 0xff80) (i32.const 0x500)))
  (func (export "getcwd_bad_len") (result i32)
    (call $getcwd (i32.const 0x400) (i32.const 0xfffe)))
  ;; chdir(len): the path is at 0x600 (the test writes it).
  (func (export "chdir") (param $len i32) (result i32)
    (call $chdir (i32.const 0x600) (local.get $len)))
  (func (export "chdir_bad") (result i32)
    (call $chdir (i32.const 0xfff0) (i32.const 0x20)))

  (func (export "clock_time_set") (param i32 i64) (result i32)
    (call $clock_time_set (local.get 0) (local.get 1)))
  (func (export "clock_time_get") (param i32) (result i32 i64)
    (call $clock_time_get (local.get 0) (i64.const 1) (i32.const 0x710))
    (i64.load (i32.const 0x710)))

  (func (export "proc_id") (result i32 i32)
    (call $proc_id (i32.const 0x700)) (i32.load (i32.const 0x700)))
  (func (export "proc_id_bad") (result i32) (call $proc_id (i32.const 0x10000)))
  (func (export "proc_parent") (param i32) (result i32 i32)
    (i32.store (i32.const 0x700) (i32.const 0xdead))
    (call $proc_parent (local.get 0) (i32.const 0x700)) (i32.load (i32.const 0x700)))
  (func (export "proc_parent_bad") (param i32) (result i32)
    (call $proc_parent (local.get 0) (i32.const 0xffff)))
  (func (export "proc_snapshot") (result i32) (call $proc_snapshot))
  (func (export "proc_exit2") (param i32) (call $proc_exit2 (local.get 0)))
)
