package sandbox

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseByteSize parses a byte count: a decimal number with an optional
// binary suffix K, M, G or T (also written Ki, KiB or KB, case-insensitive;
// all mean powers of 1024), so "64M" and "64MiB" are both 67108864. "0" means unlimited where used for limits.
func ParseByteSize(s string) (uint64, error) {
	num := strings.TrimRight(s, "KMGTiBkmgtb")
	sh, ok := sizeUnits[strings.ToUpper(s[len(num):])]
	if !ok || num == "" {
		return 0, fmt.Errorf("sandbox: bad size %q (want a number with optional K, M, G or T suffix)", s)
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("sandbox: bad size %q: %v", s, err)
	}
	if n > math.MaxUint64>>sh {
		return 0, fmt.Errorf("sandbox: size %q overflows 64 bits", s)
	}
	return n << sh, nil
}

// sizeUnits maps upper-cased size suffixes to binary shifts.
var sizeUnits = map[string]uint{
	"": 0, "B": 0,
	"K": 10, "KI": 10, "KIB": 10, "KB": 10,
	"M": 20, "MI": 20, "MIB": 20, "MB": 20,
	"G": 30, "GI": 30, "GIB": 30, "GB": 30,
	"T": 40, "TI": 40, "TIB": 40, "TB": 40,
}

// RegisterFlags adds one flag per limit to fs (zero, the default, means
// unlimited):
//
//	--max-memory SIZE       total linear memory (e.g. 256M)
//	--max-table-elements N  total table elements
//	--fuel N                instruction budget
//	--max-cpu-time DURATION CPU time (e.g. 10s)
//	--timeout DURATION      wall time
//	--max-fds N             open descriptors
//	--max-threads N         live threads
//	--max-procs N           live processes
//	--max-sockets N         open sockets
//	--max-file-write SIZE   bytes written to files
//	--max-net-send SIZE     bytes sent
//	--max-net-recv SIZE     bytes received
//	--max-file-entries N    file system entries created
func (l *Limits) RegisterFlags(fs *flag.FlagSet) {
	size := func(name, usage string, p *uint64) {
		fs.Func(name, usage+" (bytes, K/M/G suffixes; 0 = unlimited)", func(s string) error {
			v, err := ParseByteSize(s)
			*p = v
			return err
		})
	}
	count := func(name, usage string, p *uint64) {
		fs.Uint64Var(p, name, *p, usage+" (0 = unlimited)")
	}
	size("max-memory", "total linear memory", &l.MemoryBytes)
	count("max-table-elements", "total table elements", &l.TableElements)
	count("fuel", "instruction budget", &l.Fuel)
	fs.DurationVar(&l.CPUTime, "max-cpu-time", l.CPUTime, "CPU time limit (0 = unlimited)")
	fs.DurationVar(&l.WallTime, "timeout", l.WallTime, "wall-time limit (0 = unlimited)")
	count("max-fds", "open descriptors", &l.Descriptors)
	count("max-threads", "live threads", &l.Threads)
	count("max-procs", "live processes", &l.Processes)
	count("max-sockets", "open sockets", &l.Sockets)
	size("max-file-write", "bytes written to files", &l.FileWriteBytes)
	size("max-net-send", "bytes sent on sockets", &l.NetSendBytes)
	size("max-net-recv", "bytes received on sockets", &l.NetRecvBytes)
	count("max-file-entries", "files, directories and links created", &l.FileEntries)
}

// limitsJSON mirrors Limits with friendlier encodings: sizes may be numbers
// or strings ("64M"), durations strings ("1.5s") or numbers of nanoseconds.
type limitsJSON struct {
	MemoryBytes    jsonSize     `json:"memory_bytes,omitempty"`
	TableElements  uint64       `json:"table_elements,omitempty"`
	Fuel           uint64       `json:"fuel,omitempty"`
	CPUTime        jsonDuration `json:"cpu_time,omitempty"`
	WallTime       jsonDuration `json:"wall_time,omitempty"`
	Descriptors    uint64       `json:"descriptors,omitempty"`
	Threads        uint64       `json:"threads,omitempty"`
	Processes      uint64       `json:"processes,omitempty"`
	Sockets        uint64       `json:"sockets,omitempty"`
	FileWriteBytes jsonSize     `json:"file_write_bytes,omitempty"`
	NetSendBytes   jsonSize     `json:"net_send_bytes,omitempty"`
	NetRecvBytes   jsonSize     `json:"net_recv_bytes,omitempty"`
	FileEntries    uint64       `json:"file_entries,omitempty"`
}

// MarshalJSON encodes the limits, durations as strings such as "1m30s".
func (l Limits) MarshalJSON() ([]byte, error) {
	return json.Marshal(limitsJSON{
		jsonSize(l.MemoryBytes), l.TableElements, l.Fuel, jsonDuration(l.CPUTime), jsonDuration(l.WallTime),
		l.Descriptors, l.Threads, l.Processes, l.Sockets,
		jsonSize(l.FileWriteBytes), jsonSize(l.NetSendBytes), jsonSize(l.NetRecvBytes), l.FileEntries,
	})
}

// UnmarshalJSON decodes limits; unknown fields are errors.
func (l *Limits) UnmarshalJSON(b []byte) error {
	var j limitsJSON
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("sandbox: limits: %w", err)
	}
	*l = Limits{
		uint64(j.MemoryBytes), j.TableElements, j.Fuel, time.Duration(j.CPUTime), time.Duration(j.WallTime),
		j.Descriptors, j.Threads, j.Processes, j.Sockets,
		uint64(j.FileWriteBytes), uint64(j.NetSendBytes), uint64(j.NetRecvBytes), j.FileEntries,
	}
	if l.CPUTime < 0 || l.WallTime < 0 {
		return fmt.Errorf("sandbox: limits: negative duration")
	}
	return nil
}

type jsonSize uint64

func (s *jsonSize) UnmarshalJSON(b []byte) error {
	var str string
	if json.Unmarshal(b, &str) == nil {
		v, err := ParseByteSize(str)
		*s = jsonSize(v)
		return err
	}
	var n uint64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a byte count or a size string like \"64M\"")
	}
	*s = jsonSize(n)
	return nil
}

type jsonDuration time.Duration

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var str string
	if json.Unmarshal(b, &str) == nil {
		v, err := time.ParseDuration(str)
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		*d = jsonDuration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("want a duration string like \"1.5s\" or nanoseconds")
	}
	*d = jsonDuration(n)
	return nil
}
