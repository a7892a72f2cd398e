package interp

import "testing"

// TestOpNamesComplete catches an ops.go edit without `go generate
// ./interp`: every opcode needs its name in the generated table.
func TestOpNamesComplete(t *testing.T) {
	if len(opNames) != int(numOps) {
		t.Fatalf("opNames has %d entries, want %d: run go generate ./interp", len(opNames), numOps)
	}
	for op, name := range opNames {
		if name == "" {
			t.Errorf("opcode %d has no name: run go generate ./interp", op)
		}
	}
}
