package rt

// The return record of arm64 machine code: {X29, X30} stored as a pair,
// the return address (X30) second (see Site).
const (
	FrameRecord    = 16
	FrameRecordRet = 8
)
