package difftest

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/wasmgen"
)

// maxReentry bounds how deeply "reenter" calls back into wasm, and
// reentryCalls how often it does per top-level call (each nested export
// call resets the module's budget, so this bounds the work of a call).
const (
	maxReentry   = 2
	reentryCalls = 4
)

// Host is the state of a "host" module registered by RegisterHost.
type Host struct {
	depth, remaining int
	// Reentries counts the calls back into wasm.
	Reentries int
}

// Reset prepares the host for a new top-level call.
func (h *Host) Reset() { h.remaining = reentryCalls }

// RegisterHost defines module "host" in rt with the functions modules
// generated with wasmgen.Config.HostImports import:
//   - mix(i64, i32) -> i64 combines its arguments;
//   - reenter(i32 x) -> i32 calls export number x (modulo the number of
//     exports) of the calling instance with zero arguments, unless calls
//     are already nested maxReentry deep or it did so reentryCalls times
//     since the last Reset, and returns a digest of the results; an error
//     of the nested call aborts the outer one.
//
// Both are deterministic, so runs of one module compare exactly.
func RegisterHost(ctx context.Context, rt *kiln.Runtime) (*Host, error) {
	h := &Host{}
	h.Reset()
	_, err := rt.NewHostModule("host").
		Func("mix", func(a int64, b int32) int64 { return a*-7046029254386353131 + int64(b) }).
		Func("reenter", func(ctx context.Context, c *kiln.Caller, x int32) (int32, error) {
			inst := c.Instance()
			if inst == nil || h.depth >= maxReentry || h.remaining <= 0 {
				return x + 1, nil
			}
			var fns []*kiln.Func
			for _, e := range inst.Exports() {
				if fn := inst.Func(e.Name); fn != nil {
					fns = append(fns, fn)
				}
			}
			if len(fns) == 0 {
				return x + 1, nil
			}
			fn := fns[int(uint32(x)%uint32(len(fns)))]
			args := make([]kiln.Value, len(fn.Type().Params))
			for i, t := range fn.Type().Params {
				args[i] = kiln.Value{Type: t}
			}
			h.depth++
			h.remaining--
			h.Reentries++
			res, err := fn.CallValues(ctx, args)
			h.depth--
			if err != nil {
				return 0, err
			}
			digest := int32(len(res))
			for _, v := range res {
				digest = digest*31 + int32(v.Lo) + int32(v.Hi)
			}
			return digest, nil
		}).
		Instantiate(ctx)
	if err != nil {
		return nil, fmt.Errorf("host module: %w", err)
	}
	return h, nil
}

// hostConfig is the generator configuration of modules that use the host.
func hostConfig() wasmgen.Config { return wasmgen.Config{HostImports: true} }
