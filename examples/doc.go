// Package examples holds runnable examples of embedding kiln: each Example
// function is compiled and its output checked by `go test ./examples`.
//
// The modules are written in the text format and converted with package
// wast, so each example is self-contained; a real embedder would load a
// .wasm file produced by a compiler instead.
package examples
