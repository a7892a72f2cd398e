package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// opKind is how inst dispatches an operation, with its instruction,
// condition, float instructions or exit in the tables below: inst is
// asked of every instruction, and the maps they come from cost a lookup
// each (the baseline compiler calls it for every wasm instruction).
type opKind uint8

const (
	kindOther opKind = iota
	kindALU
	kindShift
	kindCompare
	kindFloat
	kindExit
)

var (
	opKinds  [ir.NumOps]opKind
	opInsts  [ir.NumOps]amd64.Op    // kindALU, kindShift
	opConds  [ir.NumOps]amd64.Cond  // kindCompare
	opFloats [ir.NumOps][2]amd64.Op // kindFloat
	opExits  [ir.NumOps]rt.ExitCode // kindExit
)

func init() {
	for op, i := range aluOps {
		opKinds[op], opInsts[op] = kindALU, i
	}
	for op, i := range shiftOps {
		opKinds[op], opInsts[op] = kindShift, i
	}
	for op, c := range compareConds {
		opKinds[op], opConds[op] = kindCompare, c
	}
	for op, f := range floatOps {
		opKinds[op], opFloats[op] = kindFloat, f
	}
	for op, e := range regalloc.RuntimeExits {
		opKinds[op], opExits[op] = kindExit, e
	}
}

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
