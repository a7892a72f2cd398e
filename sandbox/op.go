package sandbox

// Op names a sensitive operation. The same names appear in denial errors and
// in audit records, so a log line can be matched to the check that produced it.
type Op uint8

// Operations checked by the policy or recorded by the audit log.
const (
	OpUnknown Op = iota
	OpOpen
	OpCreate
	OpUnlink
	OpRename
	OpLink
	OpMkdir
	OpRmdir
	OpConnect
	OpBind
	OpListen
	OpAccept
	OpSend
	OpRecv
	OpResolve
	OpSpawn
	OpExec
	OpSignal
	OpPolicyDenial
	OpQuota
	OpSymlink // added after the others so that existing values stay stable
	OpSetTimes
	OpAuditLimit // the audit log's own size limit was reached
	opCount
)

var opNames = [opCount]string{
	OpUnknown:      "unknown",
	OpOpen:         "open",
	OpCreate:       "create",
	OpUnlink:       "unlink",
	OpRename:       "rename",
	OpLink:         "link",
	OpMkdir:        "mkdir",
	OpRmdir:        "rmdir",
	OpConnect:      "connect",
	OpBind:         "bind",
	OpListen:       "listen",
	OpAccept:       "accept",
	OpSend:         "send",
	OpRecv:         "recv",
	OpResolve:      "resolve",
	OpSpawn:        "spawn",
	OpExec:         "exec",
	OpSignal:       "signal",
	OpPolicyDenial: "policy_denial",
	OpQuota:        "quota",
	OpSymlink:      "symlink",
	OpSetTimes:     "set_times",
	OpAuditLimit:   "audit_limit",
}

// String returns the lower-case name used in logs and errors.
func (o Op) String() string {
	if o < opCount {
		return opNames[o]
	}
	return "unknown"
}
