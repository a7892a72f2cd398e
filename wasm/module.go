package wasm

// Module is a decoded WebAssembly module. Slices are in section order; index
// spaces put imported entities first (see the Num* counts).
type Module struct {
	// Types holds the function type of every defined type; the entries of
	// struct and array types (GC) are empty placeholders.
	Types []FuncType
	// SubTypes describes every defined type (kind, fields, supertypes,
	// recursion group), in the same order as Types. The decoder always
	// fills it.
	SubTypes []SubType
	Imports  []Import

	// Funcs holds the type index of each function defined by the module;
	// Codes holds their bodies, in the same order.
	Funcs  []uint32
	Tables []TableType
	// TableInits holds the initialiser expression of each defined table
	// (function references); nil when no table has one, otherwise
	// parallel to Tables with an empty Code for tables without one (their
	// elements start as null).
	TableInits []ConstExpr
	Mems       []MemoryType
	// Tags holds the type of each defined exception tag.
	Tags    []TagType
	Globals []Global
	Exports []Export

	// Start is the start function's index when HasStart is set.
	Start    uint32
	HasStart bool

	Elems []ElemSegment
	Codes []Code
	Data  []DataSegment

	// DataCount is the value of the data count section when HasDataCount.
	DataCount    uint32
	HasDataCount bool

	// Customs keeps every custom section, including "name", in order.
	Customs []CustomSection
	// Names is the parsed "name" section, or nil when absent or malformed
	// (a malformed name section does not make the module malformed).
	Names *Names

	// Counts of imports of each kind: these entities come first in their
	// index spaces.
	NumImportedFuncs   uint32
	NumImportedTables  uint32
	NumImportedMems    uint32
	NumImportedGlobals uint32
	NumImportedTags    uint32
}

// Import is one entry of the import section.
type Import struct {
	Module string
	Name   string
	Kind   ExternKind
	// Exactly one of the following is meaningful, according to Kind.
	TypeIndex uint32 // ExternFunc and ExternTag (the tag's function type)
	Table     TableType
	Mem       MemoryType
	Global    GlobalType
}

// Export is one entry of the export section.
type Export struct {
	Name  string
	Kind  ExternKind
	Index uint32
}

// Global is a global defined by the module.
type Global struct {
	Type GlobalType
	Init ConstExpr
}

// ConstExpr is a constant expression, kept as its encoded instruction bytes
// including the final end opcode. The validator checks that it is constant
// and well typed; engines evaluate it at instantiation.
type ConstExpr struct {
	Code []byte
	// Offset is the position of Code in the module binary, for error messages.
	Offset int
}

// SegmentMode says when a data or element segment is applied.
type SegmentMode byte

// Segment modes.
const (
	SegmentActive SegmentMode = iota
	SegmentPassive
	SegmentDeclarative // element segments only
)

// ElemSegment is an element segment. Its items are either function indices
// (FuncIndices, the compact encodings) or constant expressions (Exprs);
// exactly one of the two is non-nil unless the segment is empty.
type ElemSegment struct {
	Mode   SegmentMode
	Table  uint32    // active only
	Offset ConstExpr // active only
	Type   ValType   // element reference type

	FuncIndices []uint32
	Exprs       []ConstExpr
}

// Len returns the number of items in the segment.
func (e *ElemSegment) Len() int {
	if e.Exprs != nil {
		return len(e.Exprs)
	}
	return len(e.FuncIndices)
}

// DataSegment is a data segment.
type DataSegment struct {
	Mode   SegmentMode
	Memory uint32    // active only
	Offset ConstExpr // active only
	Init   []byte
}

// Code is a function body: its local declarations and its instructions.
type Code struct {
	// Locals are the declared locals, expanded to one entry per run:
	// a run of Count locals of Type.
	Locals []LocalRun
	// NumLocals is the total count of declared locals (excluding params).
	NumLocals uint32
	// Body is the instruction sequence including the final end opcode.
	Body []byte
	// BodyOffset is the position of Body in the module binary.
	BodyOffset int
}

// LocalRun declares Count locals of one type.
type LocalRun struct {
	Count uint32
	Type  ValType
}

// CustomSection is a custom section's name and payload.
type CustomSection struct {
	Name string
	Data []byte
	// Offset is the position of Data in the module binary.
	Offset int
}

// Names is the content of the "name" custom section.
type Names struct {
	Module string
	// Funcs maps function index to name.
	Funcs map[uint32]string
	// Locals maps function index to (local index to name).
	Locals map[uint32]map[uint32]string
}

// FuncTypeOf returns the type of the function at index idx of the function
// index space, or nil if idx is out of range.
func (m *Module) FuncTypeOf(idx uint32) *FuncType {
	var ti uint32
	if idx < m.NumImportedFuncs {
		n := uint32(0)
		found := false
		for i := range m.Imports {
			if m.Imports[i].Kind != ExternFunc {
				continue
			}
			if n == idx {
				ti, found = m.Imports[i].TypeIndex, true
				break
			}
			n++
		}
		if !found {
			return nil
		}
	} else {
		d := idx - m.NumImportedFuncs
		if uint64(d) >= uint64(len(m.Funcs)) {
			return nil
		}
		ti = m.Funcs[d]
	}
	if uint64(ti) >= uint64(len(m.Types)) {
		return nil
	}
	return &m.Types[ti]
}

// NumFuncs is the size of the function index space.
func (m *Module) NumFuncs() uint32 { return m.NumImportedFuncs + uint32(len(m.Funcs)) }

// NumTables is the size of the table index space.
func (m *Module) NumTables() uint32 { return m.NumImportedTables + uint32(len(m.Tables)) }

// NumMems is the size of the memory index space.
func (m *Module) NumMems() uint32 { return m.NumImportedMems + uint32(len(m.Mems)) }

// NumTags is the size of the tag index space.
func (m *Module) NumTags() uint32 { return m.NumImportedTags + uint32(len(m.Tags)) }

// IsFuncType reports whether type index idx is a function type (and not a
// GC struct or array type).
func (m *Module) IsFuncType(idx uint32) bool {
	if uint64(idx) >= uint64(len(m.Types)) {
		return false
	}
	return uint64(idx) >= uint64(len(m.SubTypes)) || m.SubTypes[idx].Kind == CompFunc
}

// NumGlobals is the size of the global index space.
func (m *Module) NumGlobals() uint32 { return m.NumImportedGlobals + uint32(len(m.Globals)) }
