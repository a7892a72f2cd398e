package spectest

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Expectations lists known failures of a suite: "FILE:LINE reason" per
// line, FILE relative to the suite directory; '#' starts a comment.
type Expectations map[string]string

// ParseExpectations reads an expectations file.
func ParseExpectations(r io.Reader) (Expectations, error) {
	e := Expectations{}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		key, reason, _ := strings.Cut(line, " ")
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("expectations line %d: %q has no reason", n, key)
		}
		e[key] = reason
	}
	return e, sc.Err()
}

// Key is how a failure is named in an expectations file.
func Key(relFile string, line int) string { return fmt.Sprintf("%s:%d", relFile, line) }
