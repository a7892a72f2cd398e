package store

import "fmt"

// SourcePos is a position in the source a module was compiled from, read
// from the module's DWARF line information.
type SourcePos struct {
	// Function is the source function's name ("" when unknown).
	Function string
	// File is the source file as the compiler recorded it; Line and
	// Column count from 1 (Column 0 when not recorded).
	File         string
	Line, Column int
}

// String formats the position as "file:line:column" ("file:line" without
// a column).
func (p SourcePos) String() string {
	if p.Column == 0 {
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// SourceLocator maps byte offsets of a module binary to source positions.
// It must be safe for concurrent use.
type SourceLocator interface {
	Locate(offset int) (SourcePos, bool)
}

// Locate returns the source position of the instruction at byte offset
// off of the instance's module, or nil when the module has no line
// information for it. Engines call it when they build a trap's frames.
func (st *Instance) Locate(off int) *SourcePos {
	if st == nil || st.Source == nil {
		return nil
	}
	if p, ok := st.Source.Locate(off); ok {
		return &p
	}
	return nil
}
