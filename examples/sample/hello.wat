;; examples/sample/hello.wat - a WASI program: prints a line through
;; fd_write and exits 0. The demo turns it into hello.wasm (wat2wasm) and
;; runs it with `vitte run`.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; an iovec at 0: the text at 16, 26 bytes
  (data (i32.const 0) "\10\00\00\00\1a\00\00\00")
  (data (i32.const 16) "hello from a WASI program\0a")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
