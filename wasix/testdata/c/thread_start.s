# wasi_thread_start(tid, start): the entry point the runtime calls in each
# new thread's instance. start points at the wasix thread_start struct
# whose first word is the top of the thread's stack: point this
# instance's __stack_pointer there before any C code runs, then call
# kiln_thread_main(tid, start). The test programs keep no thread-local
# variables, so there is no TLS block to set up.
	.text
	.globaltype __stack_pointer, i32
	.functype kiln_thread_main (i32, i32) -> ()

	.globl wasi_thread_start
	.type wasi_thread_start,@function
wasi_thread_start:
	.functype wasi_thread_start (i32, i32) -> ()
	local.get 1
	i32.load 0
	global.set __stack_pointer
	local.get 0
	local.get 1
	call kiln_thread_main
	end_function
