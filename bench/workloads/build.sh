#!/bin/sh
# Builds the benchmark workloads into wasm/ from the sources in c/ and go/.
#
# The C kernels are freestanding (-nostdlib, --no-entry): they import nothing
# (calls.wasm imports only env.host_inc), so any core WebAssembly runtime can
# run them without WASI. The Go program needs WASI (GOOS=wasip1).
#
# Usage: ./build.sh            (from anywhere; needs clang + wasm-ld, go)
#        CLANG=clang-17 ./build.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/wasm"
CLANG=${CLANG:-clang}
mkdir -p "$out"

# cc NAME "EXTRA FLAGS" EXPORT...
cc() {
	name=$1
	flags=$2
	shift 2
	exports=""
	for e in "$@"; do
		exports="$exports -Wl,--export=$e"
	done
	# Compile and link in two steps: given -O2 at link time, the clang
	# driver also runs wasm-opt when it finds one in PATH, which inlines the
	# small functions some kernels exist to call (bucket, fibdeep) and makes
	# the output depend on whether binaryen is installed.
	obj="$out/$name.o"
	# shellcheck disable=SC2086 # flags and exports are intentionally split
	"$CLANG" --target=wasm32 -O2 -fno-builtin $flags -c -o "$obj" "$here/c/$name.c"
	# shellcheck disable=SC2086
	"$CLANG" --target=wasm32 -nostdlib -Wl,--no-entry $exports -o "$out/$name.wasm" "$obj"
	rm -f "$obj"
	echo "built wasm/$name.wasm"
}

cc fib "" run
cc sieve "" run
cc loops "" run
cc matmul "" run
cc sha256 "" run digest
cc qsort "" run
cc vm "" run
cc memops "-mbulk-memory" run run_bytes
cc simd "-msimd128" run
cc calls "" noop call_host
cc ctype "" run
cc hash64 "" run
cc matstride "" run
cc chacha "" run
cc fibdeep "" run
cc bucket "" run
cc csv "" run

# jsonrt: a realistic Go program (needs WASI preview 1).
(cd "$here/go/jsonrt" && GOOS=wasip1 GOARCH=wasm go build -trimpath -o "$out/jsonrt.wasm" .)
echo "built wasm/jsonrt.wasm"
