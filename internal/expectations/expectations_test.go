package expectations

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	e, err := Parse(strings.NewReader("# known failures\n\nrust/a  reason one\nc/b reason two \n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(e) != 2 || e["rust/a"] != "reason one" || e["c/b"] != "reason two" {
		t.Fatalf("got %q", e)
	}
}

func TestParseNeedsReason(t *testing.T) {
	if _, err := Parse(strings.NewReader("ok fine\nbare\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("an entry without a reason: err = %v, want one naming line 2", err)
	}
}
