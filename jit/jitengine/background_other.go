//go:build !linux

package jitengine

// backgroundPriority and inBackground: elsewhere than on Linux,
// setpriority names a process, not a thread, so the compile keeps the
// default priority.
func backgroundPriority() (nice int, ok bool) { return 0, false }

func inBackground(nice int, ok bool, f func()) { f() }
