package rt

// The call index (store.CallIndex) Ctx.Tables points at: how machine
// code resolves call_indirect without exiting (see the package doc).
// Offsets in bytes; every word is 8 bytes, type IDs are 4.
const (
	// IndexTypeIDs is the header word holding the address of the
	// instance's canonical type IDs, a uint32 per type index.
	IndexTypeIDs = 0
	// IndexEntries is the header word holding the address of the entry
	// words: word k+1 is the machine-code entry of function k of the
	// instance's index space, or 0 (word 0 is always 0).
	IndexEntries = 8
	// IndexTables is the header word holding the address of table 0's
	// view; table t's is at IndexTables+8t.
	IndexTables = 16

	// ViewLen is the view word holding the table's length.
	ViewLen = 0
	// ViewElems is view word 1, element 0's: element i's word is
	// TypeID | (k+1)<<32 when it is function k of the instance (defined
	// by it, as opposed to imported), else 0.
	ViewElems = 8
)
