//go:build unix && !linux

package rt

// mapNoReserve is Linux's exemption from overcommit accounting; other
// systems (FreeBSD, OpenBSD: no such flag) commit anonymous pages as
// they are touched.
const mapNoReserve = 0

// mapPopulate is Linux's prefaulting of a mapping; elsewhere pages are
// faulted in as the code is written.
const mapPopulate = 0
