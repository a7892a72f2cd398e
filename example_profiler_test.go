package kiln_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wast"
)

// A Profiler samples the guest's call stacks while it runs; WriteProfile
// produces a file for go tool pprof (kiln run --profile FILE does this).
func ExampleProfiler() {
	ctx := context.Background()
	profiler := kiln.NewProfiler(1000) // samples a second
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Profiler: profiler})
	bin, err := wast.ParseModule("spin.wat", []byte(`(module
	  (func (export "spin") (param $n i32)
	    (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))`))
	if err != nil {
		panic(err)
	}
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		panic(err)
	}
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		panic(err)
	}
	if err := profiler.Start(); err != nil {
		panic(err)
	}
	for profiler.Samples() < 10 {
		if _, err := inst.Func("spin").Call(ctx, 1_000_000); err != nil {
			panic(err)
		}
	}
	profiler.Stop()
	var profile bytes.Buffer // or an *os.File
	if err := profiler.WriteProfile(&profile, "spin.wasm"); err != nil {
		panic(err)
	}
	fmt.Println("gzip-compressed pprof profile:", bytes.HasPrefix(profile.Bytes(), []byte{0x1f, 0x8b}))
	// Output: gzip-compressed pprof profile: true
}
