//go:build kilnpairs

package interp

const pairCounting = true

func init() { pairCounts = make([][numOps]uint64, numOps) }
