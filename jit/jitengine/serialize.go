//go:build (amd64 || arm64) && unix

package jitengine

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/kilnrt/kiln/internal/wire"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/wasm"
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
//	  uses (u32), flags (u32; bit 0: its calls go through a link table at
//	  Ctx.Links, made again and filled with its entries), the resume
//	  stub's offset (u32), the code (u32 length,
//	  bytes), its sites (u32 count; per site Ret u32, Func u32, Pos
//	  i32, Frame i32, Kind u8) and, by function index, each function's
//	  entry offset (i32, -1: not in this mapping) and size (u32), for
//	  the perf map;
//	the codes, in the order given: u32 count, then per code its
//	  mapping (u32), entry offset (u32) and nslots (u32, its top bit
//	  set for code of the baseline compiler).
//
// DecodeCodes trusts the codes (the cache authenticates them), but
// checks every length and offset against the bytes it has, so a
// damaged part is an error and never a bad memory access in Go.

// codeFormat is CodeFormat: it changes with the form above and with
// the machine code's contract (rt's layouts, the back ends' conventions).
const codeFormat = 3

// siteBytes is the size of a serialized rt.Site.
const siteBytes = 17

// errCodeFormat is what a damaged part's errors wrap.
var errCodeFormat = errors.New("jit: cached codes")

// CacheKey is what the engine's code depends on besides kiln's build:
// the back end, the host features it may use, the depth counting and
// the baseline compiler. Entries made under another key are foreign to
// it.
func (e *Engine) CacheKey() string {
	return fmt.Sprintf("%s %v depth=%t baseline=%t tierup=%t", backendName, e.target, e.countDepth, e.baseline && hasBaseline, e.tierUp)
}

// AppendCodes serializes codes, which must all be *Code compiled as a
// whole module (not tiering's parts).
func (e *Engine) AppendCodes(b []byte, codes []any) ([]byte, error) {
	b = wire.AppendBytes(b, []byte(e.CacheKey()))
	var mods []*module
	index := map[*module]uint32{}
	for i, c := range codes {
		code, ok := c.(*Code)
		if !ok {
			return nil, fmt.Errorf("jit: code %d is a %T, not the JIT's", i, c)
		}
		if code.mod.links != nil && !code.mod.ctxLinks || code.mod.gen == nil {
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
		b = binary.LittleEndian.AppendUint32(b, boolBit(m.ctxLinks))
		b = binary.LittleEndian.AppendUint32(b, uint32(m.gen.Resume))
		b = wire.AppendBytes(b, m.code.Bytes())
		b = binary.LittleEndian.AppendUint32(b, uint32(len(m.gen.Sites)))
		for _, s := range m.gen.Sites {
			b = binary.LittleEndian.AppendUint32(b, uint32(s.Ret))
			b = binary.LittleEndian.AppendUint32(b, s.Func)
			b = binary.LittleEndian.AppendUint32(b, uint32(s.Pos))
			b = binary.LittleEndian.AppendUint32(b, uint32(s.Frame))
			b = append(b, byte(s.Kind))
		}
		b = binary.LittleEndian.AppendUint32(b, uint32(len(m.gen.Entries)))
		for i, at := range m.gen.Entries {
			b = binary.LittleEndian.AppendUint32(b, uint32(int32(at)))
			b = binary.LittleEndian.AppendUint32(b, uint32(m.gen.Sizes[i]))
		}
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(codes)))
	for _, c := range codes {
		code := c.(*Code)
		b = binary.LittleEndian.AppendUint32(b, index[code.mod])
		b = binary.LittleEndian.AppendUint32(b, uint32(code.entry-code.mod.code.Addr()))
		b = binary.LittleEndian.AppendUint32(b, uint32(code.nslots)|boolBit(code.baseline)<<31)
	}
	return b, nil
}

