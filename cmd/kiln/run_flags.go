package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kilnrt/kiln/wasi"
)

// dirFlag collects --dir HOST[::GUEST][:ro].
type dirFlag struct{ mounts *[]wasi.Mount }

func (f dirFlag) String() string { return "" }

func (f dirFlag) Set(v string) error {
	m, err := parseDir(v)
	if err != nil {
		return err
	}
	*f.mounts = append(*f.mounts, m)
	return nil
}

// parseDir splits HOST[::GUEST][:ro]; the guest name defaults to the
// host path as written.
func parseDir(v string) (wasi.Mount, error) {
	var m wasi.Mount
	if strings.HasSuffix(v, ":ro") {
		m.ReadOnly = true
		v = strings.TrimSuffix(v, ":ro")
	}
	host, guest, found := strings.Cut(v, "::")
	if host == "" {
		return m, fmt.Errorf("%q: empty host directory (want HOST[::GUEST][:ro])", v)
	}
	if found && guest == "" {
		return m, fmt.Errorf("%q: empty guest name after '::'", v)
	}
	if !found {
		guest = host
	}
	m.HostDir, m.GuestPath = host, guest
	return m, nil
}

// envFlag collects --env KEY=VALUE.
type envFlag struct{ list *[]string }

func (f envFlag) String() string { return "" }

func (f envFlag) Set(v string) error {
	k, _, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q: want KEY=VALUE", v)
	}
	if strings.IndexByte(v, 0) >= 0 {
		return fmt.Errorf("%q: contains NUL", k)
	}
	*f.list = append(*f.list, v)
	return nil
}

// fuelFlag parses --fuel N.
type fuelFlag struct{ n *uint64 }

func (f fuelFlag) String() string { return "" }

func (f fuelFlag) Set(v string) error {
	n, err := strconv.ParseUint(strings.ReplaceAll(v, "_", ""), 10, 64)
	if err != nil {
		return fmt.Errorf("%q: want a non-negative integer", v)
	}
	*f.n = n
	return nil
}

// sizeFlag parses --max-memory SIZE into 64 KiB pages.
type sizeFlag struct{ pages *uint32 }

func (f sizeFlag) String() string { return "" }

func (f sizeFlag) Set(v string) error {
	b, err := parseSize(v)
	if err != nil {
		return err
	}
	const page = 64 << 10
	if b < page {
		return fmt.Errorf("%q: at least one 64 KiB page is needed", v)
	}
	if b > 1<<32 {
		return fmt.Errorf("%q: larger than the 4 GiB a 32-bit memory can address", v)
	}
	*f.pages = uint32(b / page)
	return nil
}

// sizeUnits are the accepted size suffixes, longest first.
var sizeUnits = []struct {
	suffix string
	mult   uint64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
}

// parseSize parses a byte count with an optional binary suffix.
func parseSize(v string) (uint64, error) {
	num, mult := v, uint64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(v, u.suffix) {
			num, mult = strings.TrimSuffix(v, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseUint(strings.TrimSpace(num), 10, 64)
	if err != nil || n > (1<<63)/mult {
		return 0, fmt.Errorf("%q: want a size such as 65536, 64K, 16MiB or 1G", v)
	}
	return n * mult, nil
}

// stringDuration parses --timeout DURATION.
type stringDuration struct {
	d   time.Duration
	set bool
}

func (s *stringDuration) String() string {
	if !s.set {
		return ""
	}
	return s.d.String()
}

func (s *stringDuration) Set(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return fmt.Errorf("%q: want a positive duration such as 500ms, 10s or 2m", v)
	}
	s.d, s.set = d, true
	return nil
}
