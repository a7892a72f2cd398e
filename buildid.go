package kiln

import (
	"crypto/sha256"
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

// executableDigest hashes the running executable ("unknown" when it
// cannot be read, which makes entries of such builds never match others).
func executableDigest() string {
	path, err := os.Executable()
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
