package main

// Hostile inputs to kiln's tools (wast, wat2wasm) under their defaults.

import "testing"

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
