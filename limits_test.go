package kiln

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// totalLimiter caps the total bytes of all memories and elements of all
// tables it is consulted for, and counts refusals.
type totalLimiter struct {
	mu                sync.Mutex
	memLimit, memUsed uint64
	tabLimit, tabUsed uint64
	memRefused        int
	tabRefused        int
}

func (l *totalLimiter) GrowMemory(cur, want uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return grow(&l.memUsed, l.memLimit, cur, want, &l.memRefused)
}

func (l *totalLimiter) GrowTable(cur, want uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return grow(&l.tabUsed, l.tabLimit, cur, want, &l.tabRefused)
}

func grow(used *uint64, limit, cur, want uint64, refused *int) bool {
	if want <= cur {
		*used -= cur - want
		return true
	}
	if *used+want-cur > limit {
		*refused++
		return false
	}
	*used += want - cur
	return true
}

// twoMemoryBombWAT grows two memories in turn, a page at a time, until
// memory.grow fails, and returns the total number of pages.
const twoMemoryBombWAT = `(module
  (memory $a 1) (memory $b 1)
  (func (export "bomb") (result i32)
    (loop $l
      (if (i32.ne (memory.grow $a (i32.const 1)) (i32.const -1))
        (then (if (i32.ne (memory.grow $b (i32.const 1)) (i32.const -1))
          (then (br $l))))))
    (i32.add (memory.size $a) (memory.size $b))))`

func TestLimiterTotalMemory(t *testing.T) {
	lim := &totalLimiter{memLimit: 10 * wasm.PageSize}
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features3, Limiter: lim})
	inst := instantiate(t, rt, twoMemoryBombWAT)
	res, err := inst.Func("bomb").Call(context.Background())
	if err != nil || res[0] != 10 {
		t.Fatalf("bomb() = %v, %v; want 10 pages in total", res, err)
	}
	if lim.memUsed != 10*wasm.PageSize || lim.memRefused != 1 {
		t.Fatalf("limiter: used %d, refused %d; want %d and 1", lim.memUsed, lim.memRefused, 10*wasm.PageSize)
	}
	// A second instance of the same guest gets nothing more than its
	// initial memories would need: they are refused.
	_, err = rt.Instantiate(context.Background(), compile(t, rt, twoMemoryBombWAT), ModuleConfig{})
	if !errors.Is(err, ErrLimiterRefused) {
		t.Fatalf("second instance: %v, want ErrLimiterRefused", err)
	}
	if lim.memUsed != 10*wasm.PageSize {
		t.Fatalf("failed instantiation kept %d bytes charged", lim.memUsed-10*wasm.PageSize)
	}
	// Closing the instance gives its memories back.
	inst.Close(context.Background())
	if lim.memUsed != 0 {
		t.Fatalf("after Close: %d bytes still charged", lim.memUsed)
	}
	// The embedder's Memory.Grow is limited too.
	inst = instantiate(t, rt, `(module (memory (export "m") 1))`)
	if _, ok := inst.Memory("m").Grow(10); ok {
		t.Fatal("Memory.Grow past the total succeeded")
	}
	if _, ok := inst.Memory("m").Grow(9); !ok {
		t.Fatal("Memory.Grow to the total failed")
	}
}

func TestLimiterTableBomb(t *testing.T) {
	lim := &totalLimiter{tabLimit: 1000}
	rt := NewRuntime(RuntimeConfig{Limiter: lim})
	inst := instantiate(t, rt, `(module
	  (table $t 10 funcref)
	  (func (export "bomb") (result i32)
	    (loop $l
	      (br_if $l (i32.ne (table.grow $t (ref.null func) (i32.const 100)) (i32.const -1))))
	    (table.size $t)))`)
	res, err := inst.Func("bomb").Call(context.Background())
	if err != nil || res[0] != 910 {
		t.Fatalf("bomb() = %v, %v; want 910 elements", res, err)
	}
	if lim.tabRefused != 1 || lim.tabUsed != 910 {
		t.Fatalf("limiter: used %d, refused %d", lim.tabUsed, lim.tabRefused)
	}
	_, err = rt.Instantiate(context.Background(), compile(t, rt, `(module (table 100 funcref))`), ModuleConfig{})
	if !errors.Is(err, ErrLimiterRefused) {
		t.Fatalf("table over the total: %v, want ErrLimiterRefused", err)
	}
	// A closed instance's tables stay charged (an importer could still
	// grow them).
	inst.Close(context.Background())
	if lim.tabUsed != 910 {
		t.Fatalf("after Close: %d elements charged, want 910", lim.tabUsed)
	}
}

