//go:build unix && !amd64 && !arm64

package rt

import (
	"fmt"
	"runtime"
)

// syncInstructionCache refuses: each ISA has its own rule for making
// written code visible to instruction fetch (amd64: none; arm64: cache
// maintenance), and no other is implemented, so Map fails rather than
// hand out code that might run stale instructions.
func syncInstructionCache([]byte) error {
	return fmt.Errorf("jit/rt: no instruction-cache synchronisation for %s", runtime.GOARCH)
}
