package rt

// CallLeaf calls the machine code at fn with a0 in RDI and a1 in RSI and
// returns RAX. See the package documentation for what such code may do;
// fn must point into a live Code.
func CallLeaf(fn uintptr, a0, a1 uint64) uint64
