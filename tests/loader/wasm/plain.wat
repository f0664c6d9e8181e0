;; No vitte.module section: named after its file, version 0.0.0.
(module
  (func (export "answer") (result i32) (i32.const 42)))
