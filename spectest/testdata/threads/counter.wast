;; Four threads add to one counter with atomic read-modify-write
;; instructions, concurrently; no increment is lost. Each thread also
;; registers its own module under the same name "inc": registrations are
;; private to the thread that makes them.

(module $Mem (memory (export "shared") 1 1 shared))
(register "mem" $Mem)

(thread $A (shared (module $Mem))
  (register "mem" $Mem)
  (module $Inc
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "add") (param $n i32)
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  (register "inc" $Inc)
  (module (func (import "inc" "add") (param i32)) (func (export "go") (call 0 (i32.const 1000))))
  (invoke "go")
)

(thread $B (shared (module $Mem))
  (register "mem" $Mem)
  (module $Inc
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "add") (param $n i32)
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  (register "inc" $Inc)
  (module (func (import "inc" "add") (param i32)) (func (export "go") (call 0 (i32.const 1000))))
  (invoke "go")
)

(thread $C (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "go")
      (local $n i32)
      (local.set $n (i32.const 1000))
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  (invoke "go")
)

(thread $D (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "go")
      (local $n i32)
      (local.set $n (i32.const 1000))
      (loop $l
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
  (invoke "go")
)

(wait $A)
(wait $B)
(wait $C)
(wait $D)

(module
  (memory (import "mem" "shared") 1 1 shared)
  (func (export "total") (result i32) (i32.atomic.load (i32.const 0))))
(assert_return (invoke "total") (i32.const 4000))
;; Neither thread's "inc" reached the script's registry.
(assert_unlinkable
  (module (func (import "inc" "add") (param i32)))
  "unknown import")
