//go:build !(amd64 || arm64 || 386 || ppc64le) || kiln_portablemem

package interp

import "encoding/binary"

// Hosts that are big-endian or need aligned accesses: linear memory is
// read and written byte-wise in little-endian order. Callers have checked
// the bounds. The build tag kiln_portablemem selects this path on any
// host, so that .ci/run tests it natively too (it also runs the spec suites
// on big-endian s390x under emulation).

func load16(mem []byte, ea uint64) uint16 { return binary.LittleEndian.Uint16(mem[ea:]) }

func load32(mem []byte, ea uint64) uint32 { return binary.LittleEndian.Uint32(mem[ea:]) }

func load64(mem []byte, ea uint64) uint64 { return binary.LittleEndian.Uint64(mem[ea:]) }

func store16(mem []byte, ea uint64, v uint16) { binary.LittleEndian.PutUint16(mem[ea:], v) }

func store32(mem []byte, ea uint64, v uint32) { binary.LittleEndian.PutUint32(mem[ea:], v) }

func store64(mem []byte, ea uint64, v uint64) { binary.LittleEndian.PutUint64(mem[ea:], v) }
