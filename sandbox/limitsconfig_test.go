package sandbox

import (
	"encoding/json"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseByteSize(t *testing.T) {
	good := map[string]uint64{
		"0": 0, "4096": 4096, "1K": 1024, "1k": 1024, "64M": 64 << 20, "64MiB": 64 << 20,
		"2G": 2 << 30, "2gb": 2 << 30, "1T": 1 << 40, "10B": 10, "16777215T": 16777215 << 40,
	}
	for in, want := range good {
		if got, err := ParseByteSize(in); err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "M", "-1", "1.5M", "1X", "64iB", "1 M", "16777216T", "99999999999999999999"} {
		if v, err := ParseByteSize(bad); err == nil {
			t.Errorf("ParseByteSize(%q) = %d, want an error", bad, v)
		}
	}
}

func TestLimitsFlags(t *testing.T) {
	var l Limits
	fs := flag.NewFlagSet("kiln", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	l.RegisterFlags(fs)
	err := fs.Parse([]string{"--max-memory", "256M", "--fuel", "1000", "--timeout", "1m30s",
		"--max-cpu-time", "2s", "--max-threads", "4", "--max-fds", "64", "--max-net-send", "1K"})
	if err != nil {
		t.Fatal(err)
	}
	want := Limits{MemoryBytes: 256 << 20, Fuel: 1000, WallTime: 90 * time.Second, CPUTime: 2 * time.Second,
		Threads: 4, Descriptors: 64, NetSendBytes: 1024}
	if l != want {
		t.Errorf("limits %+v, want %+v", l, want)
	}
	for _, bad := range [][]string{{"--max-memory", "lots"}, {"--fuel", "-1"}, {"--timeout", "soon"}} {
		var l Limits
		fs := flag.NewFlagSet("kiln", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		l.RegisterFlags(fs)
		if err := fs.Parse(bad); err == nil {
			t.Errorf("flags %q accepted", bad)
		}
	}
}

func TestLimitsJSON(t *testing.T) {
	l := Limits{MemoryBytes: 1 << 20, TableElements: 5, Fuel: 7, CPUTime: time.Second, WallTime: 90 * time.Second,
		Descriptors: 1, Threads: 2, Processes: 3, Sockets: 4, FileWriteBytes: 8, NetSendBytes: 9, NetRecvBytes: 10, FileEntries: 11}
	data, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"wall_time":"1m30s"`) {
		t.Errorf("durations are not strings: %s", data)
	}
	var back Limits
	if err := json.Unmarshal(data, &back); err != nil || back != l {
		t.Errorf("round trip: %+v, %v (%s)", back, err, data)
	}
	if data, _ := json.Marshal(Limits{}); string(data) != "{}" {
		t.Errorf("zero limits encode as %s", data)
	}
	var l2 Limits
	if err := json.Unmarshal([]byte(`{"memory_bytes": "64M", "wall_time": 1000, "threads": 2}`), &l2); err != nil {
		t.Fatal(err)
	}
	if l2 != (Limits{MemoryBytes: 64 << 20, WallTime: 1000, Threads: 2}) {
		t.Errorf("limits %+v", l2)
	}
	for _, bad := range []string{`{"memory": 1}`, `{"memory_bytes": "big"}`, `{"wall_time": "later"}`,
		`{"cpu_time": "-1s"}`, `{"threads": -1}`, `{"memory_bytes": true}`} {
		var l Limits
		if err := json.Unmarshal([]byte(bad), &l); err == nil {
			t.Errorf("Unmarshal(%s) accepted: %+v", bad, l)
		}
	}
}
