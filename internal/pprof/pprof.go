// Package pprof writes profiles in the format of pprof's profile.proto
// (gzip-compressed protocol buffers), for kiln's guest profiler: samples
// are stacks of function names with a count and a CPU time each.
//
// Only the fields pprof needs for a flat function profile are written:
// sample types, samples, one mapping, one location and one function per
// distinct name, the string table, time, duration and period.
package pprof

import (
	"compress/gzip"
	"io"
)

// Profile accumulates samples.
type Profile struct {
	strings map[string]int64
	table   []string
	funcs   map[string]uint64 // function name -> function and location id
	samples map[string]*sample
	order   []*sample
}

type sample struct {
	locs         []uint64
	count, nanos int64
}

// New returns an empty profile.
func New() *Profile {
	return &Profile{strings: map[string]int64{"": 0}, table: []string{""},
		funcs: map[string]uint64{}, samples: map[string]*sample{}}
}

func (p *Profile) str(s string) int64 {
	if i, ok := p.strings[s]; ok {
		return i
	}
	i := int64(len(p.table))
	p.strings[s] = i
	p.table = append(p.table, s)
	return i
}

// Add records count samples of stack (innermost function first) worth
// nanos nanoseconds.
func (p *Profile) Add(stack []string, count, nanos int64) {
	var key []byte
	locs := make([]uint64, len(stack))
	for i, name := range stack {
		id, ok := p.funcs[name]
		if !ok {
			id = uint64(len(p.funcs) + 1)
			p.funcs[name] = id
		}
		locs[i] = id
		key = appendVarint(key, id)
	}
	s := p.samples[string(key)]
	if s == nil {
		s = &sample{locs: locs}
		p.samples[string(key)] = s
		p.order = append(p.order, s)
	}
	s.count += count
	s.nanos += nanos
}

// Write writes the profile, gzip-compressed. mapping names the profiled
// program; period is the nanoseconds one sample stands for.
func (p *Profile) Write(w io.Writer, mapping string, timeNanos, durationNanos, period int64) error {
	var b []byte
	valueType := func(field int, typ, unit string) {
		var v []byte
		v = appendInt(v, 1, p.str(typ))
		v = appendInt(v, 2, p.str(unit))
		b = appendBytes(b, field, v)
	}
	valueType(1, "samples", "count")
	valueType(1, "cpu", "nanoseconds")
	for _, s := range p.order {
		var v []byte
		v = appendPacked(v, 1, s.locs)
		v = appendPacked(v, 2, []uint64{uint64(s.count), uint64(s.nanos)})
		b = appendBytes(b, 2, v)
	}
	// One mapping that has every function, so pprof does not try to
	// symbolize addresses.
	var m []byte
	m = appendInt(m, 1, 1)
	m = appendInt(m, 5, p.str(mapping))
	m = appendInt(m, 7, 1) // has_functions
	b = appendBytes(b, 3, m)
	names := make([]string, len(p.funcs))
	for name, id := range p.funcs {
		names[id-1] = name
	}
	for i, name := range names {
		id := int64(i + 1)
		var line []byte
		line = appendInt(line, 1, id) // function_id
		var loc []byte
		loc = appendInt(loc, 1, id) // id
		loc = appendInt(loc, 2, 1)  // mapping_id
		loc = appendInt(loc, 3, id) // address: distinct per location
		loc = appendBytes(loc, 4, line)
		b = appendBytes(b, 4, loc)
		var fn []byte
		fn = appendInt(fn, 1, id)
		fn = appendInt(fn, 2, p.str(name))
		fn = appendInt(fn, 3, p.str(name))
		b = appendBytes(b, 5, fn)
	}
	// The string table is complete only now: every str call is above.
	b = appendInt(b, 9, timeNanos)
	b = appendInt(b, 10, durationNanos)
	var pt []byte
	pt = appendInt(pt, 1, p.str("cpu"))
	pt = appendInt(pt, 2, p.str("nanoseconds"))
	b = appendBytes(b, 11, pt)
	b = appendInt(b, 12, period)
	for _, s := range p.table {
		b = appendBytes(b, 6, []byte(s))
	}
	zw := gzip.NewWriter(w)
	if _, err := zw.Write(b); err != nil {
		return err
	}
	return zw.Close()
}

// Protocol buffer encoding: varints, and length-delimited fields.

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendTag(b []byte, field, wire int) []byte {
	return appendVarint(b, uint64(field)<<3|uint64(wire))
}

// appendInt appends a varint field (int64, uint64 or bool); zero values
// are omitted, as proto3 does.
func appendInt(b []byte, field int, v int64) []byte {
	if v == 0 {
		return b
	}
	return appendVarint(appendTag(b, field, 0), uint64(v))
}

func appendBytes(b []byte, field int, v []byte) []byte {
	b = appendTag(b, field, 2)
	b = appendVarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendPacked(b []byte, field int, vs []uint64) []byte {
	var v []byte
	for _, x := range vs {
		v = appendVarint(v, x)
	}
	return appendBytes(b, field, v)
}
