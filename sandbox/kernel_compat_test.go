package sandbox_test

import (
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
)

// NetChecker must keep the method set of kernel.NetPolicy; sandbox itself
// does not import kernel, so this test is where a drift would show.
var _ kernel.NetPolicy = sandbox.NetChecker{}
