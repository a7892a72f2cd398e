module github.com/kilnrt/kiln/bench

go 1.24.0

require (
	github.com/kilnrt/kiln v0.0.0
	github.com/tetratelabs/wazero v1.11.0
)

require golang.org/x/sys v0.38.0 // indirect

replace github.com/kilnrt/kiln => ../
