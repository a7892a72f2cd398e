package arm64

import (
	"errors"
	"fmt"

	"github.com/kilnrt/kiln/internal/asmlabel"
)

// Assembler builds one block of AArch64 code. Every instruction is one
// 32-bit word; label references (branches, ADR, table entries) are
// resolved by Finish.
//
// Errors are sticky: the first bad instruction (a register the slot cannot
// encode, an immediate out of range, a feature the target lacks) is
// remembered, later instructions are ignored, and Finish returns it.
// Positions taken before Finish (Len) are provisional because Finish may
// lengthen label references whose target is out of their reach; use
// labels and Offset for anything that must survive.
type Assembler struct {
	target  Features
	used    Features
	words   []uint32
	labels  asmlabel.Table // word index of each label
	fixups  []fixup
	externs []ExternRef // set by Finish
	err     error
	done    bool
}

// Label is a position in the code, created by NewLabel and placed by Bind.
// The zero Label is invalid.
type Label struct{ id asmlabel.ID }

// NewAssembler returns an assembler for a CPU with the given features;
// instructions needing anything else are errors.
func NewAssembler(target Features) *Assembler { return &Assembler{target: target} }

// Target is the feature set the assembler was created for.
func (a *Assembler) Target() Features { return a.target }

// Used is the set of optional features the instructions so far need: what
// a compiled module must record and check at load (Check).
func (a *Assembler) Used() Features { return a.used }

// Err is the first error so far, if any.
func (a *Assembler) Err() error { return a.err }

// Len is the current (provisional) length of the code in bytes.
func (a *Assembler) Len() int { return 4 * len(a.words) }

func (a *Assembler) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

func (a *Assembler) failf(format string, args ...any) {
	if a.err == nil {
		a.err = fmt.Errorf("arm64: "+format, args...)
	}
}

// emit appends one instruction word unless an error is pending.
func (a *Assembler) emit(w uint32) {
	if a.err != nil {
		return
	}
	if a.done {
		a.fail(errors.New("arm64: instruction emitted after Finish"))
		return
	}
	a.words = append(a.words, w)
}

// Word appends a raw 32-bit word (data, or an instruction the encoder has
// no method for).
func (a *Assembler) Word(w uint32) { a.emit(w) }

// need records that the instruction named op needs f, failing when the
// target lacks it.
func (a *Assembler) need(f Features, op string) bool {
	if !a.target.Has(f) {
		a.failf("%s needs %v, not in the target features (%v)", op, f&^a.target, a.target)
		return false
	}
	a.used |= f
	return true
}

// NewLabel returns a fresh unbound label.
func (a *Assembler) NewLabel() Label { return Label{id: a.labels.New()} }

// Bind places l at the current position. A label is bound once.
func (a *Assembler) Bind(l Label) {
	if err := a.labels.Bind(l.id, len(a.words)); err != nil {
		a.failf("%w", err)
	}
}

// Offset is l's byte position in the finished code. Valid after Finish.
func (a *Assembler) Offset(l Label) (int, error) {
	w, err := a.labels.Offset(l.id, a.done)
	if err != nil {
		return 0, fmt.Errorf("arm64: %w", err)
	}
	return 4 * w, nil
}

// pos is bound label l's word index.
func (a *Assembler) pos(l Label) int {
	p, _ := a.labels.Pos(l.id)
	return p
}

// Finish resolves every label reference, lengthening those that cannot
// reach their target (see the package doc), and returns the code
// (little-endian words). The assembler must not be used to emit more afterwards.
func (a *Assembler) Finish() ([]byte, error) {
	if a.done {
		return nil, errors.New("arm64: Finish called twice")
	}
	if a.err != nil {
		return nil, a.err
	}
	for _, f := range a.fixups {
		for _, l := range [2]Label{f.label, f.base} {
			if l == (Label{}) {
				continue
			}
			if _, ok := a.labels.Pos(l.id); !ok {
				return nil, fmt.Errorf("arm64: %s at %#x: label %d is not bound", f.kind, 4*f.at, l.id)
			}
		}
	}
	out, err := a.resolve()
	if err != nil {
		a.err = err
		return nil, err
	}
	a.done = true
	return out, nil
}
