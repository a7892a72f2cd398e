package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// portUnsupported serves the virtual network administration calls
// (port_*: bridging to a remote network, DHCP, addresses, routes, the
// MAC address of a virtual NIC). kiln's guests use the host's network
// through sockets under the sandbox's network policy and have no virtual
// NIC to administer, so every one answers ENOTSUP, as the reference
// runtime does without a networking backend. They are served so that
// programs importing them link.
func portUnsupported(context.Context, *wasi.Thread, wasi.Mem, []uint64) (kernel.Errno, error) {
	return kernel.ENOTSUP, nil
}
