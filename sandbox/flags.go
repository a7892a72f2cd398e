package sandbox

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
)

// ParseMount parses the value of a --dir flag:
//
//	HOST[::GUEST][:ro|:rw]
//
// HOST is made absolute (relative to the current directory). GUEST defaults
// to HOST exactly as written, so "--dir ." preopens "." and "--dir /srv"
// mounts /srv at /srv. A trailing ":ro" makes the mount read-only, ":rw"
// (the default) read-write. Whatever follows the last single ':' is a
// mode, and any other mode is an error (so a misspelt ":RO" never mounts
// a writable "/data:RO"): a guest path containing ':' needs an explicit
// mode ("/srv::/a:b:rw"), a host path containing ':' an explicit guest
// path. HOST:GUEST, the syntax of other tools, is refused with a hint.
func ParseMount(s string) (Mount, error) {
	orig := s
	var m Mount
	host, guest, hasGuest := strings.Cut(s, "::")
	tail := &host
	if hasGuest {
		tail = &guest
	}
	if i := strings.LastIndexByte(*tail, ':'); i >= 0 {
		mode := (*tail)[i+1:]
		switch mode {
		case "ro":
			m.ReadOnly = true
		case "rw":
		default:
			if !hasGuest && (strings.HasPrefix(mode, "/") || strings.HasPrefix(mode, ".")) {
				return Mount{}, otherSyntax(orig, host, "")
			}
			return Mount{}, fmt.Errorf("sandbox: --dir %q: unknown mode %q (accepted modes: ro, rw; the syntax is HOST[::GUEST][:ro|:rw])", orig, mode)
		}
		*tail = (*tail)[:i]
		if !hasGuest && strings.IndexByte(host, ':') >= 0 {
			return Mount{}, otherSyntax(orig, host, ":"+mode) // "a:/b:ro"
		}
	}
	if host == "" {
		return Mount{}, fmt.Errorf("sandbox: --dir %q: missing host directory (want HOST[::GUEST][:ro])", orig)
	}
	if hasGuest && guest == "" {
		return Mount{}, fmt.Errorf("sandbox: --dir %q: empty guest path after '::'", orig)
	}
	if !hasGuest {
		guest = host
	}
	abs, err := filepath.Abs(host)
	if err != nil {
		return Mount{}, fmt.Errorf("sandbox: --dir %q: %w", orig, err)
	}
	m.HostPath, m.GuestPath = abs, cleanGuest(guest)
	if err := m.validate(); err != nil {
		return Mount{}, fmt.Errorf("sandbox: --dir %q: %w", orig, err)
	}
	return m, nil
}

// otherSyntax is the error for another tool's HOST:GUEST[:MODE] syntax.
func otherSyntax(orig, hostGuest, mode string) error {
	h, g, _ := strings.Cut(hostGuest, ":")
	return fmt.Errorf("sandbox: --dir %q: HOST:GUEST is not kiln's syntax; did you mean %q?", orig, h+"::"+g+mode)
}

// String returns the mount in ParseMount syntax.
func (m Mount) String() string {
	s := m.HostPath + "::" + m.GuestPath
	if m.ReadOnly {
		s += ":ro"
	}
	return s
}

// ParseEnv splits the value of an --env flag, "NAME=value". The name must be
// non-empty and contain neither '=' nor NUL; the value may be empty.
func ParseEnv(s string) (name, value string, err error) {
	name, value, ok := strings.Cut(s, "=")
	switch {
	case !ok:
		return "", "", fmt.Errorf("sandbox: --env %q: want NAME=value", s)
	case name == "":
		return "", "", fmt.Errorf("sandbox: --env %q: empty variable name", s)
	case strings.IndexByte(s, 0) >= 0:
		return "", "", fmt.Errorf("sandbox: --env %q: NUL byte", s)
	}
	return name, value, nil
}

// RegisterFlags adds the policy flags to fs; each flag edits p as it is
// parsed:
//
//	--dir HOST[::GUEST][:ro]          mount a host directory (repeatable)
//	--env NAME=value                  set a guest variable (repeatable)
//	--allow-connect [PROTO:]ADDR:PORTS allow connecting/sending to peers (repeatable)
//	--allow-bind [PROTO:]ADDR:PORTS    allow binding local addresses (repeatable)
//	--allow-listen ADDR:PORTS          allow TCP bind+listen (repeatable)
//	--allow-resolve                   allow host name resolution
//	--allow-spawn                     allow creating processes
//	--allow-program PATH              restrict spawn/exec to PATH (repeatable)
//
// The Go flag package accepts both -name and --name.
func (p *Policy) RegisterFlags(fs *flag.FlagSet) {
	fs.Func("dir", "mount a host directory: HOST[::GUEST][:ro] (repeatable)", func(s string) error {
		m, err := ParseMount(s)
		if err != nil {
			return err
		}
		p.Mounts = append(p.Mounts, m)
		return nil
	})
	fs.Func("env", "set a guest environment variable: NAME=value (repeatable)", func(s string) error {
		name, value, err := ParseEnv(s)
		if err != nil {
			return err
		}
		p.SetEnv(name, value)
		return nil
	})
	fs.Func("allow-connect", "allow connecting to [tcp:|udp:]ADDR[/BITS]:PORT[-PORT] (repeatable)", func(s string) error {
		r, err := ParseNetRule(s)
		if err != nil {
			return err
		}
		p.Network.Connect = append(p.Network.Connect, r)
		return nil
	})
	fs.Func("allow-bind", "allow binding to [tcp:|udp:]ADDR[/BITS]:PORT[-PORT] (repeatable)", func(s string) error {
		r, err := ParseNetRule(s)
		if err != nil {
			return err
		}
		p.Network.Bind = append(p.Network.Bind, r)
		return nil
	})
	fs.Func("allow-listen", "allow TCP listening on ADDR[/BITS]:PORT[-PORT] (repeatable)", func(s string) error {
		r, err := ParseListenRule(s)
		if err != nil {
			return err
		}
		p.Network.Bind = append(p.Network.Bind, r)
		return nil
	})
	fs.BoolFunc("allow-resolve", "allow host name resolution", func(s string) error {
		v, err := parseBool(s)
		p.Network.Resolve = v
		return err
	})
	fs.BoolFunc("allow-spawn", "allow creating processes", func(s string) error {
		v, err := parseBool(s)
		p.Spawn.Allow = v
		return err
	})
	fs.Func("allow-program", "restrict spawn/exec to this guest path (repeatable)", func(s string) error {
		if !strings.HasPrefix(s, "/") {
			return fmt.Errorf("sandbox: --allow-program %q: want an absolute guest path", s)
		}
		p.Spawn.Programs = append(p.Spawn.Programs, s)
		return nil
	})
}

// ParseListenRule parses the value of --allow-listen: the ParseNetRule
// syntax, always TCP ("udp:" is an error, "tcp:" is optional).
func ParseListenRule(s string) (NetRule, error) {
	r, err := ParseNetRule(s)
	if err != nil {
		return NetRule{}, err
	}
	if r.Proto == ProtoUDP {
		return NetRule{}, fmt.Errorf("sandbox: --allow-listen %q: listening is TCP only (use --allow-bind for UDP)", s)
	}
	r.Proto = ProtoTCP
	return r, nil
}

func parseBool(s string) (bool, error) {
	switch s {
	case "true", "1", "":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, errors.New("want true or false")
}
