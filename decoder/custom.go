package decoder

import "github.com/kilnrt/kiln/wasm"

// customSection keeps a custom section and parses the "name" section.
func (d *decoder) customSection(start, end int) error {
	c := &d.c
	name, err := d.c.name()
	if err != nil {
		return err
	}
	if end > len(d.bin) {
		// The declared size runs past the input (by less than the size
		// field's own length, which the length check tolerates).
		return &Error{Offset: len(d.bin), Msg: msgUnexpectedEnd}
	}
	if c.pos > end {
		// The name ran past the section: there is no room for the payload.
		return &Error{Offset: end, Msg: msgUnexpectedEnd}
	}
	cs := wasm.CustomSection{Name: name, Data: d.bin[c.pos:end:end], Offset: c.pos}
	c.pos = end
	d.m.Customs = append(d.m.Customs, cs)
	if name == "name" && d.m.Names == nil {
		d.m.Names = parseNames(cs.Data, cs.Offset)
	}
	return nil
}
