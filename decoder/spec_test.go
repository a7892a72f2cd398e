package decoder

import (
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wasm"
)

// wellFormedCommands are the script commands whose binary module must
// decode (it may still fail validation, linking or instantiation later).
var wellFormedCommands = map[string]bool{
	"assert_invalid":        true,
	"assert_unlinkable":     true,
	"assert_trap":           true,
	"assert_uninstantiable": true,
	"assert_exhaustion":     true,
	"assert_return":         true,
}

// TestSpecBinaryModules decodes every (module binary ...) of the 2.0 suite:
// those under assert_malformed must be rejected with the expected message,
// all others must decode.
func TestSpecBinaryModules(t *testing.T) {
	dir := testsuite.Spec(t, "wasm-2.0")
	var malformed, rejected, messages, wellFormed, accepted int
	for _, script := range testsuite.Scripts(t, dir) {
		name := script.Name
		for _, f := range script.Forms {
			if !f.IsList || len(f.List) == 0 {
				continue
			}
			head := f.List[0].Atom
			switch {
			case head == "module":
				bin, ok := testsuite.BinaryModule(f)
				if !ok {
					continue
				}
				wellFormed++
				if _, err := Decode(bin, wasm.Features2); err != nil {
					t.Errorf("%s:%d: well-formed module rejected: %v", name, f.Line, err)
					continue
				}
				accepted++
			case head == "assert_malformed" && len(f.List) >= 3:
				bin, ok := testsuite.BinaryModule(f.List[1])
				if !ok {
					continue
				}
				want := f.List[2].Atom
				malformed++
				_, err := Decode(bin, wasm.Features2)
				if err == nil {
					t.Errorf("%s:%d: malformed module accepted (want %q)", name, f.Line, want)
					continue
				}
				rejected++
				var de *Error
				if !errors.As(err, &de) || !errors.Is(err, wasm.ErrMalformed) {
					t.Errorf("%s:%d: error %v is not a *decoder.Error wrapping ErrMalformed", name, f.Line, err)
					continue
				}
				if !strings.HasPrefix(de.Msg, want) {
					t.Errorf("%s:%d: message %q, want %q", name, f.Line, de.Msg, want)
					continue
				}
				messages++
			case wellFormedCommands[head] && len(f.List) >= 2:
				bin, ok := testsuite.BinaryModule(f.List[1])
				if !ok {
					continue
				}
				wellFormed++
				if _, err := Decode(bin, wasm.Features2); err != nil {
					t.Errorf("%s:%d: well-formed module (%s) rejected: %v", name, f.Line, head, err)
					continue
				}
				accepted++
			}
		}
	}
	t.Logf("binary modules expected malformed rejected %d/%d, expected well-formed accepted %d/%d, message matches %d/%d",
		rejected, malformed, accepted, wellFormed, messages, malformed)
	if malformed == 0 || wellFormed == 0 {
		t.Errorf("found no binary modules in %s", dir)
	}
}
