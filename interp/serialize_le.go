//go:build amd64 || arm64 || 386 || ppc64le || riscv64 || loong64 || mips64le || mipsle || wasm

package interp

import "unsafe"

// instrLayoutMatches: the serialized instruction is the in-memory one.
var instrLayoutMatches = unsafe.Sizeof(instr{}) == instrBytes &&
	unsafe.Offsetof(instr{}.a) == 4 && unsafe.Offsetof(instr{}.b) == 8 &&
	unsafe.Offsetof(instr{}.c) == 12 && unsafe.Offsetof(instr{}.imm) == 16

// decodeInstrs returns the n instructions encoded in p. On little-endian
// hosts, whose layout is the serialized one, they are p itself when p is
// 8-byte aligned and aliasing is allowed (instr holds no pointers, so the garbage collector
// treats the bytes alike), else one copy; the opcodes are checked either
// way.
func decodeInstrs(r *reader, p []byte, n int) []instr {
	if p == nil || n == 0 || !instrLayoutMatches {
		return decodeInstrsPortable(r, p, n)
	}
	var dst []instr
	if !r.noAlias && uintptr(unsafe.Pointer(unsafe.SliceData(p)))%unsafe.Alignof(instr{}) == 0 {
		dst = unsafe.Slice((*instr)(unsafe.Pointer(unsafe.SliceData(p))), n)
	} else {
		dst = make([]instr, n)
		copy(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(dst))), n*instrBytes), p)
	}
	return checkOpcodes(r, dst)
}
