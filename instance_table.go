package kiln

// TableAt returns table idx of the instance's table index space (imported
// tables first), exported or not, or nil when there is no such table.
// Table 0 is the one call_indirect uses unless told otherwise: wasm-ld's
// __indirect_function_table, which function pointers index (WASIX's
// call_dynamic and closures work on it).
func (i *Instance) TableAt(idx uint32) *Table {
	if uint64(idx) >= uint64(len(i.st.Tables)) {
		return nil
	}
	return &Table{rt: i.rt, t: i.st.Tables[idx]}
}
