package kiln

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/wasm"
)

// The codes part of an entry: per defined function, the index of the
// runtime engine whose code it is (a byte), then per engine of the
// runtime, in order, its code format (u32), the length of its part (u32)
// and its AppendCodes of the codes it owns, in function order. A module
// compiled by one engine has one non-empty part; a JIT's has the JIT's
// and its fallbacks' parts.

// appendCodes appends the codes part of codes to b.
func (r *Runtime) appendCodes(b []byte, codes []any) ([]byte, error) {
	if len(r.engines) > 255 {
		return nil, errors.New("kiln: more engines than a cache entry records")
	}
	owners := make([]byte, len(codes))
	for i, c := range codes {
		e := r.engineOf(c)
		if c == nil || e < 0 {
			return nil, fmt.Errorf("kiln: function %d: code of type %T belongs to no engine of the runtime", i, c)
		}
		owners[i] = byte(e)
	}
	b = append(b, owners...)
	for i := range r.engines {
		eng := r.engines[i].eng
		var own []any
		for j, c := range codes {
			if owners[j] == byte(i) {
				own = append(own, c)
			}
		}
		b = binary.LittleEndian.AppendUint32(b, eng.CodeFormat())
		at := len(b)
		b = binary.LittleEndian.AppendUint32(b, 0)
		var err error
		// Appended in place: an engine may align its part to b's start.
		if b, err = eng.AppendCodes(b, own); err != nil {
			return nil, fmt.Errorf("kiln: engine %s: %w", eng.Name(), err)
		}
		binary.LittleEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	}
	return b, nil
}

// decodeCodes decodes the codes part p of module m; with alias,
// engines may use p in place.
func (r *Runtime) decodeCodes(m *wasm.Module, p []byte, alias bool) ([]any, error) {
	n := len(m.Funcs) // defined functions
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: codes: "+format, append([]any{errForeign}, args...)...)
	}
	if len(p) < n {
		return nil, bad("%d bytes for %d functions", len(p), n)
	}
	owners, p := p[:n], p[n:]
	parts := make([][]any, len(r.engines))
	for i := range r.engines {
		eng := r.engines[i].eng
		if len(p) < 8 {
			return nil, bad("engine %s: truncated", eng.Name())
		}
		format, size := binary.LittleEndian.Uint32(p), binary.LittleEndian.Uint32(p[4:])
		p = p[8:]
		if format != eng.CodeFormat() {
			return nil, bad("engine %s: format %#x, want %#x", eng.Name(), format, eng.CodeFormat())
		}
		if uint64(size) > uint64(len(p)) {
			return nil, bad("engine %s: %d bytes, %d left", eng.Name(), size, len(p))
		}
		var err error
		if parts[i], err = eng.DecodeCodes(m, p[:size:size], alias); err != nil {
			return nil, fmt.Errorf("engine %s: %w", eng.Name(), err)
		}
		p = p[size:]
	}
	if len(p) != 0 {
		return nil, bad("%d trailing bytes", len(p))
	}
	codes := make([]any, n)
	next := make([]int, len(parts))
	for j, o := range owners {
		if int(o) >= len(parts) || next[o] >= len(parts[o]) {
			return nil, bad("function %d: no code of engine %d", j, o)
		}
		codes[j] = parts[o][next[o]]
		next[o]++
	}
	for i, part := range parts {
		if next[i] != len(part) {
			return nil, bad("engine %d: %d codes, %d used", i, len(part), next[i])
		}
	}
	return codes, nil
}

// engineKey names the runtime's engines in cache keys.
func (r *Runtime) engineKey() string {
	names := make([]string, len(r.engines))
	for i := range r.engines {
		names[i] = r.engines[i].eng.Name()
	}
	return strings.Join(names, "+")
}

// targetKey is what the engines' code depends on besides their names
// (engine.Keyed): the CPU features and options of a JIT.
func (r *Runtime) targetKey() string {
	var keys []string
	for i := range r.engines {
		if k, ok := r.engines[i].eng.(engine.Keyed); ok {
			keys = append(keys, r.engines[i].eng.Name()+": "+k.CacheKey())
		}
	}
	return strings.Join(keys, "; ")
}
