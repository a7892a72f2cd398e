// Package cpufeat is the part of a JIT encoder's CPU feature set that does
// not depend on the instruction set: reading the host's features through
// github.com/klauspost/cpuid/v2 and naming a set. amd64 and arm64 each
// define their Features bits over a Table.
package cpufeat

import (
	"fmt"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// Feature is one optional extension: its bit in the encoder's set, the
// name it is listed by, and cpuid's identifier for it.
type Feature struct {
	Bit  uint32
	Name string
	ID   cpuid.FeatureID
}

// Table lists an encoder's features in the order they are named.
type Table []Feature

// All is the union of the table's bits.
func (t Table) All() uint32 {
	var all uint32
	for _, f := range t {
		all |= f.Bit
	}
	return all
}

// Detect returns the bits of the features the host CPU has.
func (t Table) Detect() uint32 {
	var set uint32
	for _, f := range t {
		if cpuid.CPU.Supports(f.ID) {
			set |= f.Bit
		}
	}
	return set
}

// Format lists the features in set, comma-separated, with any bits the
// table does not know as unknown(0x..); none is the text of the empty set.
func (t Table) Format(set uint32, none string) string {
	var names []string
	for _, f := range t {
		if set&f.Bit != 0 {
			names = append(names, f.Name)
		}
	}
	if rest := set &^ t.All(); rest != 0 {
		names = append(names, fmt.Sprintf("unknown(%#x)", rest))
	}
	if len(names) == 0 {
		return none
	}
	return strings.Join(names, ",")
}
