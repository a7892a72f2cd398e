package spectest

import (
	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wast"
)

// The threads proposal's script commands: (thread $T (shared (module $M))
// cmd...) runs its commands on a goroutine of its own, concurrently with
// the script, seeing only the shared instances by name and keeping its
// own registrations (a kiln.Linker in front of the runtime's registry);
// (wait $T) joins it and adds its results to the script's report.

// scriptThread is a running thread command.
type scriptThread struct {
	done chan struct{}
	run  *scriptRun
}

func (s *scriptRun) thread(c *wast.ThreadCommand) {
	if _, dup := s.threads[c.ID]; dup {
		s.fail(c.Pos, "thread", "a new thread name", "thread "+c.ID+" is running")
		return
	}
	sub := newScriptRun(s.ctx, s.rt, kiln.NewLinker())
	for _, id := range c.Shared {
		inst := s.named[id]
		if inst == nil {
			s.fail(c.Pos, "thread", "a shared module instance", "unknown module "+id)
			return
		}
		sub.named[id] = inst
	}
	th := &scriptThread{done: make(chan struct{}), run: sub}
	s.threads[c.ID] = th
	go func() {
		defer close(th.done)
		for _, cmd := range c.Commands {
			sub.run(cmd)
		}
		sub.waitAll()
	}()
	s.pass()
}

func (s *scriptRun) wait(c *wast.WaitCommand) {
	th := s.threads[c.Thread]
	if th == nil {
		s.fail(c.Pos, "wait", "a running thread", "unknown thread "+c.Thread)
		return
	}
	s.join(c.Thread, th)
	s.pass()
}

// join waits for a thread and adds its results.
func (s *scriptRun) join(id string, th *scriptThread) {
	<-th.done
	delete(s.threads, id)
	s.report.Add(th.run.report)
}

// waitAll joins the threads nobody waited for (at the end of a script or
// of a thread), so that their results count and no goroutine outlives
// the run.
func (s *scriptRun) waitAll() {
	for id, th := range s.threads {
		s.join(id, th)
	}
}

// register makes inst importable under name: in the thread's linker, or
// in the runtime at the top level.
func (s *scriptRun) register(name string, inst *kiln.Instance) {
	if s.linker != nil {
		s.linker.Define(name, inst)
		return
	}
	s.rt.Register(name, inst)
}
