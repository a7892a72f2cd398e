;; Store buffering with sequentially consistent atomics: thread 1 stores
;; x then loads y, thread 2 stores y then loads x. Under seq_cst at least
;; one of them sees the other's store, so the loaded pair is never (0, 0).
;; x is at 0, y at 4; thread 1 keeps its result at 8, thread 2 at 12.

(module $Mem (memory (export "shared") 1 1 shared))

(thread $T1 (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "run")
      (i32.atomic.store (i32.const 0) (i32.const 1))
      (i32.store (i32.const 8) (i32.atomic.load (i32.const 4)))))
  (invoke "run")
)

(thread $T2 (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "run")
      (i32.atomic.store (i32.const 4) (i32.const 1))
      (i32.store (i32.const 12) (i32.atomic.load (i32.const 0)))))
  (invoke "run")
)

(wait $T1)
(wait $T2)

(register "mem" $Mem)
(module
  (memory (import "mem" "shared") 1 1 shared)
  ;; r1 + 2*r2
  (func (export "seen") (result i32)
    (i32.add (i32.load (i32.const 8)) (i32.shl (i32.load (i32.const 12)) (i32.const 1)))))
(assert_return (invoke "seen") (either (i32.const 1) (i32.const 2) (i32.const 3)))
