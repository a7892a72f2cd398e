package decoder

import (
	"errors"
	"io"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// FuzzDecode checks that no input panics, that every failure is a
// well-formed *Error, and that every decoded body and expression re-reads
// cleanly with InstrReader (as the validator will).
func FuzzDecode(f *testing.F) {
	f.Add(fullModule())
	f.Add(simpleModule(0x0b))
	f.Add(simpleModule(0x41, 0x01, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0b, 0x0b))
	f.Add(simpleModule(0x41, 0, 0x0e, 0x02, 0, 0, 0, 0x0b))
	f.Add(simpleModule(0xfd, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x1a, 0x0b))
	f.Add(benchModule(2, 4))
	f.Add(module())
	f.Fuzz(func(t *testing.T, bin []byte) {
		for _, features := range []wasm.Features{wasm.Features2, 0, ^wasm.Features(0)} {
			m, err := Decode(bin, features)
			if err != nil {
				var de *Error
				if !errors.As(err, &de) || !errors.Is(err, wasm.ErrMalformed) {
					t.Fatalf("error %v (%T) is not a *Error wrapping ErrMalformed", err, err)
				}
				if de.Offset < 0 || de.Offset > len(bin) {
					t.Fatalf("error offset %d outside the input (%d bytes)", de.Offset, len(bin))
				}
				continue
			}
			r := NewInstrReader(nil, 0, features)
			reread := func(code []byte, base int) {
				r.Reset(code, base, features)
				var in wasm.Instr
				for {
					if err := r.Next(&in); err == io.EOF {
						return
					} else if err != nil {
						t.Fatalf("decoded expression at %d does not re-read: %v", base, err)
					}
				}
			}
			for _, c := range m.Codes {
				reread(c.Body, c.BodyOffset)
			}
			for _, g := range m.Globals {
				reread(g.Init.Code, g.Init.Offset)
			}
		}
	})
}
