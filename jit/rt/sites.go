package rt

import "sort"

// Sites: every call instruction in machine code (calls between
// functions, calls of the exit stub, calls of trap stubs) is followed by
// a return address that the back end describes with a Site, so that Go
// can walk a machine stack from Ctx.ResumeSP (the innermost exit) up to
// Ctx.EntrySP and name each wasm frame on it (jit/jitengine's trap
// backtraces and profiler samples). Nothing is executed for it: the
// metadata is built at compile time, the walk only happens in Go.
//
// The walk reads return records: FrameRecord bytes on the machine stack
// holding a return address at FrameRecordRet (amd64: the 8-byte return
// address a CALL pushed; arm64: a 16-byte {X29, X30} pair). From the
// record of a site, the next record up is FrameRecord + Site.Frame bytes
// higher.

// SiteKind says what a return address in machine code stands for.
type SiteKind uint8

const (
	// SiteCall is a call or exit in a function's body: a wasm frame of
	// Func at Pos.
	SiteCall SiteKind = iota
	// SitePrologue is the stack check of a function's prologue: the
	// call never started (the interpreter reports "call stack
	// exhausted" at the caller's call), so it has no frame.
	SitePrologue
	// SiteTrapStub is a trap stub's exit: the next record up is the
	// trap site's, which called the stub.
	SiteTrapStub
)

// Site describes one return address in a module's code.
type Site struct {
	Ret   int      // offset in the code of the return address
	Func  uint32   // function index
	Pos   int32    // byte offset in the module binary of the wasm instruction
	Frame int32    // bytes between this site's return record and the next one up, beyond FrameRecord
	Kind  SiteKind //
}

// SiteAt returns the site of sites (sorted by Ret) whose return address
// is at offset ret.
func SiteAt(sites []Site, ret int) (Site, bool) {
	i := sort.Search(len(sites), func(i int) bool { return sites[i].Ret >= ret })
	if i < len(sites) && sites[i].Ret == ret {
		return sites[i], true
	}
	return Site{}, false
}
