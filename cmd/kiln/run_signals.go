package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasix"
)

// runSignals is kiln run's handling of SIGINT (and, for WASIX guests,
// SIGTERM). Without a WASIX process tree the first SIGINT cancels the
// run's context (the guest stops at its next function entry or loop
// back-edge). With one, the first signal is forwarded to every process
// of the tree (wasix.SignalTree: the guest's handler or the default
// action, terminate, whose exit status 128+signal kiln then exits with).
// The next signal cancels the run, and the one after that kills kiln
// outright (the default action, restored), in case the guest is blocked
// where cancellation cannot reach.
type runSignals struct {
	ch     chan os.Signal
	cancel context.CancelFunc
	done   chan struct{}

	mu        sync.Mutex
	sys       *wasi.System // the WASIX tree to forward to, or nil
	forwarded bool
}

// interruptible returns the run's context and its signal handling.
func interruptible() (context.Context, *runSignals) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &runSignals{ch: make(chan os.Signal, 4), cancel: cancel, done: make(chan struct{})}
	signal.Notify(s.ch, os.Interrupt)
	go s.loop()
	return ctx, s
}

func (s *runSignals) loop() {
	for {
		select {
		case <-s.done:
			return
		case sig := <-s.ch:
			if s.forward(sig) {
				continue
			}
			s.cancel()
			signal.Stop(s.ch)
			return
		}
	}
}

// forward passes the first signal to the WASIX tree, if there is one.
func (s *runSignals) forward(sig os.Signal) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sys == nil || s.forwarded {
		return false
	}
	s.forwarded = true
	n := wasix.SIGINT
	if sig == syscall.SIGTERM {
		n = wasix.SIGTERM
	}
	return wasix.SignalTree(s.sys, n)
}

// forwardTo makes SIGINT and SIGTERM go to sys's WASIX process tree.
func (s *runSignals) forwardTo(sys *wasi.System) {
	s.mu.Lock()
	s.sys = sys
	s.mu.Unlock()
	signal.Notify(s.ch, syscall.SIGTERM)
}

// stop ends the handling and restores the default actions.
func (s *runSignals) stop() {
	signal.Stop(s.ch)
	close(s.done)
	s.cancel()
}
