package main

import (
	"fmt"
	"io"
	"os"
)

// defaultAuditMaxBytes is the default of --audit-max-size: a guest cannot
// make kiln write more audit log than this in one run.
const defaultAuditMaxBytes = 64 << 20

// openAudit opens the --audit destination ("-" is standard error); the
// returned closer is nil when nothing needs closing.
func openAudit(path string, stderr io.Writer) (io.Writer, io.Closer, error) {
	if path == "-" {
		return stderr, nil, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("--audit: %w", err)
	}
	return f, f, nil
}