// DecodeCodes maps the code AppendCodes wrote and returns its codes.
func (e *Engine) DecodeCodes(m *wasm.Module, b []byte, alias bool) ([]any, error) {
	r := wire.Reader{B: b, Base: errCodeFormat}
	if key := string(r.Bytes()); r.Err == nil && key != e.CacheKey() {
		return nil, fmt.Errorf("jit: code compiled for %q, this engine is %q", key, e.CacheKey())
	}
	// On an error, the mappings made are unmapped when collected.
	var mods []*module
	for n := r.Count(16); r.Err == nil && n > 0; n-- {
		used := target(r.U32())
		ctxLinks := r.U32()&1 != 0
		resume := r.U32()
		bytes := r.Bytes()
		gen := &genModule{Used: used, Resume: int(resume), Sites: make([]rt.Site, r.Count(siteBytes))}
		for i := range gen.Sites {
			s := &gen.Sites[i]
			s.Ret, s.Func, s.Pos, s.Frame = int(r.U32()), r.U32(), int32(r.U32()), int32(r.U32())
			s.Kind = rt.SiteKind(r.U8())
			if r.Err == nil && (s.Ret > len(bytes) || i > 0 && s.Ret <= gen.Sites[i-1].Ret) {
				r.Fail("site %d at %#x out of order or beyond the code", i, s.Ret)
			}
		}
		nfuncs := r.Count(8)
		gen.Entries, gen.Sizes = make([]int, nfuncs), make([]int, nfuncs)
		for i := range nfuncs {
			at, size := int(int32(r.U32())), int(r.U32())
			if r.Err == nil && (at < -1 || at >= len(bytes) || size > len(bytes)-max(at, 0)) {
				r.Fail("function %d at %#x, %d bytes, beyond the code", i, at, size)
			}
			gen.Entries[i], gen.Sizes[i] = at, size
		}
		switch {
		case r.Err != nil:
		case !e.target.Has(used):
			r.Fail("code uses %v, the host has %v", used, e.target)
		case len(bytes) == 0 || int(resume) >= len(bytes):
			r.Fail("resume stub at %#x of %d bytes of code", resume, len(bytes))
		}
		if r.Err != nil {
			break
		}
		code, err := rt.Map(bytes)
		if err != nil {
			return nil, fmt.Errorf("jit: map cached code: %w", err)
		}
		var links *linkTable
		if ctxLinks {
			if links = newLinkTable(nfuncs); links == nil {
				return nil, errors.New("jit: no memory for a link table")
			}
		}
		mod := e.newModule(code, gen, links)
		mod.ctxLinks = ctxLinks
		mods = append(mods, mod)
	}
	codes := make([]any, r.Count(12))
	for i := range codes {
		in, entry, nslots := r.U32(), r.U32(), r.U32()
		if r.Err != nil {
			break
		}
		if int(in) >= len(mods) || int(entry) >= mods[in].code.Len() || nslots&^(1<<31) > 1<<20 {
			r.Fail("code %d: mapping %d, entry %#x", i, in, entry)
			break
		}
		mod := mods[in]
		codes[i] = &Code{mod: mod, entry: mod.code.Addr() + uintptr(entry), nslots: int(nslots &^ (1 << 31)), baseline: nslots>>31 != 0}
	}
	if len(r.B) != 0 {
		r.Fail("%d bytes left over", len(r.B))
	}
	if r.Err != nil {
		return nil, r.Err
	}
	for _, mod := range mods {
		e.writePerfMap(m, mod.code.Addr(), mod.gen)
		if mod.ctxLinks {
			for i, at := range mod.gen.Entries {
				if at >= 0 {
					mod.links.set(i, mod.code.Addr()+uintptr(at))
				}
			}
		}
	}
	for _, c := range codes {
		if c := c.(*Code); c.mod.ctxLinks && c.baseline && e.tierUp {
			c.tier = new(codeTier)
		}
	}
	return codes, nil
}

// boolBit is 1 for true.
func boolBit(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
