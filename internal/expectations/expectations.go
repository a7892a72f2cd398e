// Package expectations reads the files that list a test suite's known
// failures: one "NAME reason" per line, '#' starting a comment line. Every
// entry must give its reason, so a known failure is always explained.
// The spec runner, the WASI suite and the WASIX differential test share
// this one format.
package expectations

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// Parse reads an expectations file: name -> reason.
func Parse(r io.Reader) (map[string]string, error) {
	e := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		name, reason, _ := strings.Cut(line, " ")
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("expectations line %d: %q has no reason", n, name)
		}
		e[name] = reason
	}
	return e, sc.Err()
}

// Load reads the expectations file at path.
func Load(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	e, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}
