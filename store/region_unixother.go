//go:build unix && !linux

package store

// reserveFlags: PROT_NONE reservations are not committed on these systems.
const reserveFlags = 0
