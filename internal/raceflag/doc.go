// Package raceflag reports whether the program was built with the race
// detector, for tests whose measurements the detector changes: it makes
// sync.Pool drop items (so allocation counts are not meaningful) and
// instruments every memory access (so memory and CPU time measure the
// detector, not kiln).
package raceflag
