//go:build linux && (amd64 || arm64)

package jitengine

// IndirectExits is how many call_indirect exits executors served.
func IndirectExits() uint64 { return indirectExits.Load() }
