package decoder

import (
	"github.com/kilnrt/kiln/internal/leb128"
)

// Helpers that assemble module binaries for tests.

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func u32(v uint32) []byte { return leb128.AppendUint32(nil, v) }

func str(s string) []byte { return cat(u32(uint32(len(s))), []byte(s)) }

// vec prefixes the concatenated items with their count.
func vec(items ...[]byte) []byte { return cat(u32(uint32(len(items))), cat(items...)) }

// section frames a payload with its id and size.
func section(id byte, payload ...[]byte) []byte {
	p := cat(payload...)
	return cat([]byte{id}, u32(uint32(len(p))), p)
}

// module prefixes sections with the magic and version.
func module(sections ...[]byte) []byte {
	return cat([]byte("\x00asm\x01\x00\x00\x00"), cat(sections...))
}

// body frames a function body (locals and instructions) with its size.
func body(locals []byte, instrs ...byte) []byte {
	p := cat(locals, instrs)
	return cat(u32(uint32(len(p))), p)
}

// simpleModule has one function of type [] -> [] whose body is instrs
// (which must include the final end), and a memory.
func simpleModule(instrs ...byte) []byte {
	return module(
		section(1, vec([]byte{0x60, 0, 0})),
		section(3, vec([]byte{0})),
		section(5, vec([]byte{0, 1})),
		section(10, vec(body(vec(), instrs...))),
	)
}
