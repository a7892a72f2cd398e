package wasi

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/kilnrt/kiln/sandbox"
)

// The CPU-time quota (Limits.CPUTime) is measured per account, that is
// per guest process tree (the processes of a WASIX tree share their
// first process's account): every goroutine that runs guest code for a
// process with a CPU-time limit (the main thread in CallStart, each
// spawned thread in runThread, WASIX green threads through MeterCPU) is
// locked to its OS thread while it runs,
// and a meter goroutine per account reads the CPU clock of each such
// thread every few milliseconds and charges what it used to the account
// (sandbox.ResCPUTime). Host calls made on a thread count, as the kernel
// work they cause is done on the guest's behalf; time spent blocked does
// not. When the account's limit is reached every process with a metered
// thread is terminated with a *sandbox.QuotaExceeded for ResCPUTime
// (which the engines notice at their next context check, as they do for
// a timeout), one audit record names the quota, and processes of the
// tree that start metering afterwards are terminated at once. Other
// accounts, such as another kiln process tree in the same host process,
// are not affected. The thread clocks are Linux's; elsewhere the limit
// is not enforced (cpumeter_other.go).

// cpuMeterKey is the sandbox.Account attachment holding the account's
// meter while it has metered threads.
type cpuMeterKey struct{}

// cpuMeter samples the threads charging one account.
type cpuMeter struct {
	acct    *sandbox.Account
	mu      sync.Mutex
	threads map[threadClock]*cpuThread
	users   int // threads between MeterCPU and its stop (under the account's attachment lock)
	tripped error
	stop    chan struct{}
}

// cpuThread is one metered OS thread.
type cpuThread struct {
	sys   *System
	clock threadClock
	last  time.Duration // its CPU time charged so far
}

// meterPeriod is how often a meter samples: often enough that a tree
// ends close to its limit, rarely enough to cost nothing measurable.
func meterPeriod(limit time.Duration) time.Duration {
	return min(10*time.Millisecond, max(time.Millisecond, limit/50))
}

// MeterCPU starts charging the calling goroutine's CPU time to the
// process's account when it has a CPU-time limit, and returns the
// function that stops it (to be called on the same goroutine).
// CallStart and spawned threads do it; an extension that runs guest
// code of the process on a goroutine of its own (WASIX green threads)
// calls it there.
func (s *System) MeterCPU() (stop func()) {
	limit := s.quota.Limit(sandbox.ResCPUTime)
	if limit == 0 {
		return func() {}
	}
	clock, release, ok := lockThreadClock()
	if !ok {
		return func() {}
	}
	start, ok := clock.now()
	if !ok {
		release()
		return func() {}
	}
	m := meterFor(s.quota, time.Duration(limit))
	th := &cpuThread{sys: s, clock: clock, last: start}
	m.mu.Lock()
	if _, nested := m.threads[clock]; nested {
		// Metered already (exec runs the new program's _start inside
		// the old one's host call, on the same thread).
		m.mu.Unlock()
		m.done()
		release()
		return func() {}
	}
	m.threads[clock] = th
	if rem, _ := s.quota.Remaining(sandbox.ResCPUTime); rem == 0 && m.tripped == nil {
		// The tree used its budget before this thread started.
		m.trip(&sandbox.QuotaExceeded{Resource: sandbox.ResCPUTime, Limit: limit, Used: limit})
	} else if m.tripped != nil {
		go s.proc.Terminate(m.tripped)
	}
	m.mu.Unlock()
	return func() {
		m.mu.Lock()
		if m.threads[clock] == th {
			m.chargeLocked(th)
			delete(m.threads, clock)
		}
		m.mu.Unlock()
		m.done()
		release()
	}
}

// meterFor returns the account's meter, started if needed, counting one
// more user.
func meterFor(a *sandbox.Account, limit time.Duration) (m *cpuMeter) {
	a.Attachment(cpuMeterKey{}, func(slot *any) {
		if *slot == nil {
			m = &cpuMeter{acct: a, threads: map[threadClock]*cpuThread{}, stop: make(chan struct{})}
			*slot = m
			go m.run(meterPeriod(limit))
		} else {
			m = (*slot).(*cpuMeter)
		}
		m.users++
	})
	return m
}

// done drops one user; the last stops the meter. (The account keeps
// the usage: a thread of the tree that starts later finds no budget left
// and is ended at once.)
func (m *cpuMeter) done() {
	m.acct.Attachment(cpuMeterKey{}, func(slot *any) {
		m.users--
		if m.users == 0 {
			*slot = nil
			close(m.stop)
		}
	})
}

func (m *cpuMeter) run(period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		m.mu.Lock()
		for _, th := range m.threads {
			m.chargeLocked(th)
		}
		m.mu.Unlock()
	}
}

// chargeLocked charges what th used since the last sample; the charge
// that does not fit trips the meter.
func (m *cpuMeter) chargeLocked(th *cpuThread) {
	if m.tripped != nil {
		return
	}
	now, ok := th.clock.now()
	if !ok || now <= th.last {
		return
	}
	used := uint64(now - th.last)
	th.last = now
	if got, err := m.acct.AcquireUpTo(sandbox.ResCPUTime, used); err != nil || got < used {
		limit := m.acct.Limit(sandbox.ResCPUTime)
		m.trip(&sandbox.QuotaExceeded{Resource: sandbox.ResCPUTime, Limit: limit, Used: limit, Requested: used})
	}
}

// trip ends every metered process of the account (m.mu held).
func (m *cpuMeter) trip(err error) {
	m.tripped = fmt.Errorf("CPU time limit of %v exceeded: %w", time.Duration(m.acct.Limit(sandbox.ResCPUTime)), err)
	seen := map[*System]bool{}
	for _, th := range m.threads {
		if seen[th.sys] {
			continue
		}
		if len(seen) == 0 {
			th.sys.recordQuota(context.Background(), "CPU time", m.tripped)
		}
		seen[th.sys] = true
		go th.sys.proc.Terminate(m.tripped)
	}
}
