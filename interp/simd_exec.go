package interp

func simdOp(regs []uint64, in *instr, code *Code) {}

func simdLoad(regs []uint64, in *instr, mem []byte) bool { return false }

func simdStore(regs []uint64, in *instr, mem []byte) bool { return false }
