package workloads

import (
	"bytes"
	"testing"
)

func TestEveryBinaryIsWasm(t *testing.T) {
	names := Names()
	if len(names) < 18 {
		t.Fatalf("Names() = %v, want the 17 C kernels and jsonrt", names)
	}
	for _, n := range names {
		b, err := Binary(n)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\x00asm\x01\x00\x00\x00")) {
			t.Errorf("%s.wasm does not start with the wasm magic and version 1", n)
		}
	}
}

func TestBinaryMissing(t *testing.T) {
	if _, err := Binary("no-such-workload"); err == nil {
		t.Fatal("Binary of a missing workload returned no error")
	}
}
