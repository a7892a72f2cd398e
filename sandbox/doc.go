// Package sandbox holds kiln's security controls: the policy (what a guest
// may do), quotas (how much it may use), module signatures (which code may
// run at all) and the audit log (what it did). It makes decisions and keeps
// records; it performs no system calls on the guest's behalf. The kernel
// asks it before every sensitive operation and turns a refusal into the
// errno the guest sees (EACCES, EPERM, ENOTCAPABLE, ...): a denial is never
// a panic and never a host error.
//
// The package depends only on the standard library and internal/leb128.
//
// # Policy: least privilege by default
//
// A Policy is a whitelist. Its zero value (and a nil *Policy) grants
// nothing: no files, no environment, no network, no name resolution, no
// process creation. Every grant is explicit:
//
//   - Mounts: host directory, guest path, read-only or read-write.
//     CheckPath picks the longest mount point covering a guest path and
//     returns the mount and the path relative to it; a write (AccessWrite:
//     create, truncate, unlink, rename, link, mkdir, rmdir, ...) below a
//     read-only mount is refused. The check is lexical; the file system
//     layer must still resolve symbolic links beneath the host directory.
//   - Env: the complete guest environment as NAME=value strings. Nothing
//     is inherited from the host.
//   - Network.Connect: peers (CIDR range and port range, TCP and/or UDP)
//     for TCP connect, UDP connect/send and UDP receive. Network.Bind: local
//     addresses the guest may bind; TCP bind rules also allow listen and
//     accept. Port 0 in a bind rule means "an ephemeral port". Addresses are
//     compared with IPv6 zones removed and IPv4-mapped IPv6 addresses
//     unmapped. Network.Resolve switches name resolution on.
//   - Spawn: process creation (spawn, exec, fork) is off unless Allow is
//     set; Programs optionally restricts it to listed guest paths.
//
// Policy.Net returns the network checks with the protocol named as a
// string ("tcp", "udp"): the method set of kernel.NetPolicy (CheckConnect,
// CheckBind) and of its optional extensions kernel.ListenPolicy,
// kernel.RecvPolicy and kernel.ResolvePolicy (CheckListen, CheckRecv,
// CheckResolve), so a runtime passes policy.Net() to the kernel without
// this package importing it. Package kernel adapts the file checks and the
// Auditor to its hooks (kernel.SandboxFiles, kernel.SandboxAuditor).
//
// Every Check method returns nil or a *Denied error (matching ErrDenied)
// with the operation, the target, a DenyCode for errno mapping and a
// reason. A policy is built from Go code, from a JSON file (ParsePolicy,
// LoadPolicy) or from command-line flags (RegisterFlags, or the parsers
// ParseMount, ParseEnv, ParseNetRule, ParseListenRule). Call Validate after
// building one from Go code; the parsers validate for you.
//
// Flag syntax:
//
//	--dir HOST[::GUEST][:ro|:rw]      --dir ./site::/www:ro
//	--env NAME=value                  --env LANG=C.UTF-8
//	--allow-connect [tcp:|udp:]ADDR:PORTS
//	                                  --allow-connect 127.0.0.1:8080
//	                                  --allow-connect 10.0.0.0/8:1000-2000
//	                                  --allow-connect udp:[2001:db8::/32]:53
//	--allow-bind [tcp:|udp:]ADDR:PORTS
//	--allow-listen ADDR:PORTS         --allow-listen 127.0.0.1:0
//	--allow-resolve, --allow-spawn, --allow-program /bin/tool.wasm
//
// ADDR is an IPv4 address or CIDR range, an IPv6 one in brackets, or "*"
// (every address); PORTS is N, N-M or "*". Without a protocol prefix a rule
// covers TCP and UDP. Host names are not accepted in rules.
//
// JSON policy file (unknown fields are errors; rules use the flag syntax):
//
//	{
//	  "mounts": [
//	    {"host": "/srv/site", "guest": "/www", "read_only": true},
//	    {"host": "/tmp/scratch", "guest": "/tmp"}
//	  ],
//	  "env": ["LANG=C.UTF-8", "HOME=/tmp"],
//	  "network": {
//	    "connect": ["10.0.0.0/8:1000-2000", "tcp:127.0.0.1:5432", "udp:[::1]:53"],
//	    "bind": ["tcp:127.0.0.1:0", "udp:0.0.0.0:9999"],
//	    "resolve": false
//	  },
//	  "spawn": {"allow": true, "programs": ["/bin/helper.wasm"]}
//	}
//
// # Quotas
//
// Limits caps linear memory bytes, table elements, fuel, CPU time, wall
// time, open descriptors, threads, processes, sockets, bytes written to
// files and bytes sent/received. Zero means unlimited, field by field. An
// Account tracks usage for a guest (a process tree shares one): Acquire
// charges and either succeeds or returns a *QuotaExceeded (matching
// ErrQuotaExceeded) naming the resource and charges nothing; Release gives
// back gauge resources (memory, tables, descriptors, threads, processes,
// sockets). For transfers that may be shortened, AcquireUpTo charges as
// much as is left and Refund gives back the part a short transfer did not
// use (the only way a cumulative resource goes down). It is lock-free and safe for concurrent use. A nil *Account
// allows everything and does no work at all, the fast path for "no
// quotas"; an unlimited resource on a non-nil Account costs one atomic add.
// Wall time runs from NewAccount: Context derives a context cancelled at the
// deadline (cause: a *QuotaExceeded), CheckWallTime can be polled.
//
// Limits.RegisterFlags adds --max-memory SIZE, --max-table-elements N,
// --fuel N, --max-cpu-time D, --timeout D, --max-fds N, --max-threads N,
// --max-procs N, --max-sockets N, --max-file-write SIZE, --max-net-send SIZE
// and --max-net-recv SIZE (SIZE takes K/M/G/T suffixes, powers of 1024; D is
// a Go duration such as 1m30s). In JSON, Limits is an object with the keys
// memory_bytes, table_elements, fuel, cpu_time, wall_time, descriptors,
// threads, processes, sockets, file_write_bytes, net_send_bytes and
// net_recv_bytes; sizes are numbers or strings ("64M"), durations strings
// ("30s") or numbers of nanoseconds; omitted keys are unlimited:
//
//	{"memory_bytes": "256M", "fuel": 100000000, "wall_time": "30s", "threads": 8}
//
// # Module signatures
//
// Ed25519 signatures in the WebAssembly tool-conventions "Signatures"
// format (Signatures.md in github.com/WebAssembly/tool-conventions, as
// written by the reference tool wasmsign2):
//
//   - The signature data is either the payload of a custom section named
//     "signature" that must be the module's first section (SignModule), or
//     the same bytes kept in a separate file (SignDetached, "detached").
//   - Data: spec version 0x01, content type 0x01 (module), hash function
//     0x01 (SHA-256), a varuint32 count of signed hash sets, each a
//     varuint32-length-prefixed record of: varuint32 hash count, the 32-byte
//     hashes, varuint32 signature count, and that many
//     varuint32-length-prefixed signature records (varuint32 key id length,
//     key id, algorithm byte 0x01 = Ed25519, varuint32 length, signature).
//   - Hashes are rolling SHA-256 hashes of the sections that follow the
//     signature section, as raw bytes (id, size, payload), taken at each
//     "signature_delimiter" custom section and at the end of the module.
//     The signed message is "wasmsig" ‖ 0x01 ‖ 0x01 ‖ 0x01 ‖ h1 ‖ ... ‖ hn.
//   - Several parties can sign: signing a signed module adds a record.
//
// A Verifier (trusted keys, RequireSignature) accepts a module when the
// hash of every byte after the signature section is among the signed
// hashes and a signature over them verifies with a trusted key. Errors
// match ErrVerification and say why: ErrUnsigned, ErrNoTrustedKeys,
// ErrModuleModified, ErrUntrustedSignature, ErrMalformedModule or
// ErrMalformedSignature. Verification runs on the raw bytes, before the
// decoder sees the module; the top-level layout (preamble, section ids and
// LEB128 sizes, custom section names) is parsed here with offset-carrying
// errors and never panics.
//
// Where kiln differs from the convention:
//
//   - The 8-byte preamble is not hashed (as in the convention) but must be
//     exactly a version-1 core module preamble, which is what content type
//     0x01 in the signed message stands for; so a change to any byte outside
//     the signature section fails verification.
//   - Sections are hashed as they lie in the file. wasmsign2 hashes sections
//     re-encoded with minimal LEB128 sizes; the two agree on every module
//     whose section headers are minimal, including all modules wasmsign2
//     writes.
//   - Only whole-module verification is offered: partial signatures (hash
//     sets that do not reach the end of the module) never verify, as the
//     convention recommends by default. Delimiters are honoured when hashing
//     but kiln's signer does not insert any.
//   - The signer does not add a trailing delimiter, so adding sections to a
//     signed module invalidates its signature.
//   - Key ids are free-form text; a record's key id is a hint (it is not
//     signed) and only selects which trusted keys are tried.
//   - A "signature" section anywhere but first is an error, not skipped.
//
// Key files are PEM, with the key in the convention's binary form as body:
//
//	-----BEGIN KILN ED25519 PUBLIC KEY-----
//	Key-Id: release-2026          (optional)
//
//	base64(0x01 ‖ 32-byte public key)
//	-----END KILN ED25519 PUBLIC KEY-----
//
// and "KILN ED25519 SECRET KEY" with body 0x81 ‖ 32-byte seed ‖ 32-byte
// public key. The raw 33- and 65-byte binary forms are accepted too. Secret
// key files are written with mode 0600 and never overwrite a file.
//
// # Audit
//
// An Auditor writes one log/slog record per sensitive operation: time,
// module, process and thread id, operation (open, create, unlink, rename,
// link, symlink, set_times, mkdir, rmdir, connect, bind, listen, accept, send, recv, resolve,
// spawn, exec, signal, policy_denial, quota, audit_limit), its arguments
// (path, and the path as the guest wrote it when that differs, path2,
// addr, proto, program, signal, target), decision (allowed/denied) and
// result ("ok" or the error). Allowed operations log at Info, denials and
// quota hits at Warn; the message is always "audit". NewJSONAuditor writes
// JSON lines to an io.Writer, NewAuditor takes any slog.Handler. Auditing
// is off by default: a nil *Auditor returns at once without allocating, so
// callers may call Record or RecordResult unconditionally and guard only
// costly argument building with Enabled. RecordResult takes the error a
// Check method or Account.Acquire returned and fills in the decision:
// *Denied and *QuotaExceeded are "denied" with the reason in "detail", any
// other error is an allowed operation that failed on the host.
//
// A guest decides how often its operations are refused, so an Auditor
// bounds its output (AuditLimits): records of one kind beyond a burst and
// a rate are counted and reported in one "suppressed" record, and a JSON
// auditor may have a byte quota (MaxBytes) after which records are counted
// as "dropped". Flush writes the pending counts; call it when the guest
// ends.
package sandbox
