//go:build linux

package kernel

import (
	"bytes"
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// TestLargePipeWriteCancellable: a write of more than a pipe holds, to a
// pipe nobody reads, ends when its context does (ECANCELED, after the
// pipe took what it holds), instead of one write(2) that blocks until a
// reader comes.
func TestLargePipeWriteCancellable(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	p, _ := newProc(t, Config{Stdout: w})
	big := bytes.Repeat([]byte("x"), 4<<20)
	done := make(chan struct{})
	var n int
	var e Errno
	var e2 Errno
	go func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(bg, 200*time.Millisecond)
		defer cancel()
		n, e = p.FDWrite(ctx, 1, [][]byte{big})
		_, e2 = p.FDWrite(ctx, 1, [][]byte{big})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		r.Close() // unblock the writer before failing
		<-done
		t.Fatal("the write outlived its context by 10 s")
	}
	if e != ECANCELED || n <= 0 || n >= len(big) {
		t.Errorf("write = %d, %v; want ECANCELED after the part the pipe took", n, e)
	}
	wantE(t, "write after the deadline", e2, ECANCELED)
	// With a reader the whole write goes through, however large.
	drained := make(chan int64)
	r2, w2, _ := os.Pipe()
	defer r2.Close()
	p3, _ := newProc(t, Config{Stdout: w2})
	go func() {
		var total int64
		buf := make([]byte, 1<<16)
		for {
			k, err := r2.Read(buf)
			total += int64(k)
			if err != nil {
				drained <- total
				return
			}
		}
	}()
	if n, e := p3.FDWrite(bg, 1, [][]byte{big[:1<<20], big[:1<<20]}); e != ESUCCESS || n != 2<<20 {
		t.Errorf("write with a reader = %d, %v", n, e)
	}
	p3.Close()
	w2.Close()
	if got := <-drained; got != 2<<20 {
		t.Errorf("reader got %d bytes", got)
	}
}

// TestBrokenStandardStream: writing to standard output or error whose
// reader is gone gives EPIPE once; writing again ends the process with
// exit code 128+SIGPIPE and an audit record, wherever the stream was
// renumbered. Other pipes keep returning EPIPE.
func TestBrokenStandardStream(t *testing.T) {
	for _, fd := range []FD{1, 2} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		rec := &recorder{}
		cfg := Config{Auditor: rec, Stdout: w}
		if fd == 2 {
			cfg = Config{Auditor: rec, Stderr: w}
		}
		p, _ := newProc(t, cfg)
		w.Close()
		at := fd
		if fd == 1 {
			// Moved elsewhere, it is still the standard output.
			wantE(t, "renumber", p.FDRenumber(1, 9), EBADF) // 9 is not open
			saved, e := p.FDDup(context.Background(), 1)
			wantE(t, "dup", e, ESUCCESS)
			at = saved
		}
		_, e := p.FDWrite(bg, at, [][]byte{[]byte("x")})
		wantE(t, "first write to the broken stream", e, EPIPE)
		if _, exited := p.ExitCode(); exited {
			t.Fatal("the process ended at the first EPIPE")
		}
		_, e = p.FDWrite(bg, fd, [][]byte{[]byte("x")})
		wantE(t, "second write to the broken stream", e, ECANCELED)
		if code, exited := p.ExitCode(); !exited || code != 128+SIGPIPE {
			t.Fatalf("exit code %d, %v; want %d", code, exited, 128+SIGPIPE)
		}
		ev, ok := rec.find(OpSignal)
		if !ok || ev.Signal != SIGPIPE || !errors.Is(ev.Err, ErrBrokenPipe) {
			t.Errorf("signal record = %+v, %v", ev, ok)
		}
	}
	// A pipe the guest made itself is not a standard stream.
	p, _ := newProc(t, Config{})
	rfd, wfd, e := p.Pipe(context.Background())
	wantE(t, "pipe", e, ESUCCESS)
	wantE(t, "close the read end", p.FDClose(rfd), ESUCCESS)
	for i := 0; i < 3; i++ {
		_, e := p.FDWrite(bg, wfd, [][]byte{[]byte("x")})
		wantE(t, "write to another broken pipe", e, EPIPE)
	}
	if _, exited := p.ExitCode(); exited {
		t.Error("a broken pipe that is not a standard stream ended the process")
	}
}
