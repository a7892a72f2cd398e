package interp

import (
	"fmt"

	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

func (t *translator) simd(in *wasm.Instr, s *validator.State) error {
	return fmt.Errorf("interp: SIMD instruction %s not supported yet", in.Op)
}
