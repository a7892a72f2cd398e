package decoder

import (
	"io"

	"github.com/kilnrt/kiln/wasm"
)

// sectionOrder gives each known non-custom section its rank: sections must
// appear in increasing rank, each at most once. The data count section sits
// between the element and code sections.
var sectionOrder = [...]int{
	wasm.SectionType: 1, wasm.SectionImport: 2, wasm.SectionFunction: 3, wasm.SectionTable: 4,
	wasm.SectionMemory: 5, wasm.SectionTag: 6, wasm.SectionGlobal: 7, wasm.SectionExport: 8,
	wasm.SectionStart: 9, wasm.SectionElement: 10, wasm.SectionDataCount: 11, wasm.SectionCode: 12,
	wasm.SectionData: 13,
}

// magic and version open every module binary.
var magic = [4]byte{0x00, 'a', 's', 'm'}

const version = 1

// Decode decodes a module binary, accepting the instructions and encodings
// of the given features. The module aliases bin. Errors are *Error values
// wrapping wasm.ErrMalformed.
func Decode(bin []byte, features wasm.Features) (*wasm.Module, error) {
	d := &decoder{
		c:        cursor{buf: bin},
		bin:      bin,
		features: features.WithImplied(),
		m:        &wasm.Module{},
	}
	if err := d.module(); err != nil {
		return nil, err
	}
	return d.m, nil
}

// DecodeValidated decodes a module binary that Decode accepted before
// with the same features and that was validated since, without scanning
// the instructions of function bodies again (each body is taken as the
// bytes its declared size covers). It exists for an authenticated
// compilation cache entry; on any other input a malformed body goes
// unnoticed, so it must never see untrusted bytes.
func DecodeValidated(bin []byte, features wasm.Features) (*wasm.Module, error) {
	d := &decoder{
		c:         cursor{buf: bin, counted: true},
		bin:       bin,
		features:  features.WithImplied(),
		m:         &wasm.Module{},
		validated: true,
	}
	if err := d.module(); err != nil {
		return nil, err
	}
	return d.m, nil
}

// decoder holds the state of one Decode call.
type decoder struct {
	c        cursor
	bin      []byte
	features wasm.Features
	m        *wasm.Module

	// instr and ctrl are reused to scan every expression.
	instr *InstrReader
	in    wasm.Instr
	ctrl  []openBlock
	// localRuns backs the local declarations of every body.
	localRuns []wasm.LocalRun
	// usesDataIndex records a memory.init or data.drop in some body, which
	// requires a data count section.
	usesDataIndex bool
	seenFunctions bool
	seenCode      bool
	// validated skips the scan of function bodies (DecodeValidated).
	validated bool
}

func (d *decoder) module() error {
	c := &d.c
	if len(d.bin) < 4 {
		return &Error{Offset: len(d.bin), Msg: msgHeaderEnd}
	}
	if [4]byte(d.bin[:4]) != magic {
		return &Error{Offset: 0, Msg: msgMagic}
	}
	if len(d.bin) < 8 {
		return &Error{Offset: len(d.bin), Msg: msgHeaderEnd}
	}
	if v := uint32(d.bin[4]) | uint32(d.bin[5])<<8 | uint32(d.bin[6])<<16 | uint32(d.bin[7])<<24; v != version {
		return &Error{Offset: 4, Msg: msgVersion}
	}
	c.pos = 8
	lastRank := 0
	for c.pos < len(d.bin) {
		idPos := c.pos
		id := wasm.SectionID(d.bin[idPos])
		if !d.knownSection(id) {
			return c.fail(idPos, msgSectionID)
		}
		if id != wasm.SectionCustom {
			rank := sectionOrder[id]
			if rank <= lastRank {
				return c.fail(idPos, msgAfterLast)
			}
			lastRank = rank
		}
		c.pos++
		size, err := c.length()
		if err != nil {
			return err
		}
		start := c.pos
		if err := d.section(id, start, start+size); err != nil {
			return err
		}
		if c.pos != start+size {
			return c.fail(start, msgSectionSize)
		}
	}
	return d.finish()
}

// knownSection reports whether id is a section of the enabled features.
func (d *decoder) knownSection(id wasm.SectionID) bool {
	switch id {
	case wasm.SectionDataCount:
		return d.features.Has(wasm.FeatureBulkMemory)
	case wasm.SectionTag:
		return d.features.Has(wasm.FeatureExceptions)
	}
	return id <= wasm.SectionData
}

