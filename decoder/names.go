package decoder

import (
	"github.com/kilnrt/kiln/wasm"
)

// Subsections of the "name" custom section.
const (
	nameModule   = 0
	nameFunction = 1
	nameLocal    = 2
)

// parseNames parses the payload of a "name" section, which starts at
// module offset base. It returns nil if the payload is malformed: the name
// section is informative and never makes a module malformed.
func parseNames(data []byte, base int) *wasm.Names {
	c := &cursor{buf: data, base: base}
	names := &wasm.Names{}
	last := -1
	for c.pos < len(data) {
		id, err := c.readByte()
		if err != nil {
			return nil
		}
		size, err := c.length()
		if err != nil || int(id) <= last {
			return nil
		}
		last = int(id)
		payload, err := c.readBytes(size)
		if err != nil {
			return nil
		}
		sub := &cursor{buf: payload, base: base + c.pos - size}
		switch id {
		case nameModule:
			if names.Module, err = sub.name(); err != nil {
				return nil
			}
		case nameFunction:
			if names.Funcs, err = readNameMap(sub); err != nil {
				return nil
			}
		case nameLocal:
			if names.Locals, err = readIndirectNameMap(sub); err != nil {
				return nil
			}
		default:
			continue // later subsections (labels, types, ...) are skipped
		}
		if sub.pos != len(payload) {
			return nil
		}
	}
	return names
}

// readNameMap reads a vector of (index, name) pairs.
func readNameMap(c *cursor) (map[uint32]string, error) {
	n, err := c.length()
	if err != nil {
		return nil, err
	}
	m := make(map[uint32]string, c.capacity(n, 2))
	for i := 0; i < n; i++ {
		idx, err := c.u32()
		if err != nil {
			return nil, err
		}
		if m[idx], err = c.name(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// readIndirectNameMap reads a vector of (index, name map) pairs.
func readIndirectNameMap(c *cursor) (map[uint32]map[uint32]string, error) {
	n, err := c.length()
	if err != nil {
		return nil, err
	}
	m := make(map[uint32]map[uint32]string, c.capacity(n, 2))
	for i := 0; i < n; i++ {
		idx, err := c.u32()
		if err != nil {
			return nil, err
		}
		if m[idx], err = readNameMap(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
