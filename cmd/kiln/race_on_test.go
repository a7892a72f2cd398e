//go:build race

package main

// raceEnabled: under the race detector the child processes of the
// hostile-guest suite are instrumented builds, whose memory and CPU time
// (several times kiln's) measure the detector, not kiln.
const raceEnabled = true
