package amd64

import "github.com/kilnrt/kiln/internal/asmlabel"

// Extern calls let separately assembled blocks of code call each other:
// the JIT assembles each function on its own (in parallel) and links the
// blocks into one mapping afterwards, patching every call between them.

// ExternRef is a call to a symbol outside the assembler's code: At is the
// offset, in the finished code, of the call's 4-byte displacement, which
// is relative to At+4; Sym is the caller's name for the target.
type ExternRef = asmlabel.ExternRef

// CallExtern calls the external symbol sym (CALL rel32, displacement left
// zero for the linker; see Externs).
func (a *Assembler) CallExtern(sym int) {
	if a.err != nil {
		return
	}
	a.byte1(0xE8)
	at := len(a.buf)
	a.le(0, 4)
	a.fixups = append(a.fixups, fixup{kind: fixExtern, at: at, end: at + 4, sym: sym})
}

// Externs lists the external calls of the finished code, in code order.
// Valid after Finish.
func (a *Assembler) Externs() []ExternRef {
	if !a.done {
		return nil
	}
	var out []ExternRef
	for _, f := range a.fixups {
		if f.kind == fixExtern {
			out = append(out, ExternRef{At: f.at, Sym: f.sym})
		}
	}
	return out
}
