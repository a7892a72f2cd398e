package testsuite

import (
	"fmt"
	"os"
	"os/exec"
)

// EmulatorEnv names the user-mode emulator (for example
// qemu-aarch64-static) that runs the test binaries when they are built for
// another architecture, as .ci/run does for arm64 and s390x. The kernel
// cannot start such a binary by itself (no binfmt_misc registration is
// assumed), so a test that starts its own binary again goes through it.
const EmulatorEnv = "KILN_TEST_EMULATOR"

// Emulator returns $KILN_TEST_EMULATOR: the emulator this test binary runs
// under, or "" on the native architecture. Measurements of a process's
// memory and CPU time describe the emulator under one, not kiln.
func Emulator() string { return os.Getenv(EmulatorEnv) }

// SelfCommand returns a command that runs this test binary again with
// args, through the emulator when there is one.
func SelfCommand(args ...string) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding the test binary: %w", err)
	}
	if emu := Emulator(); emu != "" {
		return exec.Command(emu, append([]string{self}, args...)...), nil
	}
	return exec.Command(self, args...), nil
}
