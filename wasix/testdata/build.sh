#!/bin/sh
# Rebuilds the WASIX test programs of package wasix. The .wasm files are
# committed, so tests need no compiler; run this after changing a source.
#
# Needs clang with the wasm32 target, wasm-ld and wasi-libc (Debian/Ubuntu:
# clang, lld, wasi-libc; set WASI_SYSROOT if the sysroot is elsewhere).
#
# Threaded programs need a shared memory, which wasm-ld only makes when
# every object was built with atomics and bulk memory. Debian's wasi-libc
# was not, so feature checking is turned off (--no-check-features): that
# is sound here because the programs' threads never call into libc (see
# c/kthread.h). The memory is imported as env.memory, as WASIX runtimes
# expect, and its maximum bounds what the runtime reserves.
#
# Sources marked "kiln:asyncify" (fork, setjmp/longjmp) are linked without
# optimisation at link time (so that the clang driver does not run
# wasm-opt itself), export __stack_pointer, and are then transformed with
# wasm-opt --asyncify, as wasix-libc's builds are; only the imports that
# unwind (proc_fork, stack_checkpoint, stack_restore) are instrumented.
# Each is also built as NAME_native.wasm without asyncify (nor the
# __stack_pointer export), for kiln's native fork and setjmp/longjmp,
# which capture the interpreter's frames instead.
# Sources marked "kiln:wasm-sjlj" use LLVM's lowering of setjmp/longjmp
# to exception handling (-fwasm-exceptions -mllvm -wasm-enable-sjlj),
# with the runtime functions of c/sjlj/sjlj_rt.c.
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
SYSROOT_FLAG=
if [ -n "${WASI_SYSROOT:-}" ]; then
	SYSROOT_FLAG="--sysroot=$WASI_SYSROOT"
fi
for src in c/*.c; do
	name=$(basename "$src" .c)
	# Programs that spawn threads (those using kthread.h) get the
	# wasi_thread_start entry point.
	threads=
	if grep -q '#include "kthread.h"' "$src"; then
		threads="c/thread_start.s -Wl,--export=wasi_thread_start"
	fi
	if grep -q 'kiln:wasm-sjlj' "$src"; then
		# Compiled and linked in two steps: at link time with -O the
		# driver would run wasm-opt, which may not read exceptions.
		"$CLANG" --target=wasm32-wasi $SYSROOT_FLAG -O2 -Wall -Werror \
			-matomics -mbulk-memory -fwasm-exceptions -mllvm -wasm-enable-sjlj \
			-c -o "$name.o" "$src"
		"$CLANG" --target=wasm32-wasi $SYSROOT_FLAG -O2 -Wall -Werror \
			-matomics -mbulk-memory -fwasm-exceptions -c -o sjlj_rt.o c/sjlj/sjlj_rt.c
		# shellcheck disable=SC2086
		"$CLANG" --target=wasm32-wasi $SYSROOT_FLAG -matomics -mbulk-memory \
			-Wl,--no-check-features -Wl,--shared-memory -Wl,--import-memory \
			-Wl,--max-memory=16777216 -Wl,--strip-debug -o "$name.wasm" "$name.o" sjlj_rt.o
		rm -f "$name.o" sjlj_rt.o
		echo "built $name.wasm (exception-based setjmp/longjmp)"
		continue
	fi
	if grep -q 'kiln:asyncify' "$src"; then
		# shellcheck disable=SC2086
		"$CLANG" --target=wasm32-wasi $SYSROOT_FLAG -O2 -Wall -Werror \
			-matomics -mbulk-memory -c -o "$name.o" "$src"
		# shellcheck disable=SC2086
		"$CLANG" --target=wasm32-wasi $SYSROOT_FLAG -matomics -mbulk-memory \
			-Wl,--no-check-features -Wl,--shared-memory -Wl,--import-memory \
			-Wl,--max-memory=16777216 -Wl,--strip-debug \
			-Wl,--export=__stack_pointer -o "$name.wasm" "$name.o"
		rm -f "$name.o"
		wasm-opt --enable-threads --enable-bulk-memory --enable-mutable-globals \
			--asyncify -O2 \
			--pass-arg=asyncify-imports@wasix_32v1.proc_fork,wasix_32v1.stack_checkpoint,wasix_32v1.stack_restore \
			-o "$name.wasm" "$name.wasm"
		echo "built $name.wasm (asyncify)"
		"$CLANG" --target=wasm32-wasi $SYSROOT_FLAG -O2 -Wall -Werror \
			-matomics -mbulk-memory \
			-Wl,--no-check-features -Wl,--shared-memory -Wl,--import-memory \
			-Wl,--max-memory=16777216 -Wl,--strip-debug \
			-o "${name}_native.wasm" "$src"
		echo "built ${name}_native.wasm"
		continue
	fi
	# shellcheck disable=SC2086
	"$CLANG" --target=wasm32-wasi $SYSROOT_FLAG -O2 -Wall -Werror \
		-matomics -mbulk-memory \
		-Wl,--no-check-features -Wl,--shared-memory -Wl,--import-memory \
		-Wl,--max-memory=16777216 -Wl,--strip-debug \
		-o "$name.wasm" "$src" $threads
	echo "built $name.wasm"
done
