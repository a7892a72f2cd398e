package sandbox

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Limits caps the resources a guest (a process tree sharing one Account)
// may use. Zero means unlimited for every field.
type Limits struct {
	MemoryBytes    uint64        `json:"memory_bytes,omitempty"`     // total linear memory of all instances
	TableElements  uint64        `json:"table_elements,omitempty"`   // total elements of all tables
	Fuel           uint64        `json:"fuel,omitempty"`             // instructions (engine-defined units)
	CPUTime        time.Duration `json:"cpu_time,omitempty"`         // CPU time charged by the engine
	WallTime       time.Duration `json:"wall_time,omitempty"`        // elapsed time since the Account was made
	Descriptors    uint64        `json:"descriptors,omitempty"`      // open descriptors at a time
	Threads        uint64        `json:"threads,omitempty"`          // live threads at a time
	Processes      uint64        `json:"processes,omitempty"`        // live processes at a time
	Sockets        uint64        `json:"sockets,omitempty"`          // open sockets at a time
	FileWriteBytes uint64        `json:"file_write_bytes,omitempty"` // bytes written to files, cumulative
	NetSendBytes   uint64        `json:"net_send_bytes,omitempty"`   // bytes sent on sockets, cumulative
	NetRecvBytes   uint64        `json:"net_recv_bytes,omitempty"`   // bytes received on sockets, cumulative
	FileEntries    uint64        `json:"file_entries,omitempty"`     // files, directories and links created, cumulative
}

// Resource names one quota.
type Resource uint8

// Resources. "Gauge" resources are acquired and released (usage goes up and
// down); "cumulative" ones are only ever charged.
const (
	ResMemory      Resource = iota // gauge, bytes
	ResTable                       // gauge, elements
	ResFuel                        // cumulative, units
	ResCPUTime                     // cumulative, nanoseconds
	ResWallTime                    // checked with CheckWallTime, not charged
	ResDescriptors                 // gauge
	ResThreads                     // gauge
	ResProcesses                   // gauge
	ResSockets                     // gauge
	ResFileWrite                   // cumulative, bytes
	ResNetSend                     // cumulative, bytes
	ResNetRecv                     // cumulative, bytes
	ResFileEntries                 // cumulative, entries created
	resourceCount
)

var resourceNames = [resourceCount]string{
	ResMemory:      "linear memory bytes",
	ResTable:       "table elements",
	ResFuel:        "fuel",
	ResCPUTime:     "CPU time (ns)",
	ResWallTime:    "wall time (ns)",
	ResDescriptors: "open descriptors",
	ResThreads:     "threads",
	ResProcesses:   "processes",
	ResSockets:     "sockets",
	ResFileWrite:   "bytes written to files",
	ResNetSend:     "bytes sent",
	ResNetRecv:     "bytes received",
	ResFileEntries: "file system entries created",
}

// String names the resource.
func (r Resource) String() string {
	if r < resourceCount {
		return resourceNames[r]
	}
	return fmt.Sprintf("Resource(%d)", uint8(r))
}

func (l Limits) limit(r Resource) uint64 {
	switch r {
	case ResMemory:
		return l.MemoryBytes
	case ResTable:
		return l.TableElements
	case ResFuel:
		return l.Fuel
	case ResCPUTime:
		return durationLimit(l.CPUTime)
	case ResWallTime:
		return durationLimit(l.WallTime)
	case ResDescriptors:
		return l.Descriptors
	case ResThreads:
		return l.Threads
	case ResProcesses:
		return l.Processes
	case ResSockets:
		return l.Sockets
	case ResFileWrite:
		return l.FileWriteBytes
	case ResNetSend:
		return l.NetSendBytes
	case ResNetRecv:
		return l.NetRecvBytes
	case ResFileEntries:
		return l.FileEntries
	}
	return 0
}

func durationLimit(d time.Duration) uint64 {
	if d <= 0 {
		return 0
	}
	return uint64(d)
}

// ErrQuotaExceeded is matched (with errors.Is) by every *QuotaExceeded.
var ErrQuotaExceeded = errors.New("quota exceeded")

// QuotaExceeded reports a refused charge. Nothing was charged.
type QuotaExceeded struct {
	Resource  Resource
	Limit     uint64 // the configured limit
	Used      uint64 // usage when the charge was refused
	Requested uint64 // the refused amount
}

// Error names the resource and the figures, e.g.
// "quota exceeded: threads: requested 1, used 4 of 4".
func (q *QuotaExceeded) Error() string {
	return fmt.Sprintf("quota exceeded: %s: requested %d, used %d of %d", q.Resource, q.Requested, q.Used, q.Limit)
}

