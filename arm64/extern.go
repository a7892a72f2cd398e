package arm64

import (
	"fmt"

	"github.com/kilnrt/kiln/internal/asmlabel"
)

// Extern calls let separately assembled blocks of code call each other:
// the JIT assembles each function on its own and links the blocks into one
// mapping afterwards, patching every call between them (Link, or
// PatchCall for a linker of its own). Code in another mapping, whose
// address is known, is called with MovImm into X16 and BLR X16 instead.

// ExternRef is a call to a symbol outside the assembler's code: At is the
// offset, in the finished code, of the BL instruction; Sym is the caller's
// name for the target.
type ExternRef = asmlabel.ExternRef

// CallExtern calls the external symbol sym: a BL whose displacement the
// linker fills in (see Externs and PatchCall).
func (a *Assembler) CallExtern(sym int) {
	if a.err != nil {
		return
	}
	a.fixups = append(a.fixups, fixup{kind: fixExtern, at: len(a.words), sym: sym})
	a.emit(0x94000000)
}

// Externs lists the external calls of the finished code, in code order.
// Valid after Finish.
func (a *Assembler) Externs() []ExternRef {
	if !a.done {
		return nil
	}
	return a.externs
}

// PatchCall points the BL at byte offset at of code to byte offset target,
// both counted from the start of code (target may lie outside it, when
// code is one part of a larger mapping); ±128 MiB, beyond is
// ErrBranchRange (Link places a veneer then).
func PatchCall(code []byte, at, target int) error {
	if at < 0 || at%4 != 0 || at+4 > len(code) || target%4 != 0 {
		return fmt.Errorf("arm64: patch of a call at %#x to %#x: not an aligned instruction of the %d-byte code", at, target, len(code))
	}
	w := uint32(code[at]) | uint32(code[at+1])<<8 | uint32(code[at+2])<<16 | uint32(code[at+3])<<24
	if w&0xFC000000 != 0x94000000 {
		return fmt.Errorf("arm64: patch of a call at %#x: %#08x is not a BL", at, w)
	}
	d := int64(target-at) / 4
	if !fits(d, 26) {
		return fmt.Errorf("%w: call at %#x to %#x is %d bytes away", ErrBranchRange, at, target, target-at)
	}
	w = place(fixB26, w, d)
	code[at], code[at+1], code[at+2], code[at+3] = byte(w), byte(w>>8), byte(w>>16), byte(w>>24)
	return nil
}
