;; Message passing between two threads over a shared memory: the producer
;; stores a payload, then publishes it with an atomic store of a flag and
;; a notify; the consumer waits on the flag (memory.atomic.wait32, which
;; returns at once if the flag is already set) and then reads the payload.

(module $Mem (memory (export "shared") 1 1 shared))

(thread $Producer (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "produce")
      (i32.store (i32.const 64) (i32.const 42))
      (i32.atomic.store (i32.const 0) (i32.const 1))
      (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))))
  (invoke "produce")
)

(thread $Consumer (shared (module $Mem))
  (register "mem" $Mem)
  (module
    (memory (import "mem" "shared") 1 1 shared)
    (func (export "consume") (result i32)
      (block $ready
        (loop $poll
          (br_if $ready (i32.atomic.load (i32.const 0)))
          (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
          (br $poll)))
      (i32.load (i32.const 64))))
  (assert_return (invoke "consume") (i32.const 42))
)

(wait $Producer)
(wait $Consumer)

;; The payload is visible to the script once both threads are joined.
(register "mem" $Mem)
(module
  (memory (import "mem" "shared") 1 1 shared)
  (func (export "payload") (result i32) (i32.load (i32.const 64))))
(assert_return (invoke "payload") (i32.const 42))
