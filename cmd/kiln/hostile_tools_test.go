package main

// Hostile inputs to kiln's tools (wast, wat2wasm) under their defaults.

import (
	"strings"
	"testing"
	"time"
)

// An invoke of an infinite loop ends on kiln wast's default fuel, failing
// its assertion, instead of hanging.
func TestHostileWastInfiniteLoop(t *testing.T) {
	hostile(t, hostileBomb{
		wat:    spinWast,
		file:   "spin.wast",
		args:   []string{"wast", "{file}"},
		exit:   1,
		stdout: "2 passed, 2 failed",
	})
}

// A million nested blocks (10 MB of text) convert in memory linear in the
// nesting and small per level: once 1.1 GB and seconds of CPU.
func TestHostileWat2wasmNesting(t *testing.T) {
	const n = 1_000_000
	hostile(t, hostileBomb{
		src:    []byte("(module (func\n" + strings.Repeat("block\n", n) + strings.Repeat("end\n", n) + "))\n"),
		args:   []string{"wat2wasm", "{file}", "-o", "{dir}/out.wasm"},
		bounds: hostileBounds{cpu: 3 * time.Second},
	})
}
