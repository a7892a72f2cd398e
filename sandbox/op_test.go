package sandbox

import "testing"

// Audit records and denial errors name operations by these strings, and
// log readers match on them: each must be distinct and stable.
func TestOpNames(t *testing.T) {
	seen := map[string]Op{}
	for o := OpUnknown; o < opCount; o++ {
		name := o.String()
		if name == "" || (name == "unknown" && o != OpUnknown) {
			t.Errorf("op %d has no name", o)
		}
		if prev, dup := seen[name]; dup {
			t.Errorf("ops %d and %d are both named %q", prev, o, name)
		}
		seen[name] = o
	}
	for o, want := range map[Op]string{OpOpen: "open", OpSymlink: "symlink", OpPolicyDenial: "policy_denial", opCount: "unknown"} {
		if got := o.String(); got != want {
			t.Errorf("Op(%d).String() = %q, want %q", o, got, want)
		}
	}
}
