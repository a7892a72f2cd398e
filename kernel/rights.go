package kernel

// Rights are WASI preview 1 descriptor rights (witx bit order).
type Rights uint64

// Individual rights.
const (
	RightFDDatasync Rights = 1 << iota
	RightFDRead
	RightFDSeek
	RightFDFdstatSetFlags
	RightFDSync
	RightFDTell
	RightFDWrite
	RightFDAdvise
	RightFDAllocate
	RightPathCreateDirectory
	RightPathCreateFile
	RightPathLinkSource
	RightPathLinkTarget
	RightPathOpen
	RightFDReaddir
	RightPathReadlink
	RightPathRenameSource
	RightPathRenameTarget
	RightPathFilestatGet
	RightPathFilestatSetSize
	RightPathFilestatSetTimes
	RightFDFilestatGet
	RightFDFilestatSetSize
	RightFDFilestatSetTimes
	RightPathSymlink
	RightPathRemoveDirectory
	RightPathUnlinkFile
	RightPollFDReadwrite
	RightSockShutdown
	RightSockAccept

	// RightsAll is every defined right.
	RightsAll = RightSockAccept<<1 - 1
)

// Right sets by kind of descriptor: what makes sense on it.
const (
	// RightsFile are the rights of a regular file.
	RightsFile = RightFDDatasync | RightFDRead | RightFDSeek |
		RightFDFdstatSetFlags | RightFDSync | RightFDTell | RightFDWrite |
		RightFDAdvise | RightFDAllocate | RightFDFilestatGet |
		RightFDFilestatSetSize | RightFDFilestatSetTimes | RightPollFDReadwrite

	// RightsDir are the rights of a directory.
	RightsDir = RightFDDatasync | RightFDFdstatSetFlags | RightFDSync |
		RightPathCreateDirectory | RightPathCreateFile | RightPathLinkSource |
		RightPathLinkTarget | RightPathOpen | RightFDReaddir |
		RightPathReadlink | RightPathRenameSource | RightPathRenameTarget |
		RightPathFilestatGet | RightPathFilestatSetSize |
		RightPathFilestatSetTimes | RightFDFilestatGet |
		RightFDFilestatSetTimes | RightPathSymlink |
		RightPathRemoveDirectory | RightPathUnlinkFile

	// RightsStream are the rights of a character device, pipe or stream
	// (no seek or tell, which is how WASI libcs recognise a terminal).
	RightsStream = RightFDRead | RightFDWrite | RightFDFdstatSetFlags |
		RightFDFilestatGet | RightPollFDReadwrite | RightFDDatasync | RightFDSync

	// RightsSocket are the rights of a socket.
	RightsSocket = RightFDRead | RightFDWrite | RightFDFdstatSetFlags |
		RightFDFilestatGet | RightPollFDReadwrite | RightSockShutdown |
		RightSockAccept
)

// Has reports whether r includes all of want.
func (r Rights) Has(want Rights) bool { return r&want == want }
