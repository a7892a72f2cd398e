package codegen

import "github.com/kilnrt/kiln/jit/ir"

// loweredOps and firstReusing are lowers and reusesFirst's answers by
// operation, computed once: both are asked for every instruction of
// every function, and each answer was several map lookups.
var loweredOps, firstReusing [ir.NumOps]bool

func init() {
	for op := ir.Op(0); op < ir.NumOps; op++ {
		loweredOps[op] = lowers(op)
		_, alu := aluOps[op]
		_, shift := shiftOps[op]
		_, fl := floatOps[op]
		firstReusing[op] = alu || shift || fl
	}
}

// lowered reports whether the back end lowers op (lowers).
func lowered(op ir.Op) bool { return op < ir.NumOps && loweredOps[op] }
