package kiln

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/engine"
)

// CompilationCache keeps compiled modules in a directory so that a module
// compiled once, by any process, is loaded instead of compiled again.
//
// An entry holds the engine's compiled code (the interpreter's translated
// code; the module's bytes are the caller's, identified by their digest),
// keyed by the module's SHA-256, kiln's build, the engine, the feature set
// and the CPU features an engine depends on (none for the interpreter).
// Entries are written to a temporary file and renamed into place, so
// several processes may share a directory and none ever reads a partial
// entry.
//
// Trust model: the interpreter runs translated code without checking it
// again (its slot indices and branch targets were proven by the
// translator), so an entry must not be forged. Every entry and every
// artifact ends with a MAC under the key in DIR/key (32 random bytes,
// created with the directory, mode 0600): GMAC, that is AES-256-GCM with
// the entry as additional data, an empty message and a random 96-bit
// nonce per entry (GHASH runs at several GB/s where HMAC-SHA256 would
// take as long as the rest of a load). An entry whose MAC,
// format, kiln build or key does not match, whether corrupted, truncated,
// written by another build or by someone without the key, is ignored and
// the module compiled again; it is never executed. The key makes the
// cache exactly as trustworthy as the directory: whoever can read DIR/key
// can forge entries, so the directory must be writable and readable only by
// the users trusted to run the binary itself. The cache never deletes
// entries; remove the directory to clear it.
type CompilationCache struct {
	dir string
	key []byte
	mac cipher.AEAD // AES-256-GCM under key, used as GMAC

	hits, misses, rejected, writeErrors, upgraded atomic.Uint64
	pending                                       sync.WaitGroup // background compiles (compileWhole)
}

// CacheStats counts what a CompilationCache did since it was opened.
type CacheStats struct {
	// Hits are modules loaded from an entry or an authenticated artifact.
	Hits uint64
	// Misses are modules compiled because no entry existed.
	Misses uint64
	// Rejected are entries or artifacts ignored (and their module
	// compiled) because they were corrupted, foreign or not authentic.
	Rejected uint64
	// WriteErrors are entries that could not be stored.
	WriteErrors uint64
	// Upgraded are entries replaced by machine code compiled in the
	// background (RuntimeConfig.CacheMachineCode).
	Upgraded uint64
}

// Stats returns the cache's counters.
func (c *CompilationCache) Stats() CacheStats {
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(),
		Rejected: c.rejected.Load(), WriteErrors: c.writeErrors.Load(),
		Upgraded: c.upgraded.Load()}
}

// Wait waits until the background compiles of the runtimes using the
// cache (RuntimeConfig.CacheMachineCode) have written their entries.
func (c *CompilationCache) Wait() { c.pending.Wait() }

// Dir returns the cache directory.
func (c *CompilationCache) Dir() string { return c.dir }

// keyFile is the name of the MAC key in a cache directory.
const keyFile = "key"

const macKeySize = 32

// OpenCompilationCache opens the cache in dir, creating the directory
// (mode 0700) and its key when they do not exist.
func OpenCompilationCache(dir string) (*CompilationCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("compilation cache: %w", err)
	}
	key, err := cacheKey(dir)
	if err != nil {
		return nil, fmt.Errorf("compilation cache: %w", err)
	}
	mac, err := newMAC(key)
	if err != nil {
		return nil, fmt.Errorf("compilation cache: %w", err)
	}
	return &CompilationCache{dir: dir, key: key, mac: mac}, nil
}

// cacheKey reads dir's key, creating it if absent. A new key is written
// to a temporary file and linked into place, so two processes creating
// it at once agree on the one that was linked first.
func cacheKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, keyFile)
	if key, err := readKey(path); !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	key := make([]byte, macKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := writeTemp(dir, key)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	return readKey(path)
}

func newMAC(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Sizes of an entry's trailer: the GMAC nonce and tag.
const (
	nonceSize = 12
	tagSize   = 16
	macSize   = nonceSize + tagSize
)

func readKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(key) != macKeySize {
		return nil, fmt.Errorf("%s: %d bytes, want a %d-byte key", path, len(key), macKeySize)
	}
	return key, nil
}

// writeTemp writes data to a new temporary file in dir (mode 0600) and
// returns its name.
func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// entryPath is the file of a module's entry: its name digests the whole
// key, so entries of other builds, engines or feature sets never collide.
func (c *CompilationCache) entryPath(h entryHeader) string {
	d := sha256.New()
	d.Write(h.appendKey(nil))
	return filepath.Join(c.dir, hex.EncodeToString(d.Sum(nil))+".kc")
}