// section decodes the contents of one section, which the header declares to
// span bin[start:end]. Like the reference interpreter, the contents are read
// as a stream and the caller compares the final position with end.
func (d *decoder) section(id wasm.SectionID, start, end int) error {
	switch id {
	case wasm.SectionCustom:
		return d.customSection(start, end)
	case wasm.SectionType:
		return d.typeSection()
	case wasm.SectionImport:
		return d.importSection()
	case wasm.SectionFunction:
		d.seenFunctions = true
		return d.functionSection()
	case wasm.SectionTable:
		return d.tableSection()
	case wasm.SectionMemory:
		return d.memorySection()
	case wasm.SectionGlobal:
		return d.globalSection()
	case wasm.SectionExport:
		return d.exportSection()
	case wasm.SectionStart:
		idx, err := d.c.u32()
		d.m.Start, d.m.HasStart = idx, true
		return err
	case wasm.SectionElement:
		return d.elementSection()
	case wasm.SectionDataCount:
		n, err := d.c.u32()
		d.m.DataCount, d.m.HasDataCount = n, true
		return err
	case wasm.SectionCode:
		d.seenCode = true
		return d.codeSection()
	case wasm.SectionData:
		return d.dataSection()
	case wasm.SectionTag:
		return d.tagSection()
	}
	return d.c.fail(start, msgSectionID)
}

// finish checks the rules that relate sections to each other.
func (d *decoder) finish() error {
	m, end := d.m, len(d.bin)
	if len(m.Funcs) != len(m.Codes) {
		return &Error{Offset: end, Msg: msgFuncCodeCount}
	}
	if m.HasDataCount && uint64(m.DataCount) != uint64(len(m.Data)) {
		return &Error{Offset: end, Msg: msgDataCount}
	}
	if !m.HasDataCount && d.usesDataIndex {
		return &Error{Offset: end, Msg: msgDataCountNeed}
	}
	return nil
}

// expr scans an expression starting at the cursor up to and including the
// end that closes it, and returns the position after that end. Bodies are
// scanned past their declared size, as the reference interpreter does, so
// that a missing end is reported the same way. body says whether this is a
// function body (whose data index uses require a data count section).
func (d *decoder) expr(body bool) (int, error) {
	c := &d.c
	if d.instr == nil {
		d.instr = NewInstrReader(nil, 0, d.features)
	}
	r := d.instr
	r.Reset(d.bin[c.pos:], c.pos, d.features)
	// ctrl holds one entry per open block: what may close or continue it.
	ctrl := d.ctrl[:0]
	defer func() { d.ctrl = ctrl[:0] }()
	in := &d.in
	top := func() openBlock {
		if len(ctrl) == 0 {
			return openPlain
		}
		return ctrl[len(ctrl)-1]
	}
	for {
		err := r.Next(in)
		if err == io.EOF {
			return 0, &Error{Offset: len(d.bin), Msg: msgUnexpectedEnd}
		}
		if err != nil {
			return 0, err
		}
		switch in.Op {
		case wasm.OpBlock, wasm.OpLoop, wasm.OpTryTable:
			ctrl = append(ctrl, openPlain)
		case wasm.OpIf:
			ctrl = append(ctrl, openIf)
		case wasm.OpTry:
			ctrl = append(ctrl, openTry)
		case wasm.OpElse:
			if top() != openIf {
				return 0, &Error{Offset: in.Offset, Msg: msgEndExpected}
			}
			ctrl[len(ctrl)-1] = openPlain
		case wasm.OpCatch:
			if t := top(); t != openTry && t != openCatch {
				return 0, &Error{Offset: in.Offset, Msg: msgEndExpected}
			}
			ctrl[len(ctrl)-1] = openCatch
		case wasm.OpCatchAll:
			if t := top(); t != openTry && t != openCatch {
				return 0, &Error{Offset: in.Offset, Msg: msgEndExpected}
			}
			ctrl[len(ctrl)-1] = openPlain
		case wasm.OpDelegate:
			if top() != openTry {
				return 0, &Error{Offset: in.Offset, Msg: msgEndExpected}
			}
			ctrl = ctrl[:len(ctrl)-1]
		case wasm.OpEnd:
			if len(ctrl) == 0 {
				c.pos = r.Offset()
				return c.pos, nil
			}
			ctrl = ctrl[:len(ctrl)-1]
		case wasm.OpMemoryInit, wasm.OpDataDrop, wasm.OpArrayNewData, wasm.OpArrayInitData:
			d.usesDataIndex = d.usesDataIndex || body
		}
	}
}

// openBlock says what may follow inside an open block while scanning an
// expression.
type openBlock byte

const (
	openPlain openBlock = iota // only end
	openIf                     // else or end
	openTry                    // catch, catch_all, delegate or end (legacy try)
	openCatch                  // catch, catch_all or end
)

// constExpr reads a constant expression.
func (d *decoder) constExpr() (wasm.ConstExpr, error) {
	start := d.c.pos
	end, err := d.expr(false)
	if err != nil {
		return wasm.ConstExpr{}, err
	}
	return wasm.ConstExpr{Code: d.bin[start:end:end], Offset: start}, nil
}
