#!/bin/sh
# Rebuilds divide.wasm, a C program with DWARF debug information (-g), for
# the source-level trap backtrace tests. The .wasm is committed, so tests
# need no compiler. Needs clang with the wasm32 target, wasm-ld and
# wasi-libc (Debian/Ubuntu: clang, lld, wasi-libc; set WASI_SYSROOT if the
# sysroot is elsewhere). Paths in the debug information are made relative
# to this directory, so the output does not depend on where it is built.
set -eu
cd "$(dirname "$0")"
"${CLANG:-clang}" --target=wasm32-wasi ${WASI_SYSROOT:+"--sysroot=$WASI_SYSROOT"} \
	-g -O0 -Wall -Werror -fdebug-prefix-map="$(pwd)=." -o divide.wasm divide.c
echo "built divide.wasm"