// load returns the entry of the module h describes, or nil when there is
// none or it is rejected.
func (r *Runtime) cacheLoad(c *CompilationCache, h entryHeader, bin []byte) *CompiledModule {
	data, err := os.ReadFile(c.entryPath(h))
	if err != nil {
		c.misses.Add(1)
		return nil
	}
	cm, err := r.loadEntry(c, data, &h, bin)
	if err != nil {
		c.rejected.Add(1)
		return nil
	}
	c.hits.Add(1)
	return cm
}

// store writes cm's entry and reports whether it did; failures only
// count (the cache is an optimisation).
func (c *CompilationCache) store(h entryHeader, cm *CompiledModule, r *Runtime) bool {
	data, err := c.seal(h, cm, r, false)
	var tmp string
	if err == nil {
		tmp, err = writeTemp(c.dir, data)
	}
	if err == nil {
		if err = os.Rename(tmp, c.entryPath(h)); err != nil {
			os.Remove(tmp)
		}
	}
	if err != nil {
		c.writeErrors.Add(1)
	}
	return err == nil
}

// The entry and artifact format:
//
//	magic "\x00kln", format u32, key (see appendKey), module length u32,
//	module bytes (none in cache entries), code length u32,
//	the codes (see appendCodes), then the MAC of everything before it: a
//	nonce and the GMAC tag.
var artifactMagic = []byte("\x00kln")

// entryFormat changes with the layout above (entryLayout) or the first
// engine's code format (the codes part records every engine's).
func entryFormat(e engine.Engine) uint32 { return entryLayout<<16 | e.CodeFormat() }

const entryLayout = 2

// entryHeader is the key of an entry.
type entryHeader struct {
	build    string // kiln's build (buildID)
	engine   string
	cpu      string // CPU features and options the engines' code relies on (targetKey)
	features uint64
	module   [sha256.Size]byte
}

func (r *Runtime) header(bin []byte) entryHeader {
	return entryHeader{build: buildID(), engine: r.engineKey(), cpu: r.targetKey(), features: uint64(r.cfg.Features), module: sha256.Sum256(bin)}
}

func appendString(b []byte, s string) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func (h *entryHeader) appendKey(b []byte) []byte {
	b = appendString(b, h.build)
	b = appendString(b, h.engine)
	b = appendString(b, h.cpu)
	b = binary.LittleEndian.AppendUint64(b, h.features)
	return append(b, h.module[:]...)
}

// seal serializes cm, compiled by r's engines, as an entry authenticated
// with c's key, with the module binary when withModule (artifacts) or
// without (cache entries, looked up with the module in hand).
func (c *CompilationCache) seal(h entryHeader, cm *CompiledModule, r *Runtime, withModule bool) ([]byte, error) {
	var module []byte
	if withModule {
		module = cm.bin
	}
	b := append(make([]byte, 0, 8*len(cm.bin)+len(h.build)+256), artifactMagic...)
	b = binary.LittleEndian.AppendUint32(b, entryFormat(r.engines[0].eng))
	b = h.appendKey(b)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(module)))
	b = append(b, module...)
	lenAt := len(b)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b, err := r.appendCodes(b, cm.codes)
	if err != nil {
		return nil, err
	}
	binary.LittleEndian.PutUint32(b[lenAt:], uint32(len(b)-lenAt-4))
	nonce := make([]byte, nonceSize)
	if _, err := rand.Read(nonce); err != nil {
		panic(fmt.Sprintf("kiln: no randomness for a cache entry's nonce: %v", err)) // crypto/rand does not fail on supported systems
	}
	tag := c.mac.Seal(nil, nonce, nil, b)
	b = append(b, nonce...)
	return append(b, tag...), nil
}

// errForeign is returned for an entry that is well formed but not
// loadable here: another format, build, engine or feature set, or not
// authenticated by this cache's key.
var errForeign = errors.New("compiled module from another kiln build, configuration or cache")

// parsedEntry is an entry's parts, framed but not yet trusted.
type parsedEntry struct {
	format uint32
	header entryHeader
	module []byte
	codes  []byte
	body   []byte // everything the MAC covers
	mac    []byte // nonce and tag
}

