package testsuite

import "os"

// EngineEnv names the environment variable that selects the engine the
// official suites (spectest, the WASI test suite) and the WASI test
// programs run on: a name kiln.ParseEngine accepts ("interpreter", "jit",
// "auto"); unset means the runtime's default. An engine the build lacks
// fails the suites, it does not skip them.
const EngineEnv = "KILN_ENGINE"

// Engine returns the engine name EngineEnv sets, or "".
func Engine() string { return os.Getenv(EngineEnv) }

// TierEagerlyEnv names the environment variable that, set to 1, makes
// the suites' runtimes tier eagerly (kiln.RuntimeConfig.TierEagerly;
// with KILN_ENGINE=auto): every function then runs in every tier.
const TierEagerlyEnv = "KILN_TIER_EAGERLY"

// TierEagerly reports whether TierEagerlyEnv is set to 1.
func TierEagerly() bool { return os.Getenv(TierEagerlyEnv) == "1" }
