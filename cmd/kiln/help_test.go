package main

import (
	"bytes"
	"strings"
	"testing"
)

// Every command answers -h with its usage on stderr and exit status 0,
// and an unknown flag with exit status 2.
func TestEveryCommandHasHelp(t *testing.T) {
	if len(commands) < 5 {
		t.Fatalf("only %d commands registered", len(commands))
	}
	for name := range commands {
		var stdout, stderr bytes.Buffer
		if code := dispatch([]string{name, "-h"}, &stdout, &stderr); code != 0 {
			t.Errorf("kiln %s -h: exit %d", name, code)
		}
		if !strings.Contains(strings.ToLower(stderr.String()), "usage") {
			t.Errorf("kiln %s -h: no usage on stderr: %q", name, stderr.String())
		}
		stderr.Reset()
		if code := dispatch([]string{name, "--no-such-flag"}, &stdout, &stderr); code != exitUsage {
			t.Errorf("kiln %s --no-such-flag: exit %d, want %d", name, code, exitUsage)
		}
	}
}
