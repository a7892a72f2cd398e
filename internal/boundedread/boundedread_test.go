package boundedread

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFileLimits(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int64{10, 11, 1 << 20} {
		if b, err := ReadFile(small, limit, "test input"); err != nil || string(b) != "0123456789" {
			t.Errorf("limit %d: %q, %v", limit, b, err)
		}
	}
	if _, err := ReadFile(small, 9, "test input"); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "test input larger than 9 bytes") {
		t.Errorf("over the limit: %v", err)
	}
	// An endless device stops at the limit.
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := ReadFile("/dev/zero", 1<<16, "test input"); !errors.Is(err, ErrTooLarge) {
			t.Errorf("/dev/zero: %v", err)
		}
	}
	// Growth across many buffer doublings keeps every byte.
	big := strings.Repeat("abcdefgh", 5000)
	if b, err := ReadAll(strings.NewReader(big), int64(len(big)), 0, "r", "x"); err != nil || string(b) != big {
		t.Errorf("ReadAll of %d bytes: %d, %v", len(big), len(b), err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 1, "x"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestReadFileCheckedRefusesEarly(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	refuse := errors.New("not the expected kind")
	var seen int
	_, err := ReadFileChecked("/dev/zero", 1<<40, "x", func(head []byte) error { seen = len(head); return refuse })
	if !errors.Is(err, refuse) || seen != headSize {
		t.Errorf("err %v after a head of %d bytes", err, seen)
	}
	small := filepath.Join(t.TempDir(), "s")
	if err := os.WriteFile(small, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFileChecked(small, 10, "x", func(head []byte) error { seen = len(head); return nil })
	if err != nil || string(b) != "abc" || seen != 3 {
		t.Errorf("accepted input: %q, %v, head %d", b, err, seen)
	}
}
