package store

// Limiter decides whether memories and tables may take more space. It is
// how an embedder caps the total size of all the memories and tables of a
// guest (per-object maxima are the type's and the runtime's).
//
// It is consulted with the object's current and wanted size (bytes for a
// memory, elements for a table) when a memory or table is created (current
// 0) and before every growth that the object's own maximum allows;
// refusing makes creation fail and memory.grow / table.grow return -1. A
// call with wanted < current reports space given back (a growth that
// failed after approval, a released memory); its result is ignored.
// Objects without a Limiter (the default) pay one nil test per growth.
type Limiter interface {
	GrowMemory(current, wanted uint64) bool
	GrowTable(current, wanted uint64) bool
}
