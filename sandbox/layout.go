package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/kilnrt/kiln/internal/leb128"
)

// ErrMalformedModule is matched by errors about the top-level byte layout of
// a module (preamble, section headers, custom section names).
var ErrMalformedModule = errors.New("malformed module")

// wasmPreamble is the magic number and version 1 of a core module.
var wasmPreamble = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

// Custom section names of the signature format.
const (
	SignatureSectionName = "signature"
	DelimiterSectionName = "signature_delimiter"
)

// section is one top-level section as it lies in the module bytes.
type section struct {
	id      byte
	start   int    // offset of the id byte
	end     int    // offset just past the payload
	name    string // custom sections only
	payload []byte // custom sections: the bytes after the name; others: the whole payload
}

// layoutError reports a layout problem at a byte offset.
func layoutError(off int, format string, args ...any) error {
	return fmt.Errorf("%w: at offset %d: %s", ErrMalformedModule, off, fmt.Sprintf(format, args...))
}

// parseLayout splits a module into its sections without decoding them. It
// checks the preamble, that every section header (id byte, LEB128 u32 size)
// is well formed and that its payload lies inside the module, and that
// custom section names are well-formed UTF-8 inside their section.
func parseLayout(module []byte) ([]section, error) {
	if len(module) < len(wasmPreamble) {
		return nil, layoutError(0, "module is %d bytes, shorter than the 8-byte preamble", len(module))
	}
	if !bytes.Equal(module[:4], wasmPreamble[:4]) {
		return nil, layoutError(0, "bad magic number % x (want 00 61 73 6d)", module[:4])
	}
	if !bytes.Equal(module[4:8], wasmPreamble[4:8]) {
		return nil, layoutError(4, "unsupported version % x (want a core module, 01 00 00 00)", module[4:8])
	}
	var out []section
	off := len(wasmPreamble)
	for off < len(module) {
		s := section{id: module[off], start: off}
		size, n, err := leb128.DecodeUint32(module[off+1:])
		if err != nil {
			return nil, layoutError(off+1, "section size: %v", err)
		}
		body := off + 1 + n
		if uint64(size) > uint64(len(module)-body) {
			return nil, layoutError(off, "section id %d declares %d bytes but only %d remain", s.id, size, len(module)-body)
		}
		s.end = body + int(size)
		s.payload = module[body:s.end]
		if s.id == 0 {
			nameLen, n, err := leb128.DecodeUint32(s.payload)
			if err != nil {
				return nil, layoutError(body, "custom section name length: %v", err)
			}
			if uint64(nameLen) > uint64(len(s.payload)-n) {
				return nil, layoutError(body, "custom section name of %d bytes overruns its %d-byte section", nameLen, size)
			}
			name := s.payload[n : n+int(nameLen)]
			if !utf8.Valid(name) {
				return nil, layoutError(body+n, "custom section name is not valid UTF-8")
			}
			s.name = string(name)
			s.payload = s.payload[n+int(nameLen):]
		}
		out = append(out, s)
		off = s.end
	}
	return out, nil
}

// appendCustomSection appends a complete custom section to b.
func appendCustomSection(b []byte, name string, payload []byte) []byte {
	inner := uint64(len(leb128.AppendUint32(nil, uint32(len(name))))) + uint64(len(name)) + uint64(len(payload))
	b = append(b, 0)
	b = leb128.AppendUint64(b, inner)
	b = leb128.AppendUint32(b, uint32(len(name)))
	b = append(b, name...)
	return append(b, payload...)
}
