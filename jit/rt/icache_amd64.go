//go:build unix

package rt

// syncInstructionCache has nothing to do on x86-64: instruction fetch is
// coherent with stores, and a new mapping's code is reached only after
// the serialising mprotect and Go's synchronisation of the code pointer.
func syncInstructionCache([]byte) error { return nil }
