//go:build !race

package raceflag

// Enabled is false: built without -race.
const Enabled = false
