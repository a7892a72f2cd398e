#!/bin/sh
# Builds echo_server.wasm (WASIX, committed) from server.c. The native
# build of the same file is made by echobench itself at run time.
set -eu
cd "$(dirname "$0")"
"${CLANG:-clang}" --target=wasm32-wasi -O2 -Wall -Werror -o echo_server.wasm server.c
echo "built echo_server.wasm"
