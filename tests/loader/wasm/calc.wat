;; The wasm module of tests/loader/test_loader_wasm.cpp: it imports from a
;; native plugin (wasm_low) and from the host, and the native plugin
;; wasm_high imports twice_square from it.
(module
  (import "wasm_low" "square" (func $square (param i32) (result i32)))
  (import "host" "offset" (func $offset (param i32) (result i32)))
  (memory 1)
  (global $calls (mut i32) (i32.const 0))
  (func (export "twice_square") (param i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i32.mul (call $square (local.get 0)) (i32.const 2)))
  (func (export "add_offset") (param i32) (result i32)
    (call $offset (local.get 0)))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "fsum") (param f64 f32) (result f64)
    (f64.add (local.get 0) (f64.promote_f32 (local.get 1))))
  (func (export "wide") (param i64) (result i64)
    (i64.mul (local.get 0) (i64.const 3)))
  (func (export "calls") (result i32) (global.get $calls))
  (func (export "spin") (loop $l (br $l)))
  (func (export "pair") (result i32 i32) (i32.const 1) (i32.const 2)))
