package difftest

import (
	"bytes"
	"testing"
)

func TestShrink(t *testing.T) {
	// Fails while byte 10 is 7 and the input has at least 11 bytes.
	input := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 7, 12}, 20)
	fails := func(b []byte) bool { return len(b) > 10 && b[10] == 7 }
	got := Shrink(input, fails, 1000)
	want := append(make([]byte, 10), 7)
	if !bytes.Equal(got, want) {
		t.Fatalf("Shrink = %v, want %v", got, want)
	}
	if got := Shrink(input, fails, 0); !bytes.Equal(got, input) {
		t.Fatal("Shrink with no budget changed the input")
	}
}
