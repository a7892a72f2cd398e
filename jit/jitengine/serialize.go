//go:build (amd64 || arm64) && unix

package jitengine

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/kilnrt/kiln/jit/rt"
)

// Compiled code in compilation caches and artifacts (the root package's
// CompilationCache): a module's machine code is position-independent
// (calls, stubs and constants are addressed relative to the code; the
// instance's memory, globals, call index and exits through the
// execution context), so its bytes are stored as linked and mapped
// again anywhere. Code compiled in parts for tiering reads a link
// table at an absolute address and is not serialized (tiering's codes
// are the interpreter's until promoted, and those are what is cached).
//
// The form (CodeFormat), little-endian:
//
//	the engine's CacheKey as it was (u32 length, bytes), checked again;
//	the mappings: u32 count, then per mapping the features its code
//	  uses (u32), the resume stub's offset (u32), the code (u32 length,
//	  bytes) and its sites (u32 count; per site Ret u32, Func u32, Pos
//	  i32, Frame i32, Kind u8);
//	the codes, in the order given: u32 count, then per code its
//	  mapping (u32), entry offset (u32) and nslots (u32).
//
// DecodeCodes trusts the codes (the cache authenticates them), but
// checks every length and offset against the bytes it has, so a
// damaged part is an error and never a bad memory access in Go.

// codeFormat is CodeFormat: it changes with the form above and with
// the machine code's contract (rt's layouts, the back ends' conventions).
const codeFormat = 2

// CacheKey is what the engine's code depends on besides kiln's build:
// the back end, the host features it may use and the depth counting.
// Entries made under another key are foreign to it.
func (e *Engine) CacheKey() string {
	return fmt.Sprintf("%s %v depth=%t", backendName, e.target, e.countDepth)
}

// AppendCodes serializes codes, which must all be *Code compiled as a
// whole module (not tiering's parts).
func (e *Engine) AppendCodes(b []byte, codes []any) ([]byte, error) {
	b = appendBytes(b, []byte(e.CacheKey()))
	var mods []*module
	index := map[*module]uint32{}
	for i, c := range codes {
		code, ok := c.(*Code)
		if !ok {
			return nil, fmt.Errorf("jit: code %d is a %T, not the JIT's", i, c)
		}
		if code.mod.links != nil || code.mod.gen == nil {
			return nil, errNoCache
		}
		if _, ok := index[code.mod]; !ok {
			index[code.mod] = uint32(len(mods))
			mods = append(mods, code.mod)
		}
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(mods)))
	for _, m := range mods {
		b = binary.LittleEndian.AppendUint32(b, uint32(m.gen.Used))
		b = binary.LittleEndian.AppendUint32(b, uint32(m.gen.Resume))
		b = appendBytes(b, m.code.Bytes())
		b = binary.LittleEndian.AppendUint32(b, uint32(len(m.gen.Sites)))
		for _, s := range m.gen.Sites {
			b = binary.LittleEndian.AppendUint32(b, uint32(s.Ret))
			b = binary.LittleEndian.AppendUint32(b, s.Func)
			b = binary.LittleEndian.AppendUint32(b, uint32(s.Pos))
			b = binary.LittleEndian.AppendUint32(b, uint32(s.Frame))
			b = append(b, byte(s.Kind))
		}
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(codes)))
	for _, c := range codes {
		code := c.(*Code)
		b = binary.LittleEndian.AppendUint32(b, index[code.mod])
		b = binary.LittleEndian.AppendUint32(b, uint32(code.entry-code.mod.code.Addr()))
		b = binary.LittleEndian.AppendUint32(b, uint32(code.nslots))
	}
	return b, nil
}

// DecodeCodes maps the code AppendCodes wrote and returns its codes.
func (e *Engine) DecodeCodes(b []byte, alias bool) ([]any, error) {
	r := reader{b: b}
	if key := string(r.bytes()); r.err == nil && key != e.CacheKey() {
		return nil, fmt.Errorf("jit: code compiled for %q, this engine is %q", key, e.CacheKey())
	}
	// On an error, the mappings made are unmapped when collected.
	var mods []*module
	for n := r.count(); r.err == nil && n > 0; n-- {
		used := target(r.u32())
		resume := r.u32()
		bytes := r.bytes()
		gen := &genModule{Used: used, Resume: int(resume), Sites: make([]rt.Site, r.count())}
		for i := range gen.Sites {
			s := &gen.Sites[i]
			s.Ret, s.Func, s.Pos, s.Frame = int(r.u32()), r.u32(), int32(r.u32()), int32(r.u32())
			s.Kind = rt.SiteKind(r.u8())
			if r.err == nil && (s.Ret > len(bytes) || i > 0 && s.Ret <= gen.Sites[i-1].Ret) {
				r.fail("site %d at %#x out of order or beyond the code", i, s.Ret)
			}
		}
		switch {
		case r.err != nil:
		case !e.target.Has(used):
			r.fail("code uses %v, the host has %v", used, e.target)
		case len(bytes) == 0 || int(resume) >= len(bytes):
			r.fail("resume stub at %#x of %d bytes of code", resume, len(bytes))
		}
		if r.err != nil {
			break
		}
		code, err := rt.Map(bytes)
		if err != nil {
			return nil, fmt.Errorf("jit: map cached code: %w", err)
		}
		mods = append(mods, e.newModule(code, gen, nil))
	}
	codes := make([]any, r.count())
	for i := range codes {
		m, entry, nslots := r.u32(), r.u32(), r.u32()
		if r.err != nil {
			break
		}
		if int(m) >= len(mods) || int(entry) >= mods[m].code.Len() || nslots > math.MaxInt32 {
			r.fail("code %d: mapping %d, entry %#x", i, m, entry)
			break
		}
		codes[i] = &Code{mod: mods[m], entry: mods[m].code.Addr() + uintptr(entry), nslots: int(nslots)}
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("%d bytes left over", len(r.b))
	}
	if r.err != nil {
		return nil, r.err
	}
	return codes, nil
}

func appendBytes(b, p []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
	return append(b, p...)
}

// reader reads AppendCodes's form; its first error sticks, and reads
// after it return zero.
type reader struct {
	b   []byte
	err error
}

var errCodesTruncated = errors.New("jit: cached codes truncated")

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("jit: cached codes: "+format, args...)
	}
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n > len(r.b) {
		r.err = errCodesTruncated
		return nil
	}
	p := r.b[:n:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) u8() uint8 {
	if p := r.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *reader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (r *reader) bytes() []byte { return r.take(int(r.u32())) }

// count reads a count of items of at least one byte each: one beyond
// the bytes left is a truncation, not an allocation to make.
func (r *reader) count() int {
	n := int(r.u32())
	if n > len(r.b) {
		r.err = errCodesTruncated
		return 0
	}
	return n
}
