package validator

import (
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wasm"
)

// validModuleCommands hold a module that must validate (it may fail to
// link or instantiate, which is not checked here).
var validModuleCommands = map[string]bool{
	"assert_unlinkable":     true,
	"assert_uninstantiable": true,
	"assert_trap":           true,
	"assert_exhaustion":     true,
}

// TestSpecBinaryModules validates every binary module of the 2.0 suite that
// is not expected to be malformed: modules under assert_invalid must be
// rejected with ErrInvalid (and the expected message), all others accepted.
func TestSpecBinaryModules(t *testing.T) {
	dir := testsuite.Spec(t, "wasm-2.0")
	var valid, accepted, invalid, rejected, messages int
	for _, script := range testsuite.Scripts(t, dir) {
		name := script.Name
		for _, f := range script.Forms {
			if !f.IsList || len(f.List) == 0 {
				continue
			}
			head := f.List[0].Atom
			var mod *testsuite.Sexpr
			switch {
			case head == "module":
				mod = f
			case (head == "assert_invalid" || validModuleCommands[head]) && len(f.List) >= 2:
				mod = f.List[1]
			default:
				continue
			}
			bin, ok := testsuite.BinaryModule(mod)
			if !ok {
				continue
			}
			m, err := decoder.Decode(bin, wasm.Features2)
			if err != nil {
				t.Errorf("%s:%d: decoding failed: %v", name, f.Line, err)
				continue
			}
			err = ValidateModule(m, wasm.Features2, nil)
			if head != "assert_invalid" {
				valid++
				if err != nil {
					t.Errorf("%s:%d: valid module rejected: %v", name, f.Line, err)
					continue
				}
				accepted++
				continue
			}
			invalid++
			want := ""
			if len(f.List) >= 3 && f.List[2].IsStr {
				want = f.List[2].Atom
			}
			if err == nil {
				t.Errorf("%s:%d: invalid module accepted (want %q)", name, f.Line, want)
				continue
			}
			if !errors.Is(err, wasm.ErrInvalid) {
				t.Errorf("%s:%d: error %v does not wrap ErrInvalid", name, f.Line, err)
				continue
			}
			rejected++
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s:%d: error %q does not contain %q", name, f.Line, err, want)
				continue
			}
			messages++
		}
	}
	t.Logf("valid binary modules accepted %d/%d; invalid rejected %d/%d, with the expected message %d/%d",
		accepted, valid, rejected, invalid, messages, invalid)
	if valid == 0 || invalid == 0 {
		t.Errorf("found no binary modules in %s", dir)
	}
}