// parseEntry frames an entry or artifact; it trusts nothing in it.
func parseEntry(data []byte) (*parsedEntry, error) {
	bad := errors.New("not a kiln compiled module, or truncated")
	if len(data) < len(artifactMagic)+4+macSize || !bytes.HasPrefix(data, artifactMagic) {
		return nil, bad
	}
	e := &parsedEntry{body: data[:len(data)-macSize], mac: data[len(data)-macSize:]}
	p := e.body[len(artifactMagic):]
	u32 := func() uint32 {
		if len(p) < 4 {
			p = nil
			return 0
		}
		v := binary.LittleEndian.Uint32(p)
		p = p[4:]
		return v
	}
	bytesN := func() []byte {
		n := u32()
		if uint64(n) > uint64(len(p)) {
			p = nil
			return nil
		}
		v := p[:n:n]
		p = p[n:]
		return v
	}
	e.format = u32()
	e.header.build = string(bytesN())
	e.header.engine = string(bytesN())
	e.header.cpu = string(bytesN())
	if len(p) < 8+sha256.Size {
		return nil, bad
	}
	e.header.features = binary.LittleEndian.Uint64(p)
	copy(e.header.module[:], p[8:])
	p = p[8+sha256.Size:]
	e.module = bytesN()
	e.codes = bytesN()
	if p == nil || len(p) != 0 {
		return nil, bad
	}
	return e, nil
}

// loadEntry loads an entry if it is authentic and made for this runtime
// (and, when want is not nil, for that key, whose module is wantBin); the
// checks come before anything in it is interpreted.
func (r *Runtime) loadEntry(c *CompilationCache, data []byte, want *entryHeader, wantBin []byte) (*CompiledModule, error) {
	e, err := parseEntry(data)
	if err != nil {
		return nil, err
	}
	if _, err := c.mac.Open(nil, e.mac[:nonceSize], e.mac[nonceSize:], e.body); err != nil {
		return nil, fmt.Errorf("%w: MAC mismatch", errForeign)
	}
	eng := r.engines[0].eng
	if e.format != entryFormat(eng) {
		return nil, fmt.Errorf("%w: format %#x, want %#x", errForeign, e.format, entryFormat(eng))
	}
	here := r.header(nil)
	here.module = e.header.module
	if want != nil {
		here = *want
	}
	if e.header != here {
		return nil, fmt.Errorf("%w: made for %s/%s features %#x, want %s/%s features %#x",
			errForeign, e.header.engine, e.header.build, e.header.features, here.engine, here.build, here.features)
	}
	// The MAC covers the digest, which seal computed from the module;
	// the header check above matched it with the caller's module.
	bin := e.module
	if want != nil {
		bin = wantBin
	} else if len(bin) == 0 {
		return nil, fmt.Errorf("%w: a cache entry, not an artifact", errForeign)
	}
	m, err := decoder.DecodeValidated(bin, r.cfg.Features)
	if err != nil {
		return nil, err
	}
	codes, err := r.decodeCodes(m, e.codes, want != nil) // a cache entry is our own buffer
	if err != nil {
		return nil, err
	}
	return r.newCompiled(m, codes, bin)
}

// SaveCompiled serializes cm as an artifact that CompileModule and
// LoadCompiled accept in place of the module binary (kiln compile writes
// one). It is authenticated with the key of the runtime's
// CompilationCache, which it therefore needs: a runtime using another key
// (another cache directory, another machine) compiles the module the
// artifact carries instead of trusting its code.
func (r *Runtime) SaveCompiled(cm *CompiledModule) ([]byte, error) {
	c := r.cfg.CompilationCache
	if c == nil {
		return nil, errors.New("save compiled module: the runtime has no CompilationCache, whose key authenticates artifacts")
	}
	return c.seal(r.header(cm.bin), cm, r, true)
}

// IsCompiled reports whether b starts like an artifact of SaveCompiled.
func IsCompiled(b []byte) bool { return bytes.HasPrefix(b, artifactMagic) }

// LoadCompiled loads an artifact written by SaveCompiled. An artifact
// authenticated by the runtime's CompilationCache and made by this kiln
// build for the runtime's features is loaded without compiling; any other
// (another key or build, a corrupted byte) has the module it carries
// compiled from scratch, as if it were given to CompileModule; it is
// counted in CacheStats.Rejected. An input that is not an artifact at all
// is an error.
func (r *Runtime) LoadCompiled(data []byte) (*CompiledModule, error) {
	if r.engineErr != nil {
		return nil, r.engineErr
	}
	e, err := parseEntry(data)
	if err != nil {
		return nil, fmt.Errorf("load compiled module: %w", err)
	}
	if c := r.cfg.CompilationCache; c != nil {
		if cm, err := r.loadEntry(c, data, nil, nil); err == nil {
			c.hits.Add(1)
			return cm, nil
		}
		c.rejected.Add(1)
	}
	// Untrusted: only the module is used, compiled and validated like any
	// other, once it matches the digest the artifact names.
	if sha256.Sum256(e.module) != e.header.module {
		return nil, errors.New("load compiled module: corrupted (the module does not match its digest)")
	}
	return r.compile(e.module)
}
