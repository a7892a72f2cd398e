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
	# shellcheck disable=SC2086 # flags and exports are intentionally split
	"$CLANG" --target=wasm32 -O2 -nostdlib -fno-builtin -Wl,--no-entry $flags $exports \
		-o "$out/$name.wasm" "$here/c/$name.c"
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

# jsonrt: a realistic Go program (needs WASI preview 1).
(cd "$here/go/jsonrt" && GOOS=wasip1 GOARCH=wasm go build -trimpath -o "$out/jsonrt.wasm" .)
echo "built wasm/jsonrt.wasm"
