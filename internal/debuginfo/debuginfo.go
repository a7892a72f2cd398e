// Package debuginfo reads the DWARF debug information a compiler leaves in
// a WebAssembly module's custom sections (".debug_info", ".debug_line",
// ...; C built with clang -g, for example) with the standard library's
// debug/dwarf, and maps byte offsets of the module binary to source
// positions for trap backtraces.
//
// DWARF code addresses in a WebAssembly module are offsets from the start
// of the code section's payload (the byte after the section size), so a
// Map is made with that position. Parsing waits for the first Locate:
// modules that never trap pay nothing. Debug information that does not
// parse, or that describes code the linker removed (address 0 or a
// tombstone), is ignored; it never makes a trap fail.
package debuginfo

import (
	"debug/dwarf"
	"errors"
	"io"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Map is the source map of one module. It is safe for concurrent use.
type Map struct {
	sections  map[string][]byte
	codeStart int

	once  sync.Once
	rows  []row      // line table rows of every unit, sorted by address
	funcs []funcSpan // subprograms, sorted by low address
}

// row is one line table row; end marks the address after a sequence.
type row struct {
	addr         uint64
	file         string
	line, column int
	end          bool
}

// funcSpan is the address range [low, high) of a source function.
type funcSpan struct {
	low, high uint64
	name      string
}

// Has reports whether m carries DWARF line information.
func Has(m *wasm.Module) bool {
	var line, info bool
	for _, c := range m.Customs {
		line = line || c.Name == ".debug_line"
		info = info || c.Name == ".debug_info"
	}
	return line && info
}

// New returns the source map of m, whose code section payload starts at
// byte codeStart of the binary, or nil when m has no ".debug_line"
// section.
func New(m *wasm.Module, codeStart int) *Map {
	if !Has(m) {
		return nil
	}
	sections := map[string][]byte{}
	for _, c := range m.Customs {
		if strings.HasPrefix(c.Name, ".debug_") {
			sections[c.Name] = c.Data
		}
	}
	return &Map{sections: sections, codeStart: codeStart}
}

// Locate returns the source position of the instruction at byte offset of
// the module binary.
func (m *Map) Locate(offset int) (store.SourcePos, bool) {
	m.once.Do(m.parse)
	if offset < m.codeStart {
		return store.SourcePos{}, false
	}
	addr := uint64(offset - m.codeStart)
	i := sort.Search(len(m.rows), func(i int) bool { return m.rows[i].addr > addr }) - 1
	if i < 0 || m.rows[i].end || m.rows[i].line == 0 {
		return store.SourcePos{}, false
	}
	r := m.rows[i]
	pos := store.SourcePos{File: r.file, Line: r.line, Column: r.column}
	j := sort.Search(len(m.funcs), func(j int) bool { return m.funcs[j].low > addr }) - 1
	if j >= 0 && addr < m.funcs[j].high {
		pos.Function = m.funcs[j].name
	}
	return pos, true
}

// dead reports whether a code address is one the linker gives code it
// removed: 0 (no function starts there: the payload begins with the
// function count) or a tombstone near the top of the 32-bit range.
func dead(addr uint64) bool { return addr == 0 || addr >= 0xFFFFFFF0 }

// parse reads the line tables and the subprograms; on any error it keeps
// what it read before it. The sections come from the module, so a guest
// controls them: a panic of the DWARF reader leaves the map empty.
func (m *Map) parse() {
	defer func() {
		if recover() != nil {
			m.rows, m.funcs = nil, nil
		}
		m.sections = nil
	}()
	s := m.sections
	d, err := dwarf.New(s[".debug_abbrev"], s[".debug_aranges"], nil, s[".debug_info"],
		s[".debug_line"], nil, s[".debug_ranges"], s[".debug_str"])
	if err != nil {
		return
	}
	for _, name := range []string{".debug_addr", ".debug_line_str", ".debug_str_offsets", ".debug_rnglists"} {
		if data := s[name]; data != nil {
			if d.AddSection(name, data) != nil {
				return
			}
		}
	}
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil || e == nil {
			break
		}
		switch e.Tag {
		case dwarf.TagCompileUnit:
			m.readLines(d, e)
		case dwarf.TagSubprogram:
			m.readFunc(d, e)
		}
	}
	sort.SliceStable(m.rows, func(i, j int) bool {
		if m.rows[i].addr != m.rows[j].addr {
			return m.rows[i].addr < m.rows[j].addr
		}
		return m.rows[i].end && !m.rows[j].end // a sequence's end before the next's start
	})
	sort.Slice(m.funcs, func(i, j int) bool { return m.funcs[i].low < m.funcs[j].low })
}

// readLines appends the rows of a unit's line table, dropping sequences
// of removed code.
func (m *Map) readLines(d *dwarf.Data, cu *dwarf.Entry) {
	lr, err := d.LineReader(cu)
	if err != nil || lr == nil {
		return
	}
	var seq []row
	var le dwarf.LineEntry
	// A row takes at least one opcode byte: more rows than bytes means a
	// reader gone wrong on hostile input, so stop there.
	limit := len(m.sections[".debug_line"]) + 1
	for n := 0; n < limit; n++ {
		if err := lr.Next(&le); err != nil {
			if !errors.Is(err, io.EOF) {
				return
			}
			break
		}
		r := row{addr: le.Address, line: le.Line, column: le.Column, end: le.EndSequence}
		if le.File != nil {
			r.file = path.Clean(le.File.Name)
		}
		seq = append(seq, r)
		if le.EndSequence {
			if !dead(seq[0].addr) {
				m.rows = append(m.rows, seq...)
			}
			seq = seq[:0]
		}
	}
}

// readFunc records the address ranges of a subprogram with code.
func (m *Map) readFunc(d *dwarf.Data, e *dwarf.Entry) {
	name, _ := e.Val(dwarf.AttrName).(string)
	if name == "" {
		name, _ = e.Val(dwarf.AttrLinkageName).(string)
	}
	ranges, err := d.Ranges(e)
	if err != nil {
		return
	}
	for _, rg := range ranges {
		if !dead(rg[0]) && rg[1] > rg[0] {
			m.funcs = append(m.funcs, funcSpan{low: rg[0], high: rg[1], name: name})
		}
	}
}
