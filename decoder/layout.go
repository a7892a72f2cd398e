package decoder

import "github.com/kilnrt/kiln/wasm"

// SectionHeader locates one section of a module binary.
type SectionHeader struct {
	ID byte
	// Name is the name of a custom section (empty for other sections, or
	// when the custom section's name is unreadable).
	Name string
	// Offset is the position of the section id; the payload spans
	// bin[PayloadOffset : PayloadOffset+Size].
	Offset        int
	PayloadOffset int
	Size          int
}

// Kind returns the section's name in the specification ("type", "code",
// "custom", ...).
func (h SectionHeader) Kind() string { return wasm.SectionID(h.ID).String() }

// Sections lists the sections of a module binary from their headers,
// checking only the header and the framing (each section fits in the
// input); it is meant for tools that show a module's layout. Use Decode to
// check the contents.
func Sections(bin []byte) ([]SectionHeader, error) {
	switch {
	case len(bin) < 4:
		return nil, &Error{Offset: len(bin), Msg: msgHeaderEnd}
	case [4]byte(bin[:4]) != magic:
		return nil, &Error{Offset: 0, Msg: msgMagic}
	case len(bin) < 8:
		return nil, &Error{Offset: len(bin), Msg: msgHeaderEnd}
	}
	c := &cursor{buf: bin, pos: 8}
	var hs []SectionHeader
	for c.pos < len(bin) {
		h := SectionHeader{ID: bin[c.pos], Offset: c.pos}
		c.pos++
		size, err := c.length()
		if err != nil {
			return hs, err
		}
		if size > c.remaining() {
			return hs, c.eof()
		}
		h.PayloadOffset, h.Size = c.pos, size
		if wasm.SectionID(h.ID) == wasm.SectionCustom {
			nc := &cursor{buf: bin[c.pos : c.pos+size], base: c.pos}
			if name, err := nc.name(); err == nil {
				h.Name = name
			}
		}
		c.pos += size
		hs = append(hs, h)
	}
	return hs, nil
}
