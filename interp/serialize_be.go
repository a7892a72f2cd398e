//go:build !(amd64 || arm64 || 386 || ppc64le || riscv64 || loong64 || mips64le || mipsle || wasm)

package interp

func decodeInstrs(r *reader, p []byte, n int) []instr { return decodeInstrsPortable(r, p, n) }
