module github.com/kilnrt/kiln/bench

go 1.24.0

require (
	github.com/kilnrt/kiln v0.0.0
	github.com/tetratelabs/wazero v1.11.0
)

require (
	github.com/klauspost/cpuid/v2 v2.2.10 // indirect
	golang.org/x/sys v0.38.0
)

replace github.com/kilnrt/kiln => ../
