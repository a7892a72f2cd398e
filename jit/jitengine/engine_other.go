//go:build !((amd64 || arm64) && unix)

package jitengine

import (
	"fmt"
	"runtime"

	"github.com/kilnrt/kiln/internal/engine"
)

// New reports that this platform has no JIT back end.
func New(fallback engine.Engine) (engine.Engine, error) {
	return nil, fmt.Errorf("jit: no back end for %s/%s", runtime.GOOS, runtime.GOARCH)
}

// NewTiering reports that this platform has no JIT back end.
func NewTiering(fallback engine.Engine) (engine.Engine, engine.Tierer, error) {
	_, err := New(fallback)
	return nil, nil, err
}
