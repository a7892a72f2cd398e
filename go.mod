module github.com/kilnrt/kiln

go 1.24

require (
	github.com/google/go-cmp v0.7.0
	github.com/klauspost/cpuid/v2 v2.2.10
	golang.org/x/sys v0.30.0
)
