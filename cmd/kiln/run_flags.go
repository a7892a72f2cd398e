package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kilnrt/kiln/sandbox"
)

// The flag syntax of kiln run is the sandbox package's (ParseMount,
// ParseEnv, ParseByteSize), so that every kiln command spells grants and
// limits the same way.

// dirFlag collects --dir HOST[::GUEST][:ro].
type dirFlag struct{ mounts *[]sandbox.Mount }

func (f dirFlag) String() string { return "" }

func (f dirFlag) Set(v string) error {
	m, err := parseDir(v)
	if err != nil {
		return err
	}
	*f.mounts = append(*f.mounts, m)
	return nil
}

// parseDir parses HOST[::GUEST][:ro|:rw]: the host path is made absolute
// and the guest name defaults to the host path as written.
func parseDir(v string) (sandbox.Mount, error) { return sandbox.ParseMount(v) }

// ruleFlag collects network rules (--allow-connect, --allow-bind,
// --allow-listen).
type ruleFlag struct {
	rules *[]sandbox.NetRule
	parse func(string) (sandbox.NetRule, error)
}

func (f ruleFlag) String() string { return "" }

func (f ruleFlag) Set(v string) error {
	r, err := f.parse(v)
	if err != nil {
		return err
	}
	*f.rules = append(*f.rules, r)
	return nil
}

// byteFlag parses a byte count with K/M/G/T suffixes (0 = unlimited).
type byteFlag struct{ n *uint64 }

func (f byteFlag) String() string { return "" }

func (f byteFlag) Set(v string) error {
	n, err := sandbox.ParseByteSize(v)
	if err != nil {
		return err
	}
	*f.n = n
	return nil
}

// optionalBool is a boolean flag that remembers whether it was given.
type optionalBool struct{ v, set bool }

func (b *optionalBool) String() string   { return strconv.FormatBool(b.v) }
func (b *optionalBool) IsBoolFlag() bool { return true }

func (b *optionalBool) Set(v string) error {
	x, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("%q: want true or false", v)
	}
	b.v, b.set = x, true
	return nil
}

// envFlag collects --env KEY=VALUE.
type envFlag struct{ list *[]string }

func (f envFlag) String() string { return "" }

func (f envFlag) Set(v string) error {
	if _, _, err := sandbox.ParseEnv(v); err != nil {
		return err
	}
	*f.list = append(*f.list, v)
	return nil
}

// uintFlag parses a non-negative integer (underscores allowed).
type uintFlag struct{ n *uint64 }

func (f uintFlag) String() string { return "" }

func (f uintFlag) Set(v string) error {
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
	b, err := sandbox.ParseByteSize(v)
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
