package workloads

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed wasm/*.wasm
var files embed.FS

// Binary returns the bytes of wasm/<name>.wasm (name without extension).
func Binary(name string) ([]byte, error) {
	b, err := files.ReadFile("wasm/" + name + ".wasm")
	if err != nil {
		return nil, fmt.Errorf("workload %q: %w", name, err)
	}
	return b, nil
}

// Names lists the embedded binaries by name, sorted.
func Names() []string {
	entries, err := fs.ReadDir(files, "wasm")
	if err != nil {
		return nil // the embed pattern guarantees the directory exists
	}
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".wasm"))
	}
	sort.Strings(names)
	return names
}
