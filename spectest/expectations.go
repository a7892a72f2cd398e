package spectest

import (
	"fmt"
	"io"

	"github.com/kilnrt/kiln/internal/expectations"
)

// Expectations lists known failures of a suite: "FILE:LINE reason" per
// line, FILE relative to the suite directory; '#' starts a comment.
type Expectations map[string]string

// ParseExpectations reads an expectations file.
func ParseExpectations(r io.Reader) (Expectations, error) {
	e, err := expectations.Parse(r)
	return Expectations(e), err
}

// Key is how a failure is named in an expectations file.
func Key(relFile string, line int) string { return fmt.Sprintf("%s:%d", relFile, line) }
