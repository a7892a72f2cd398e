//go:build (amd64 || arm64 || 386 || ppc64le) && !kiln_portablemem

package interp

import "unsafe"

// Little-endian hosts that load and store unaligned words natively: the
// dispatch loop reads and writes linear memory with plain word accesses.
// Callers have checked that the access lies inside mem (explicit bounds
// checks on every access), so the address is valid; these helpers stay
// small enough to be inlined into the dispatch loop, unlike encoding/binary
// there.

func load16(mem []byte, ea uint64) uint16 {
	return *(*uint16)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(mem)), ea))
}

func load32(mem []byte, ea uint64) uint32 {
	return *(*uint32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(mem)), ea))
}

func load64(mem []byte, ea uint64) uint64 {
	return *(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(mem)), ea))
}

func store16(mem []byte, ea uint64, v uint16) {
	*(*uint16)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(mem)), ea)) = v
}

func store32(mem []byte, ea uint64, v uint32) {
	*(*uint32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(mem)), ea)) = v
}

func store64(mem []byte, ea uint64, v uint64) {
	*(*uint64)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(mem)), ea)) = v
}