func TestLimiterPerModule(t *testing.T) {
	// ModuleConfig.Limiter replaces the runtime's for one instance.
	rtLim := &totalLimiter{memLimit: 100 * wasm.PageSize}
	modLim := &totalLimiter{memLimit: 2 * wasm.PageSize}
	rt := NewRuntime(RuntimeConfig{Limiter: rtLim})
	cm := compile(t, rt, `(module (memory 1)
	  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`)
	inst, err := rt.Instantiate(context.Background(), cm, ModuleConfig{Limiter: modLim})
	if err != nil {
		t.Fatal(err)
	}
	grow := inst.Func("grow")
	if res, _ := grow.Call(context.Background(), 2); res[0] != 0xFFFFFFFF {
		t.Fatalf("grow(2) = %d, want -1", int32(res[0]))
	}
	if res, _ := grow.Call(context.Background(), 1); res[0] != 1 {
		t.Fatalf("grow(1) = %d, want 1", int32(res[0]))
	}
	if rtLim.memUsed != 0 || modLim.memUsed != 2*wasm.PageSize {
		t.Fatalf("runtime limiter %d bytes, module limiter %d", rtLim.memUsed, modLim.memUsed)
	}
}

func TestFuelTankSharedAcrossCalls(t *testing.T) {
	// Measure what one call of loop(100) spends (its entry and its loop
	// iterations), then check that the shared budget is the sum over
	// calls and runs out across calls.
	measure := NewFuelTank(1 << 40)
	rt := NewRuntime(RuntimeConfig{FuelSource: measure})
	loop := instantiate(t, rt, fibWAT).Func("loop")
	if _, err := loop.Call(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	per := measure.Consumed()
	if per < 100 {
		t.Fatalf("loop(100) consumed %d units, want at least 100", per)
	}
	for i := 0; i < 4; i++ {
		if _, err := loop.Call(context.Background(), 100); err != nil {
			t.Fatal(err)
		}
	}
	if got := measure.Consumed(); got != 5*per {
		t.Fatalf("5 calls consumed %d, want %d (deterministic)", got, 5*per)
	}

	tank := NewFuelTank(3*per + per/2)
	rt = NewRuntime(RuntimeConfig{FuelSource: tank})
	loop = instantiate(t, rt, fibWAT).Func("loop")
	for i := 0; i < 3; i++ {
		if _, err := loop.Call(context.Background(), 100); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if _, err := loop.Call(context.Background(), 100); !errors.Is(err, ErrFuelExhausted) {
		t.Fatalf("4th call: %v, want ErrFuelExhausted", err)
	}
	if tank.Remaining() != 0 || tank.Consumed() != 3*per+per/2 {
		t.Fatalf("remaining %d, consumed %d", tank.Remaining(), tank.Consumed())
	}
	tank.Add(per)
	if _, err := loop.Call(context.Background(), 100); err != nil {
		t.Fatalf("after Add: %v", err)
	}
}

func TestFuelTankThroughHostCalls(t *testing.T) {
	// A host function that calls back into wasm draws from the same
	// tank: the fuel consumed is the same as for direct calls.
	tank := NewFuelTank(1 << 40)
	rt := NewRuntime(RuntimeConfig{FuelSource: tank})
	var loop *Func
	_, err := rt.NewHostModule("host").Func("reenter", func(ctx context.Context, n uint32) (uint64, error) {
		res, err := loop.Call(ctx, uint64(n))
		if err != nil {
			return 0, err
		}
		return res[0], nil
	}).Instantiate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	loop = instantiate(t, rt, fibWAT).Func("loop")
	if _, err := loop.Call(context.Background(), 1000); err != nil {
		t.Fatal(err)
	}
	direct := tank.Consumed()
	outer := instantiate(t, rt, `(module (import "host" "reenter" (func $r (param i32) (result i64)))
	  (func (export "f") (result i64) (call $r (i32.const 1000))))`).Func("f")
	if res, err := outer.Call(context.Background()); err != nil || res[0] != 499500 {
		t.Fatalf("f() = %v, %v", res, err)
	}
	if got := tank.Consumed() - direct; got != direct+1 {
		t.Fatalf("through a host call: %d units, want %d (the loop's %d and f's entry)", got, direct+1, direct)
	}
	// Per-call fuel still bounds each call when a tank is set.
	rt2 := NewRuntime(RuntimeConfig{FuelSource: NewFuelTank(1 << 40), Fuel: direct - 1})
	if _, err := instantiate(t, rt2, fibWAT).Func("loop").Call(context.Background(), 1000); !errors.Is(err, ErrFuelExhausted) {
		t.Fatalf("per-call budget below the need: %v", err)
	}
}

func TestFuelTankPerModule(t *testing.T) {
	tank := NewFuelTank(10)
	rt := NewRuntime(RuntimeConfig{})
	inst, err := rt.Instantiate(context.Background(), compile(t, rt, spinWAT), ModuleConfig{FuelSource: tank})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Func("spin").Call(context.Background()); !errors.Is(err, ErrFuelExhausted) {
		t.Fatalf("err = %v, want ErrFuelExhausted", err)
	}
	if tank.Consumed() != 10 {
		t.Fatalf("consumed %d, want 10", tank.Consumed())
	}
}
