package main

import (
	"bytes"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/boundedread"
	"github.com/kilnrt/kiln/wast"
)

// Size limits of the files kiln reads, so that /dev/zero, a FIFO or a
// huge file ends with a clear error instead of exhausting memory.
const (
	// defaultMaxModuleBytes is the default of --max-module-size: far
	// above any real module (large C++ programs are tens of MB).
	defaultMaxModuleBytes = 1 << 30
	// maxSignatureFileBytes bounds a detached signature (hashes and
	// signatures of a few dozen bytes each).
	maxSignatureFileBytes = 1 << 20
)

// wasmMagic starts every binary module.
var wasmMagic = []byte("\x00asm")

// readModuleFile reads a module file of at most defaultMaxModuleBytes
// (the tools that take binary modules only).
func readModuleFile(path string) ([]byte, error) {
	return boundedread.ReadFile(path, defaultMaxModuleBytes, "module")
}

// readModule reads a binary module or a kiln compile artifact of at most limit bytes
// (defaultMaxModuleBytes when 0), or converts a text one. An input that
// is neither (no binary header, and NUL bytes where text would be) is
// refused after its first block, without reading the rest.
func readModule(path string, limit int64) ([]byte, error) {
	bin, err := readModuleOrText(path, limit)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(bin, wasmMagic) || kiln.IsCompiled(bin) {
		return bin, nil // a binary module or a kiln compile artifact
	}
	out, err := wast.ParseModule(path, bin)
	if err != nil {
		return nil, fmt.Errorf("%s: not a binary module, and as text: %w", path, err)
	}
	return out, nil
}

func readModuleOrText(path string, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = defaultMaxModuleBytes
	}
	return boundedread.ReadFileChecked(path, limit, "module", func(head []byte) error {
		if !bytes.HasPrefix(head, wasmMagic) && !kiln.IsCompiled(head) && bytes.IndexByte(head, 0) >= 0 {
			return fmt.Errorf("%s: not a WebAssembly module (no binary header, and NUL bytes where text would be)", path)
		}
		return nil
	})
}
