//go:build kilnjit

package kiln

import (
	"strings"
	"testing"
)

// TestCaptureResumeJIT: under the JIT, a module importing the capturing
// functions runs in the interpreter (counted as its functions), where
// capture works; the same functions without those imports are the JIT's.
func TestCaptureResumeJIT(t *testing.T) {
	cfg := RuntimeConfig{Engine: EngineJIT}
	testCaptureResume(t, cfg)
	plain := strings.ReplaceAll(captureWAT, `"wasix_32v1"`, `"host"`)
	cm := compile(t, NewRuntime(cfg), plain)
	if cm.EngineStats()[EngineJIT] == 0 {
		t.Errorf("without the capturing imports the JIT compiled nothing: %v", cm.EngineStats())
	}
}
