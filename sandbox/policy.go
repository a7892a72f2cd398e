package sandbox

import (
	"errors"
	"fmt"
	"net/netip"
	"path"
	"path/filepath"
	"strings"
)

// Policy is the whitelist of capabilities a guest is granted. The zero value
// grants nothing: no files, no environment, no network, no name resolution,
// no child processes. A nil *Policy also grants nothing.
//
// A Policy is plain data; build it, call Validate once, and then share it
// read-only between goroutines (the Check methods never modify it).
type Policy struct {
	// Mounts are the host directories visible to the guest.
	Mounts []Mount `json:"mounts,omitempty"`
	// Env is the guest's entire environment, as "NAME=value" strings.
	// Nothing from the host environment is passed on implicitly.
	Env []string `json:"env,omitempty"`
	// Network lists the addresses the guest may reach or serve on.
	Network NetworkPolicy `json:"network"`
	// Spawn controls whether the guest may start processes.
	Spawn SpawnPolicy `json:"spawn"`
}

// Mount maps a host directory into the guest's file namespace.
type Mount struct {
	// HostPath is an absolute host directory.
	HostPath string `json:"host"`
	// GuestPath is the name the guest sees: an absolute path such as "/data",
	// or a relative preopen name such as "." (which covers every relative
	// guest path, the way WASI preview 1 programs use it).
	GuestPath string `json:"guest"`
	// ReadOnly forbids every modification below the mount.
	ReadOnly bool `json:"read_only,omitempty"`
}

// NetworkPolicy lists network capabilities. Empty lists grant nothing.
type NetworkPolicy struct {
	// Connect lists peers the guest may talk to: TCP connect, UDP
	// connect/send, and UDP receive (a datagram from a peer outside these
	// rules is refused).
	Connect []NetRule `json:"connect,omitempty"`
	// Bind lists local addresses the guest may bind; TCP rules also allow
	// listen (and so accept) on the bound socket. Port 0 in a rule allows
	// binding with port 0, that is an ephemeral port chosen by the host.
	Bind []NetRule `json:"bind,omitempty"`
	// Resolve allows host name resolution.
	Resolve bool `json:"resolve,omitempty"`
}

// SpawnPolicy controls process creation (spawn, exec, fork).
type SpawnPolicy struct {
	// Allow switches process creation on. Off by default.
	Allow bool `json:"allow,omitempty"`
	// Programs, when non-empty, restricts spawn/exec to these guest paths.
	Programs []string `json:"programs,omitempty"`
}

// Access is what an operation does to a path.
type Access uint8

const (
	// AccessRead covers open for reading, stat, readdir, readlink.
	AccessRead Access = 1 << iota
	// AccessWrite covers every modification: open for writing, create,
	// truncate, unlink, rename, link, symlink, mkdir, rmdir, set times.
	AccessWrite
)

