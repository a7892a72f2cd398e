//go:build !kilnpairs

package interp

// pairCounting is false in normal builds: the dispatch loop's counting
// call is compiled away (see paircount.go).
const pairCounting = false
