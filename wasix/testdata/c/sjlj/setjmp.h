/*
 * setjmp/longjmp for programs built with LLVM's exception-handling
 * lowering (-fwasm-exceptions -mllvm -wasm-enable-sjlj): the compiler
 * rewrites setjmp and longjmp into calls of the runtime in sjlj_rt.c and
 * a throw of the __c_longjmp tag, so the WebAssembly runtime needs only
 * exception handling. Debian's wasi-libc has no setjmp.h of its own.
 */
#ifndef KILN_SJLJ_SETJMP_H
#define KILN_SJLJ_SETJMP_H

/* The lowering stores a 32-bit id in the buffer; room is left to spare. */
typedef struct {
	unsigned long words[8];
} jmp_buf[1];

int setjmp(jmp_buf env) __attribute__((returns_twice));
_Noreturn void longjmp(jmp_buf env, int val);

#endif
