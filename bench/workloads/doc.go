// Package workloads holds the benchmark programs of kiln's comparison suite
// as committed WebAssembly binaries: freestanding C kernels (c/*.c) that
// need no imports, and one realistic Go program (go/jsonrt) that needs WASI
// preview 1. build.sh regenerates wasm/ from the sources; the binaries are
// committed so that running the benchmarks needs no C or wasm toolchain.
package workloads
