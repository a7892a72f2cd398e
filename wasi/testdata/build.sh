#!/bin/sh
# Rebuilds the WASI test programs of package wasi. The .wasm files are
# committed, so tests need no compiler; run this after changing a source.
#
# Needs clang with the wasm32 target, wasm-ld and wasi-libc (Debian/Ubuntu:
# clang, lld, wasi-libc; set WASI_SYSROOT if the sysroot is elsewhere) and
# a Go toolchain (GOOS=wasip1 GOARCH=wasm). C programs keep their name
# section (--strip-debug) so that trap backtraces show function names.
set -eu
cd "$(dirname "$0")"
CLANG=${CLANG:-clang}
SYSROOT_FLAG=
if [ -n "${WASI_SYSROOT:-}" ]; then
	SYSROOT_FLAG="--sysroot=$WASI_SYSROOT"
fi
for src in c/*.c; do
	name=$(basename "$src" .c)
	# shellcheck disable=SC2086
	"$CLANG" --target=wasm32-wasi $SYSROOT_FLAG -O2 -Wall -Werror \
		-Wl,--strip-debug -o "$name.wasm" "$src"
	echo "built $name.wasm"
done
for dir in go/*/; do
	name=$(basename "$dir")
	(cd "$dir" && GOOS=wasip1 GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "../../$name.wasm" .)
	echo "built $name.wasm"
done
