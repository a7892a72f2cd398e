package kiln

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/internal/pprof"
	"github.com/kilnrt/kiln/store"
)

// Profiler samples the wasm call stacks of the guests running in the
// runtimes configured with it (RuntimeConfig.Profiler) and writes them as
// a CPU profile in pprof's format, so that `go tool pprof` shows where a
// guest spends its time, by wasm function (names from the name section,
// else "func[N]").
//
// Between Start and Stop it asks every running call for a sample Rate
// times a second; a call takes it at its next function entry or loop
// back-edge (so time in host functions is not sampled, and the samples
// are biased to those points, as safepoint profilers are). The dispatch
// loop is unchanged: a runtime with a Profiler checks for interruption at
// those points, as one whose calls have a cancellable context or fuel
// does anyway.
type Profiler struct {
	rate     int
	sampling *engine.Sampling

	mu      sync.Mutex
	samples map[string]*profSample
	names   map[*store.Function]string // the functions seen, named once
	start   time.Time
	elapsed time.Duration
	stop    chan struct{}
	done    chan struct{}
}

type profSample struct {
	stack []string
	count int64
}

// DefaultProfileRate is the sampling rate of a Profiler made with rate 0,
// in samples per second (that of Go's CPU profiler).
const DefaultProfileRate = 100

// NewProfiler returns a profiler taking rate samples a second (0 means
// DefaultProfileRate). It samples only between Start and Stop.
func NewProfiler(rate int) *Profiler {
	if rate <= 0 {
		rate = DefaultProfileRate
	}
	p := &Profiler{rate: rate, samples: map[string]*profSample{}, names: map[*store.Function]string{}}
	p.sampling = engine.NewSampling(p.record)
	return p
}

// Start starts sampling; it fails if the profiler is running.
func (p *Profiler) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stop != nil {
		return errors.New("profiler: already started")
	}
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	p.start = time.Now()
	go p.tick(p.stop, p.done)
	return nil
}

func (p *Profiler) tick(stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(time.Second / time.Duration(p.rate))
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.sampling.Request()
		}
	}
}

// Stop stops sampling (the samples taken are kept).
func (p *Profiler) Stop() {
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.stop, p.done = nil, nil
	if stop != nil {
		p.elapsed += time.Since(p.start)
	}
	p.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}

// record is the sink of the interpreter's samples (on the sampled call's
// goroutine): at most Rate calls a second per running call.
func (p *Profiler) record(stack []*store.Function) {
	p.mu.Lock()
	defer p.mu.Unlock()
	names := make([]string, len(stack))
	for i, f := range stack {
		name, ok := p.names[f]
		if !ok {
			name = functionName(f)
			p.names[f] = name
		}
		names[i] = name
	}
	key := strings.Join(names, "\x00")
	s := p.samples[key]
	if s == nil {
		s = &profSample{stack: names}
		p.samples[key] = s
	}
	s.count++
}

// functionName names a sampled function: module!name, the name from the
// name section or func[index].
func functionName(f *store.Function) string {
	name := f.Name
	if name == "" {
		name = fmt.Sprintf("func[%d]", f.Index)
	}
	if f.Module != nil && f.Module.Name != "" {
		name = f.Module.Name + "!" + name
	}
	return name
}

// Samples returns the number of samples taken.
func (p *Profiler) Samples() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	var n int64
	for _, s := range p.samples {
		n += s.count
	}
	return n
}

// WriteProfile writes the samples as a gzip-compressed pprof profile
// (profile.proto): sample types samples/count and cpu/nanoseconds, each
// sample standing for 1/rate seconds. program names the mapping (the
// module's file name, for example).
func (p *Profiler) WriteProfile(w io.Writer, program string) error {
	p.mu.Lock()
	prof := pprof.New()
	period := int64(time.Second) / int64(p.rate)
	for _, s := range p.samples {
		prof.Add(s.stack, s.count, s.count*period)
	}
	start, elapsed := p.start, p.elapsed
	if p.stop != nil {
		elapsed += time.Since(p.start)
	}
	p.mu.Unlock()
	if err := prof.Write(w, program, start.UnixNano(), int64(elapsed), period); err != nil {
		return fmt.Errorf("profiler: %w", err)
	}
	return nil
}