// Is reports whether target is ErrQuotaExceeded.
func (q *QuotaExceeded) Is(target error) bool { return target == ErrQuotaExceeded }

// Account tracks usage against Limits. It is safe for concurrent use; every
// operation is a few atomic instructions. A nil *Account does no accounting
// at all and allows everything, which is the fastest way to run without
// quotas; a non-nil Account still counts usage of unlimited resources (one
// atomic add) so that Used reports it.
type Account struct {
	limits [resourceCount]uint64
	used   [resourceCount]atomic.Uint64
	// reached marks the resources whose limit refused or shortened a
	// charge (set only on that path, so it costs nothing otherwise).
	reached [resourceCount]atomic.Bool
	start   time.Time

	attachMu    sync.Mutex
	attachments map[any]any // see Attachment
}

// Attachment runs f with the account's slot for key (nil until f sets
// it; setting it to nil removes it), holding a lock every Attachment call
// on the account shares. A package that keeps state per account, such as
// wasi's CPU-time meter (one sampler per process tree), keeps it here, so
// it lives and dies with the account instead of in a registry of its own.
// A nil Account has no slots: f sees nil and what it stores is dropped.
func (a *Account) Attachment(key any, f func(slot *any)) {
	var v any
	if a == nil {
		f(&v)
		return
	}
	a.attachMu.Lock()
	defer a.attachMu.Unlock()
	v = a.attachments[key]
	f(&v)
	switch {
	case v != nil && a.attachments == nil:
		a.attachments = map[any]any{key: v}
	case v != nil:
		a.attachments[key] = v
	default:
		delete(a.attachments, key)
	}
}

// NewAccount starts accounting against l. Wall time is measured from now.
func NewAccount(l Limits) *Account {
	a := &Account{start: time.Now()}
	for r := Resource(0); r < resourceCount; r++ {
		a.limits[r] = l.limit(r)
	}
	return a
}

// Acquire charges n units of r, or returns a *QuotaExceeded and charges
// nothing if that would pass the limit. Gauges are given back with Release.
// For ResWallTime, n is ignored and Acquire is CheckWallTime.
func (a *Account) Acquire(r Resource, n uint64) error {
	if a == nil || r >= resourceCount {
		return nil
	}
	if r == ResWallTime {
		return a.CheckWallTime()
	}
	u := &a.used[r]
	limit := a.limits[r]
	if limit == 0 {
		u.Add(n)
		return nil
	}
	for {
		cur := u.Load()
		next := cur + n
		if next < cur || next > limit {
			a.reached[r].Store(true)
			return &QuotaExceeded{Resource: r, Limit: limit, Used: cur, Requested: n}
		}
		if u.CompareAndSwap(cur, next) {
			return nil
		}
	}
}

// gauges marks the resources that Release gives back.
var gauges = [resourceCount]bool{
	ResMemory: true, ResTable: true, ResDescriptors: true,
	ResThreads: true, ResProcesses: true, ResSockets: true,
}

// Release gives back n units of a gauge resource. Releasing more than is in
// use clamps the usage at zero rather than wrapping around. Cumulative
// resources (fuel, CPU time, bytes written, sent or received) are never
// given back: Release ignores them, so a budget cannot be refilled by
// mistake.
func (a *Account) Release(r Resource, n uint64) {
	if a == nil || r >= resourceCount || !gauges[r] {
		return
	}
	subtractClamped(&a.used[r], n)
}

// subtractClamped lowers u by n atomically, stopping at zero rather than
// wrapping around.
func subtractClamped(u *atomic.Uint64, n uint64) {
	for {
		cur := u.Load()
		next := cur - n
		if n > cur {
			next = 0
		}
		if u.CompareAndSwap(cur, next) {
			return
		}
	}
}

// Used returns the current usage of r (nanoseconds since NewAccount for
// ResWallTime).
func (a *Account) Used(r Resource) uint64 {
	if a == nil || r >= resourceCount {
		return 0
	}
	if r == ResWallTime {
		return uint64(time.Since(a.start))
	}
	return a.used[r].Load()
}

