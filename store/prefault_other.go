//go:build !linux

package store

// prefault is Linux's; elsewhere pages are faulted in as written.
func prefault([]byte) {}
