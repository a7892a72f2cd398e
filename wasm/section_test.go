package wasm

import "testing"

func TestSectionIDString(t *testing.T) {
	for id, want := range map[SectionID]string{
		SectionCustom:    "custom",
		SectionElement:   "element",
		SectionDataCount: "datacount",
		SectionTag:       "tag",
		14:               "section(14)",
	} {
		if got := id.String(); got != want {
			t.Errorf("SectionID(%d).String() = %q, want %q", byte(id), got, want)
		}
	}
}
