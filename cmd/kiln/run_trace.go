package main

import (
	"fmt"
	"io"
	"os"

	"github.com/kilnrt/kiln/wasi"
)

// openTrace makes the tracer of --trace ("-" is standard error; a file
// is truncated, as strace -o does) for the groups of --trace-filter; the
// closer is nil when nothing needs closing.
func openTrace(path, filter string, stderr io.Writer) (*wasi.Tracer, io.Closer, error) {
	groups := wasi.TraceAll
	if filter != "" {
		var err error
		if groups, err = wasi.ParseTraceGroups(filter); err != nil {
			return nil, nil, fmt.Errorf("--trace-filter: %w", err)
		}
	}
	if path == "-" {
		return wasi.NewTracer(stderr, groups), nil, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("--trace: %w", err)
	}
	return wasi.NewTracer(f, groups), f, nil
}
