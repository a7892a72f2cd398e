// Package spectest runs the official WebAssembly test suite's WAST scripts
// against kiln through its public API, as the reference interpreter's
// harness does.
//
// Every command of a script is one assertion. An assertion about a failure
// (assert_malformed, assert_invalid, assert_unlinkable, assert_uninstantiable,
// assert_trap, assert_exhaustion) passes when the right kind of failure
// happens at the right stage: malformed text or binary at decoding,
// invalid at validation, unlinkable at import resolution, uninstantiable
// or a trap at instantiation or run time. Independently, the runner counts
// how many of those failures carry the suite's expected message text.
//
// The threads proposal's (thread $T (shared (module $M)) ...) runs its
// commands on a goroutine of its own, concurrently with the script, with
// only the shared instances visible by name and its registrations kept in
// a kiln.Linker of its own; (wait $T) joins it and adds its results, which
// OnResult reports on the wait. testdata/threads holds kiln's own scripts
// for these commands (the official threads directory has none).
//
// Options.OnResult receives every command's outcome (position, kind,
// status, message) as the script runs; kiln wast builds its JSON and JUnit
// reports from it.
//
// Known failures are listed, with a reason each, in the expectations file
// of the suite (testdata/expectations-*.txt). The package test fails on any
// failure not listed there and on any listed failure that now passes, so
// a regression fails the build and an improvement must update the file.
package spectest
