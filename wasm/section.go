package wasm

import "strconv"

// SectionID identifies a section of the binary format. The decoder and both
// encoders (the text format's and the test generator's) share these ids.
type SectionID byte

// Section ids of the binary format.
const (
	SectionCustom    SectionID = 0
	SectionType      SectionID = 1
	SectionImport    SectionID = 2
	SectionFunction  SectionID = 3
	SectionTable     SectionID = 4
	SectionMemory    SectionID = 5
	SectionGlobal    SectionID = 6
	SectionExport    SectionID = 7
	SectionStart     SectionID = 8
	SectionElement   SectionID = 9
	SectionCode      SectionID = 10
	SectionData      SectionID = 11
	SectionDataCount SectionID = 12
	SectionTag       SectionID = 13 // exception handling
)

var sectionNames = [...]string{
	SectionCustom: "custom", SectionType: "type", SectionImport: "import",
	SectionFunction: "function", SectionTable: "table", SectionMemory: "memory",
	SectionGlobal: "global", SectionExport: "export", SectionStart: "start",
	SectionElement: "element", SectionCode: "code", SectionData: "data",
	SectionDataCount: "datacount", SectionTag: "tag",
}

// String returns the section's name as the specification's binary grammar
// spells it ("type", "datacount", ...), or "section(N)" for an id the format
// does not define.
func (id SectionID) String() string {
	if int(id) < len(sectionNames) {
		return sectionNames[id]
	}
	return "section(" + strconv.Itoa(int(id)) + ")"
}
