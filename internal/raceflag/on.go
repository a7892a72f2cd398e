//go:build race

package raceflag

// Enabled is true: built with -race.
const Enabled = true
