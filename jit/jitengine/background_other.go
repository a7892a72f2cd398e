//go:build !linux

package jitengine

// inBackground runs f. Elsewhere than on Linux, setpriority names a
// process, not a thread, so the compile keeps the default priority.
func inBackground(f func()) { f() }
