// Package asmlabel is the bookkeeping kiln's machine-code encoders
// (amd64, arm64) share: a table of labels, the positions they are bound
// to, and the record of a call to an external symbol. What a reference
// to a label encodes, and how far it reaches, is each ISA's own.
package asmlabel

import (
	"errors"
	"fmt"
)

// ID names a label of one Table: 1 + its index, so that the zero value
// (an encoder's zero Label) is no label.
type ID int32

// Table holds the labels of one block of code and the position each is
// bound to, in whatever unit the encoder counts (bytes on amd64,
// instruction words on arm64).
type Table struct {
	pos []int // by ID-1; -1 while unbound
}

// New returns a fresh unbound label.
func (t *Table) New() ID {
	t.pos = append(t.pos, -1)
	return ID(len(t.pos))
}

// Known reports whether id was made by t's New (since the last Reset).
func (t *Table) Known(id ID) bool { return id > 0 && int(id) <= len(t.pos) }

// Bind places id at pos. A label is bound once.
func (t *Table) Bind(id ID, pos int) error {
	switch {
	case !t.Known(id):
		return fmt.Errorf("bind of unknown label %d", id)
	case t.pos[id-1] >= 0:
		return fmt.Errorf("label %d bound twice", id)
	}
	t.pos[id-1] = pos
	return nil
}

// Pos is id's position and whether it is bound.
func (t *Table) Pos(id ID) (int, bool) {
	if !t.Known(id) || t.pos[id-1] < 0 {
		return 0, false
	}
	return t.pos[id-1], true
}

// Offset is id's position for an encoder's Offset: an error unless id is
// bound and the code finished (before, relaxation may still move it).
func (t *Table) Offset(id ID, finished bool) (int, error) {
	p, ok := t.Pos(id)
	switch {
	case !ok:
		return 0, fmt.Errorf("label %d is not bound", id)
	case !finished:
		return 0, errors.New("label offsets are final only after Finish")
	}
	return p, nil
}

// Move replaces every bound position p by to(p): code moved by
// relaxation.
func (t *Table) Move(to func(p int) int) {
	for i, p := range t.pos {
		if p >= 0 {
			t.pos[i] = to(p)
		}
	}
}

// Reset forgets every label, keeping the table's memory.
func (t *Table) Reset() { t.pos = t.pos[:0] }

// ExternRef is a call to a symbol outside the assembler's code, which a
// linker resolves: At is the byte offset in the finished code of what the
// linker patches (the encoder says what that is), Sym the caller's name
// for the target.
type ExternRef struct {
	At  int
	Sym int
}
