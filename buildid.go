package kiln

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

// buildID identifies the kiln code of this executable for compilation
// cache keys: translated code is only meaningful to the build that made
// it. A clean VCS build (vcs.revision, vcs.modified=false) or a module
// dependency with a version and checksum is identified by those; anything
// else (a modified tree, tests, a replaced module) by a digest of the
// executable itself.
var buildID = sync.OnceValue(func() string {
	id := runtime.Version() + " " + runtime.GOARCH + " "
	if info, ok := debug.ReadBuildInfo(); ok {
		if v := moduleVersion(info); v != "" {
			return id + v
		}
	}
	return id + "exe:" + executableDigest()
})

const modulePath = "github.com/kilnrt/kiln"

// moduleVersion returns kiln's version from the build information, or ""
// when it does not identify the code.
func moduleVersion(info *debug.BuildInfo) string {
	if info.Main.Path == modulePath {
		var rev string
		modified := true
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value != "false"
			}
		}
		if rev != "" && !modified {
			return "vcs:" + rev
		}
		return ""
	}
	for _, d := range info.Deps {
		if d.Path == modulePath && d.Replace == nil && d.Sum != "" {
			return "mod:" + d.Version + " " + d.Sum
		}
	}
	return ""
}

// executableDigest identifies the running executable: by the Go build ID
// the linker records in an ELF note (a digest of the build's inputs and
// output, cheap to read), else by hashing the whole file ("unknown" when
// it cannot be read, which makes entries of such builds never match
// others).
func executableDigest() string {
	path, err := os.Executable()
	if err == nil {
		if id := goBuildID(path); id != "" {
			return "buildid:" + id
		}
	}
	if err == nil {
		var f *os.File
		if f, err = os.Open(path); err == nil {
			defer f.Close()
			h := sha256.New()
			if _, err = io.Copy(h, f); err == nil {
				return hex.EncodeToString(h.Sum(nil))
			}
		}
	}
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(os.Getpid() >> (8 * (i % 4)))
	}
	return "unknown-" + hex.EncodeToString(b)
}

// goBuildID returns the Go build ID of an ELF executable, or "".
func goBuildID(path string) string {
	f, err := elf.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil || sec.Size > 1<<10 {
		return ""
	}
	note, err := sec.Data()
	// The note: namesz, descsz, type (4 bytes each), "Go\x00\x00", then
	// the ID.
	if err != nil || len(note) < 16 || string(note[12:16]) != "Go\x00\x00" {
		return ""
	}
	n := binary.LittleEndian.Uint32(note[4:])
	if f.ByteOrder == binary.BigEndian {
		n = binary.BigEndian.Uint32(note[4:])
	}
	if uint64(n) > uint64(len(note)-16) || n == 0 {
		return ""
	}
	return string(note[16 : 16+n])
}
