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
// (the default) read-write. A host path that itself ends in ":ro" must be
// followed by an explicit "::GUEST" or ":rw".
func ParseMount(s string) (Mount, error) {
	orig := s
	var m Mount
	switch {
	case strings.HasSuffix(s, ":ro"):
		m.ReadOnly, s = true, strings.TrimSuffix(s, ":ro")
	case strings.HasSuffix(s, ":rw"):
		s = strings.TrimSuffix(s, ":rw")
	}
	host, guest, hasGuest := strings.Cut(s, "::")
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
