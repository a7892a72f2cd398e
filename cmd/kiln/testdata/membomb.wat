;; A memory bomb: grows linear memory one page at a time until
;; memory.grow refuses (-1), then returns the number of pages it holds.
(module
  (memory 1)
  (func (export "bomb") (result i32)
    (block $full
      (loop $grow
        (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $grow)))
    (memory.size)))
