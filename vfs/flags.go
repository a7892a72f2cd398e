package vfs

import "sync/atomic"

// flagWord holds a handle's descriptor flags. One guest thread may change
// them (fd_fdstat_set_flags) while another reads them (every read or
// write on a pipe, terminal or socket asks for FDNonblock), so the word
// is atomic.
type flagWord struct{ v atomic.Uint32 }

func (w *flagWord) get() FDFlags   { return FDFlags(w.v.Load()) }
func (w *flagWord) set(fl FDFlags) { w.v.Store(uint32(fl)) }
