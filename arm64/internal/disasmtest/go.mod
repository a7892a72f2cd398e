module github.com/kilnrt/kiln/arm64/internal/disasmtest

go 1.26.0

require (
	github.com/kilnrt/kiln v0.0.0
	golang.org/x/arch v0.33.0
)

require (
	github.com/klauspost/cpuid/v2 v2.2.10 // indirect
	golang.org/x/sys v0.30.0 // indirect
)

replace github.com/kilnrt/kiln => ../../..
