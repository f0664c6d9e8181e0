;; Imports wasm_low.square with the wrong type and host.nothing, which the
;; host does not export: both problems in one error, before anything runs.
(module
  (import "wasm_low" "square" (func (param i64) (result i64)))
  (import "host" "nothing" (func))
  (func (export "unused") (result i32) (i32.const 0)))
