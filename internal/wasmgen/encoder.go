package wasmgen

import (
	"encoding/binary"

	"github.com/kilnrt/kiln/internal/leb128"
	"github.com/kilnrt/kiln/wasm"
)

// encoder appends the binary format. When padEvery > 0, every padEvery-th
// unsigned number is written in its longest (5-byte) form, which is valid
// and exercises the decoder's LEB128 handling.
type encoder struct {
	b        []byte
	padEvery int
	count    int
}

func (e *encoder) byte(b ...byte) { e.b = append(e.b, b...) }

func (e *encoder) u32(v uint32) {
	e.count++
	if e.padEvery > 0 && e.count%e.padEvery == 0 {
		for i := 0; i < 4; i++ {
			e.b = append(e.b, byte(v&0x7f)|0x80)
			v >>= 7
		}
		e.b = append(e.b, byte(v))
		return
	}
	e.b = leb128.AppendUint32(e.b, v)
}

func (e *encoder) s32(v int32) { e.b = leb128.AppendInt64(e.b, int64(v)) }

func (e *encoder) s64(v int64) { e.b = leb128.AppendInt64(e.b, v) }

func (e *encoder) f32bits(v uint32) { e.b = binary.LittleEndian.AppendUint32(e.b, v) }

func (e *encoder) f64bits(v uint64) { e.b = binary.LittleEndian.AppendUint64(e.b, v) }

func (e *encoder) valType(t wasm.ValType) { e.byte(byte(t)) }

func (e *encoder) name(s string) {
	e.u32(uint32(len(s)))
	e.b = append(e.b, s...)
}

// op writes an opcode: one byte, or a prefix byte and a LEB128 sub-opcode.
func (e *encoder) op(op wasm.Opcode) {
	if p := op.Prefix(); p != 0 {
		e.byte(p)
		e.u32(uint32(op & 0xFFFF))
		return
	}
	e.byte(byte(op))
}

// section appends a section with the given id and contents.
func (e *encoder) section(id wasm.SectionID, body []byte) {
	e.byte(byte(id))
	e.u32(uint32(len(body)))
	e.b = append(e.b, body...)
}