// Usage returns a snapshot of current usage in the shape of Limits (each
// field read atomically, the whole not as one transaction); WallTime is the
// time elapsed since NewAccount.
func (a *Account) Usage() Limits {
	if a == nil {
		return Limits{}
	}
	return Limits{
		MemoryBytes:    a.Used(ResMemory),
		TableElements:  a.Used(ResTable),
		Fuel:           a.Used(ResFuel),
		CPUTime:        time.Duration(a.Used(ResCPUTime)),
		WallTime:       time.Duration(a.Used(ResWallTime)),
		Descriptors:    a.Used(ResDescriptors),
		Threads:        a.Used(ResThreads),
		Processes:      a.Used(ResProcesses),
		Sockets:        a.Used(ResSockets),
		FileWriteBytes: a.Used(ResFileWrite),
		NetSendBytes:   a.Used(ResNetSend),
		NetRecvBytes:   a.Used(ResNetRecv),
		FileEntries:    a.Used(ResFileEntries),
	}
}

// Reached lists the resources whose limit has refused or shortened a
// charge since NewAccount, in Resource order: the quotas the guest ran
// into, whether or not it noticed.
func (a *Account) Reached() []Resource {
	if a == nil {
		return nil
	}
	var out []Resource
	for r := Resource(0); r < resourceCount; r++ {
		if a.reached[r].Load() {
			out = append(out, r)
		}
	}
	return out
}

// Limit returns the limit of r; zero means unlimited.
func (a *Account) Limit(r Resource) uint64 {
	if a == nil || r >= resourceCount {
		return 0
	}
	return a.limits[r]
}

// Remaining returns how much of r may still be acquired, and false when r is
// unlimited.
func (a *Account) Remaining(r Resource) (uint64, bool) {
	limit := a.Limit(r)
	if limit == 0 {
		return math.MaxUint64, false
	}
	used := a.Used(r)
	if used >= limit {
		return 0, true
	}
	return limit - used, true
}

// CheckWallTime returns a *QuotaExceeded once the wall-time limit has
// passed. Engines that cannot use a context can poll it.
func (a *Account) CheckWallTime() error {
	if a == nil || a.limits[ResWallTime] == 0 {
		return nil
	}
	used := uint64(time.Since(a.start))
	if used > a.limits[ResWallTime] {
		a.reached[ResWallTime].Store(true)
		return &QuotaExceeded{Resource: ResWallTime, Limit: a.limits[ResWallTime], Used: used}
	}
	return nil
}

// Deadline returns when the wall-time limit expires, and false if there is
// no wall-time limit.
func (a *Account) Deadline() (time.Time, bool) {
	if a == nil || a.limits[ResWallTime] == 0 {
		return time.Time{}, false
	}
	return a.start.Add(time.Duration(a.limits[ResWallTime])), true
}

// Context derives a context that is cancelled at the wall-time deadline; its
// cause (context.Cause) is then a *QuotaExceeded for ResWallTime. Without a
// wall-time limit it returns a plain cancelable child of parent.
func (a *Account) Context(parent context.Context) (context.Context, context.CancelFunc) {
	d, ok := a.Deadline()
	if !ok {
		return context.WithCancel(parent)
	}
	limit := a.limits[ResWallTime]
	return context.WithDeadlineCause(parent, d, &QuotaExceeded{Resource: ResWallTime, Limit: limit, Used: limit})
}

// AcquireUpTo charges as much of n units of r as the limit leaves and
// returns the amount charged: n when it fits, less when only part of it
// does. When nothing is left (and n > 0) it charges nothing and returns a
// *QuotaExceeded. It suits transfers that may be shortened, such as a
// write of which only the first bytes fit in the quota. For ResWallTime
// it is CheckWallTime.
func (a *Account) AcquireUpTo(r Resource, n uint64) (uint64, error) {
	if a == nil || r >= resourceCount || n == 0 {
		return n, nil
	}
	if r == ResWallTime {
		return n, a.CheckWallTime()
	}
	u := &a.used[r]
	limit := a.limits[r]
	if limit == 0 {
		u.Add(n)
		return n, nil
	}
	for {
		cur := u.Load()
		if cur >= limit {
			a.reached[r].Store(true)
			return 0, &QuotaExceeded{Resource: r, Limit: limit, Used: cur, Requested: n}
		}
		grant := min(n, limit-cur)
		if u.CompareAndSwap(cur, cur+grant) {
			if grant < n {
				a.reached[r].Store(true)
			}
			return grant, nil
		}
	}
}

// Refund gives back the unused part of a charge the caller made itself,
// for example the bytes of a reservation that a short write did not
// transfer. Unlike Release it applies to cumulative resources too; it must
// never be given more than the caller charged, or a budget would be
// refilled. The usage is clamped at zero.
func (a *Account) Refund(r Resource, n uint64) {
	if a == nil || r >= resourceCount || n == 0 {
		return
	}
	subtractClamped(&a.used[r], n)
}
