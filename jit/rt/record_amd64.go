package rt

// The return record of a CALL: the 8-byte return address (see Site).
const (
	FrameRecord    = 8
	FrameRecordRet = 0
)
