package disasmtest

func llvmFPCases() []form { return nil }