// Validate checks that the policy is well formed: absolute, distinct mount
// points, well-formed environment entries without duplicates, usable network
// rules and absolute program paths. The Check methods assume a valid policy.
func (p *Policy) Validate() error {
	if p == nil {
		return nil
	}
	var errs []error
	seen := map[string]bool{}
	for i, m := range p.Mounts {
		if err := m.validate(); err != nil {
			errs = append(errs, fmt.Errorf("mount %d: %w", i, err))
			continue
		}
		g := cleanGuest(m.GuestPath)
		if seen[g] {
			errs = append(errs, fmt.Errorf("mount %d: guest path %q is mounted twice", i, m.GuestPath))
		}
		seen[g] = true
	}
	names := map[string]bool{}
	for i, kv := range p.Env {
		name, _, err := ParseEnv(kv)
		if err != nil {
			errs = append(errs, fmt.Errorf("env %d: %w", i, err))
			continue
		}
		if names[name] {
			errs = append(errs, fmt.Errorf("env %d: variable %q is set twice", i, name))
		}
		names[name] = true
	}
	for _, list := range []struct {
		name  string
		rules []NetRule
	}{{"connect", p.Network.Connect}, {"bind", p.Network.Bind}} {
		for i, r := range list.rules {
			if _, err := r.MarshalText(); err != nil {
				errs = append(errs, fmt.Errorf("network %s rule %d: %w", list.name, i, err))
			} else if list.name == "connect" && r.namesNoPeer() {
				errs = append(errs, fmt.Errorf("network connect rule %d: %v names no peer: the unspecified address means this host, so write 127.0.0.1 (or ::1) for it, or * for any address", i, r))
			}
		}
	}
	for i, prog := range p.Spawn.Programs {
		if !path.IsAbs(prog) {
			errs = append(errs, fmt.Errorf("spawn program %d: %q is not an absolute guest path", i, prog))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sandbox: invalid policy: %w", err)
	}
	return nil
}

func (m Mount) validate() error {
	if m.HostPath == "" || !filepath.IsAbs(m.HostPath) {
		return fmt.Errorf("host path %q is not absolute", m.HostPath)
	}
	if m.GuestPath == "" {
		return errors.New("empty guest path")
	}
	if strings.IndexByte(m.GuestPath, 0) >= 0 || strings.IndexByte(m.HostPath, 0) >= 0 {
		return errors.New("path contains a NUL byte")
	}
	if g := cleanGuest(m.GuestPath); g == ".." || strings.HasPrefix(g, "../") {
		return fmt.Errorf("guest path %q escapes its root", m.GuestPath)
	}
	return nil
}

// cleanGuest is path.Clean; relative names stay relative ("./x" -> "x").
func cleanGuest(p string) string { return path.Clean(p) }

// Check reports whether access is permitted by this mount alone.
func (m Mount) Check(op Op, guestPath string, access Access) error {
	if access&AccessWrite != 0 && m.ReadOnly {
		return deny(op, guestPath, DenyReadOnly, fmt.Sprintf("mount %q is read-only", m.GuestPath))
	}
	return nil
}

// CheckPath finds the mount that covers guestPath (the longest matching
// mount point) and checks access against it. It returns the mount and the
// path relative to the mount point ("." for the mount point itself), which
// is what the file system layer opens beneath the host directory.
//
// The decision is lexical: guestPath is cleaned and ".." may not climb above
// the mount point. Symbolic links are the file system layer's business (it
// must resolve beneath the mount, e.g. openat2 RESOLVE_BENEATH).
func (p *Policy) CheckPath(op Op, guestPath string, access Access) (Mount, string, error) {
	if p == nil || len(p.Mounts) == 0 {
		return Mount{}, "", deny(op, guestPath, DenyNotGranted, "no directories are mounted")
	}
	if guestPath == "" || strings.IndexByte(guestPath, 0) >= 0 {
		return Mount{}, "", deny(op, guestPath, DenyInvalid, "empty path or NUL byte in path")
	}
	clean := path.Clean(guestPath)
	abs := path.IsAbs(clean)
	if !abs && (clean == ".." || strings.HasPrefix(clean, "../")) {
		return Mount{}, "", deny(op, guestPath, DenyInvalid, "relative path escapes its root")
	}
	best, bestLen, rel := -1, -1, ""
	for i, m := range p.Mounts {
		mp := cleanGuest(m.GuestPath)
		if path.IsAbs(mp) != abs {
			continue
		}
		r, ok := beneath(mp, clean)
		if ok && len(mp) > bestLen {
			best, bestLen, rel = i, len(mp), r
		}
	}
	if best < 0 {
		return Mount{}, "", deny(op, guestPath, DenyNotGranted, "path is outside every mounted directory")
	}
	m := p.Mounts[best]
	if err := m.Check(op, guestPath, access); err != nil {
		return Mount{}, "", err
	}
	return m, rel, nil
}

// beneath reports whether clean is mountPoint or below it, and returns the
// remainder. Both arguments are cleaned and of the same kind (absolute or
// relative); the relative mount point "." covers every relative path.
func beneath(mountPoint, clean string) (string, bool) {
	switch {
	case mountPoint == clean:
		return ".", true
	case mountPoint == "/" || mountPoint == ".":
		return strings.TrimPrefix(clean, "/"), true
	case strings.HasPrefix(clean, mountPoint) && clean[len(mountPoint)] == '/':
		return clean[len(mountPoint)+1:], true
	}
	return "", false
}

// CheckConnect decides whether the guest may exchange traffic with the peer
// ap over proto (ProtoTCP or ProtoUDP): TCP connect, UDP connect and send.
// The peer is checked as PeerAddr(ap), the address the host connects to.
func (p *Policy) CheckConnect(ap netip.AddrPort, proto Proto) error {
	return p.checkNet(OpConnect, p.connectRules(), PeerAddr(ap), proto, "no connect rule matches")
}

// CheckSend decides whether a UDP datagram may be sent to ap (checked as
// PeerAddr(ap)).
func (p *Policy) CheckSend(ap netip.AddrPort) error {
	return p.checkNet(OpSend, p.connectRules(), PeerAddr(ap), ProtoUDP, "no connect rule matches the destination")
}

// CheckRecv decides whether a UDP datagram received from ap may be delivered.
func (p *Policy) CheckRecv(ap netip.AddrPort) error {
	return p.checkNet(OpRecv, p.connectRules(), ap, ProtoUDP, "no connect rule matches the sender")
}

// CheckBind decides whether the guest may bind a socket of proto to the
// local address ap (port 0 asks the host for an ephemeral port, and needs a
// rule that includes port 0).
func (p *Policy) CheckBind(ap netip.AddrPort, proto Proto) error {
	return p.checkNet(OpBind, p.bindRules(), ap, proto, "no bind rule matches")
}

// CheckListen decides whether a TCP socket bound to ap may listen (and
// then accept connections from any peer). Pass the address as it was
// requested and checked at bind time (port 0 for an ephemeral port), not the
// port the host assigned; a listen on an unbound socket binds implicitly to
// the unspecified address with port 0 (0.0.0.0:0 or [::]:0), which is what
// to check.
func (p *Policy) CheckListen(ap netip.AddrPort) error {
	return p.checkNet(OpListen, p.bindRules(), ap, ProtoTCP, "no bind rule matches")
}

func (p *Policy) connectRules() []NetRule {
	if p == nil {
		return nil
	}
	return p.Network.Connect
}

func (p *Policy) bindRules() []NetRule {
	if p == nil {
		return nil
	}
	return p.Network.Bind
}

func (p *Policy) checkNet(op Op, rules []NetRule, ap netip.AddrPort, proto Proto, reason string) error {
	if !ap.Addr().IsValid() || (proto != ProtoTCP && proto != ProtoUDP) {
		return deny(op, netTarget(ap, proto), DenyInvalid, "invalid address or protocol")
	}
	for _, r := range rules {
		if r.Matches(ap, proto) {
			return nil
		}
	}
	return deny(op, netTarget(ap, proto), DenyNotGranted, reason)
}

func netTarget(ap netip.AddrPort, proto Proto) string {
	return ap.String() + "/" + proto.String()
}

// CheckResolve decides whether the guest may resolve host names.
func (p *Policy) CheckResolve(name string) error {
	if p == nil || !p.Network.Resolve {
		return deny(OpResolve, name, DenyDisabled, "name resolution is not allowed")
	}
	return nil
}

// CheckSpawn decides whether the guest may start program as a new process
// (op OpSpawn), replace its own image with it (OpExec), or fork (OpSpawn
// with program ""; a fork is allowed whenever spawning is).
func (p *Policy) CheckSpawn(op Op, program string) error {
	if p == nil || !p.Spawn.Allow {
		return deny(op, program, DenyDisabled, "process creation is not allowed")
	}
	if len(p.Spawn.Programs) == 0 || (op == OpSpawn && program == "") {
		return nil // no program list, or a fork (which runs the same program)
	}
	clean := path.Clean(program)
	for _, allowed := range p.Spawn.Programs {
		if path.Clean(allowed) == clean {
			return nil
		}
	}
	return deny(op, program, DenyNotGranted, "program is not in the spawn list")
}

// Environ returns a copy of the guest environment ("NAME=value" strings).
func (p *Policy) Environ() []string {
	if p == nil {
		return nil
	}
	return append([]string(nil), p.Env...)
}

// SetEnv sets NAME to value, replacing an earlier entry of the same name.
func (p *Policy) SetEnv(name, value string) {
	prefix := name + "="
	for i, kv := range p.Env {
		if strings.HasPrefix(kv, prefix) {
			p.Env[i] = prefix + value
			return
		}
	}
	p.Env = append(p.Env, prefix+value)
}
