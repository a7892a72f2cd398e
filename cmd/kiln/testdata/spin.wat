;; A WASI command that never ends: an empty infinite loop in _start.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $forever (br $forever))))
