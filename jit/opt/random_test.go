package opt

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/wasmgen"
	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// randEnv runs a random module's compiled functions with globals in a map
// (every global starts from the same value in both runs compared).
type randEnv struct {
	funcs   map[uint32]*ir.Func
	globals map[uint32]uint64
	budget  int
	// memory 0 (nil: none), its minimum and maximum pages
	mem        []byte
	hasMem     bool
	minP, maxP uint64
}

func (e *randEnv) Memory() []byte { return e.mem }

func (e *randEnv) GrowMemory(delta uint32) int32 {
	old := uint64(len(e.mem)) / wasm.PageSize
	if !e.hasMem || old+uint64(delta) > e.maxP {
		return -1
	}
	e.mem = append(e.mem, make([]byte, uint64(delta)*wasm.PageSize)...)
	return int32(old)
}

func (e *randEnv) Call(fn uint32, args []uint64) ([]uint64, error) {
	f := e.funcs[fn]
	if f == nil {
		return nil, errSkip
	}
	return ir.Run(f, e, args, &e.budget)
}

func (e *randEnv) GlobalGet(i uint32) (uint64, error) {
	if v, ok := e.globals[i]; ok {
		return v, nil
	}
	return 40 + uint64(i), nil // a small budget-like start value
}

func (e *randEnv) GlobalSet(i uint32, v uint64) error { e.globals[i] = v; return nil }

func (e *randEnv) outcome(fn uint32, args []uint64) string {
	e.globals, e.budget = map[uint32]uint64{}, 100_000
	e.mem = nil
	if e.hasMem {
		e.mem = make([]byte, e.minP*wasm.PageSize)
	}
	res, err := e.Call(fn, args)
	if errors.Is(err, errSkip) || errors.Is(err, ir.ErrNoMemory) || errors.Is(err, ir.ErrNoTable) {
		return "skip"
	}
	for i, r := range res {
		if e.funcs[fn].Sig.Results[i] == ir.I32 || e.funcs[fn].Sig.Results[i] == ir.F32 {
			res[i] = uint64(uint32(r))
		}
	}
	return fmt.Sprintf("%v %v globals %v memory %d bytes %x", res, err, e.globals, len(e.mem), sha256.Sum256(e.mem))
}

// TestRandomModules builds the IR of random valid modules
// (internal/wasmgen): every function the front end accepts must verify as
// built and after the passes, and both must compute the same results,
// traps and global writes on random arguments.
func TestRandomModules(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 60
	}
	compiled, runs, memories, accesses, unchecked := 0, 0, 0, 0, 0
	for seed := int64(0); seed < int64(n); seed++ {
		rng := rand.New(rand.NewSource(seed))
		data := make([]byte, 64+rng.Intn(2048))
		rng.Read(data)
		bin := wasmgen.Generate(data, wasmgen.Config{NoSIMD: true, NoRefTypes: true})
		m, err := decoder.Decode(bin, wasm.Features2)
		if err != nil {
			t.Fatalf("seed %d: generated module does not decode: %v", seed, err)
		}
		var envs [2]*randEnv
		for stage := range envs {
			res, err := front.Build(m, validator.Config{Features: wasm.Features2})
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			envs[stage] = &randEnv{funcs: map[uint32]*ir.Func{}}
			if m.NumImportedMems == 0 && len(m.Mems) == 1 && m.Mems[0].Limits.Min <= 4 {
				lim := m.Mems[0].Limits
				envs[stage].hasMem, envs[stage].minP, envs[stage].maxP = true, lim.Min, 8
				if lim.HasMax && lim.Max < 8 {
					envs[stage].maxP = lim.Max
				}
				memories++
			}
			for _, r := range res {
				if r.Func == nil {
					continue
				}
				if stage == 1 {
					RunWith(r.Func, ConfigFor(m))
				} else {
					compiled++
				}
				if stage == 1 {
					for _, b := range r.Func.Blocks {
						for _, v := range b.Insts {
							if v.Op == ir.OpLoad || v.Op == ir.OpStore {
								accesses++
								if u, _ := v.BoundsCheck(); u {
									unchecked++
								}
							}
						}
					}
				}
				if err := ir.Verify(r.Func); err != nil {
					t.Fatalf("seed %d stage %d: f%d: %v\n%v", seed, stage, r.Index, err, r.Func)
				}
				envs[stage].funcs[r.Index] = r.Func
			}
		}
		for fn, f := range envs[0].funcs {
			for try := 0; try < 4; try++ {
				args := make([]uint64, len(f.Sig.Params))
				for i, p := range f.Sig.Params {
					args[i] = rng.Uint64() >> uint(rng.Intn(64))
					if p == ir.I32 || p == ir.F32 {
						args[i] = uint64(uint32(args[i]))
					}
				}
				a, b := envs[0].outcome(fn, args), envs[1].outcome(fn, args)
				if strings.Contains(b, ir.ErrUncheckedAccess.Error()) {
					t.Errorf("seed %d f%d%v: %s\n%v", seed, fn, args, b, envs[1].funcs[fn])
				}
				if a != b {
					t.Errorf("seed %d f%d%v: as built %s, optimised %s\n%v\n%v", seed, fn, args, a, b, envs[0].funcs[fn], envs[1].funcs[fn])
				}
				if a != "skip" {
					runs++
				}
			}
		}
	}
	t.Logf("%d random modules (%d with memory 0): %d functions compiled, %d runs compared; %d of %d accesses left unchecked",
		n, memories/2, compiled, runs, unchecked, accesses)
	if compiled == 0 || runs == 0 {
		t.Error("the random modules exercised nothing")
	}
}
