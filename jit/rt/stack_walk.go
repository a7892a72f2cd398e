//go:build unix && (amd64 || arm64)

package rt

import "unsafe"

// Word reads the 8-byte word at addr, which must be inside the stack
// (below its top, above its mapping's start); ok is false otherwise.
func (s *Stack) Word(addr uintptr) (w uint64, ok bool) {
	base := uintptr(unsafe.Pointer(&s.mem[0]))
	if addr < base || addr+8 > s.top || addr%8 != 0 {
		return 0, false
	}
	return *(*uint64)(unsafe.Pointer(&s.mem[addr-base])), true
}
