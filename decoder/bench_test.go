package decoder

import (
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// benchModule builds a module with n functions whose bodies mix control
// flow, locals, memory accesses, constants and arithmetic (about 240 bytes
// each), plus a data segment of dataSize bytes.
func benchModule(n, dataSize int) []byte {
	var fbody []byte
	for i := 0; i < 8; i++ {
		fbody = append(fbody,
			0x02, 0x40, // block
			0x20, 0x00, // local.get 0
			0x41, 0xc0, 0xc4, 0x07, // i32.const 123456
			0x6a,       // i32.add
			0x22, 0x01, // local.tee 1
			0x28, 0x02, 0x80, 0x01, // i32.load offset=128
			0x0d, 0x00, // br_if 0
			0x20, 0x01, 0x42, 0x2a, 0x37, 0x03, 0x08, // i64.store (local.get 1) (i64.const 42)
			0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x1a, // f64.const 1; drop
			0x20, 0x00, 0x0e, 0x02, 0x00, 0x00, 0x00, // br_table 0 0 0
			0x0b, // end
		)
	}
	fbody = append(fbody, 0x20, 0x01, 0x0b)
	code := body(vec([]byte{0x02, 0x7f}), fbody...)
	funcs := make([][]byte, n)
	codes := make([][]byte, n)
	for i := range funcs {
		funcs[i] = []byte{0}
		codes[i] = code
	}
	return module(
		section(1, vec([]byte{0x60, 1, 0x7f, 1, 0x7f})),
		section(3, vec(funcs...)),
		section(5, vec([]byte{0, 1})),
		section(10, vec(codes...)),
		section(11, vec(cat([]byte{0x00, 0x41, 0x00, 0x0b}, str(string(make([]byte, dataSize)))))),
	)
}

func BenchmarkDecode(b *testing.B) {
	bin := benchModule(16384, 1<<16) // about 4 MB
	if _, err := Decode(bin, wasm.Features2); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(bin)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Decode(bin, wasm.Features2); err != nil {
			b.Fatal(err)
		}
	}
}
