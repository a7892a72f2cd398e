// Package bench compares kiln with wazero on the same WebAssembly programs.
//
// It is a separate Go module (github.com/kilnrt/kiln/bench) so that kiln's
// users never inherit wazero as a dependency; the main module never imports
// wazero.
//
// An Engine is one runtime configuration (kiln's interpreter, kiln's JIT
// in builds with -tags kilnjit, wazero's interpreter, wazero's compiler).
// Workloads (workloads.go) are exported run(n) entries of the committed
// binaries in workloads/wasm, each with a
// pure-Go reference implementation that computes the checksum the wasm must
// return, so every engine is checked against the same expected value before
// it is timed. Cases (suite.go) turn engines and workloads into benchmark
// functions shared by the go test benchmarks (bench_test.go) and the
// cmd/ratios report.
//
// Invariants: every engine of a case gets the same binary, the same
// arguments and the same iteration count; a case whose result differs from
// the reference fails instead of reporting a time.
//
// WASI commands (jsonrt, a Go program built with GOOS=wasip1) run through
// WASIEngine: on kiln with package wasi (wasi.Run: a fresh guest process
// per run, stdin empty, stdout and stderr in memory), on wazero with
// wasi_snapshot_preview1. Their output is compared with the program's
// native output.
//
// kiln is driven only through its public API (engine_kiln.go).
package bench
