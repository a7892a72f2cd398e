package interp

import (
	"fmt"
	"strings"
)

// String disassembles the code, one instruction per line (for debugging
// and tests).
func (c *Code) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "func[%d] params=%d locals=%d results=%d frame=%d\n", c.funcIndex, c.numParams, c.numLocals, c.numResults, c.frameSize)
	for pc, in := range c.instrs {
		fmt.Fprintf(&b, "%4d  %-16s a=%d b=%d c=%d imm=%d\n", pc, in.op, in.a, in.b, in.c, in.imm)
	}
	return b.String()
}

// String returns the instruction's name (see opnames.go, generated from
// the constants of ops.go).
func (o opcode) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return "op?"
}
