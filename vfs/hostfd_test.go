//go:build linux

package vfs

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// TestCloseDuringBlockedRead checks that Close does not wait for a blocked
// read and that the host descriptor is released only when the read ends,
// so its number cannot be reused under the reader.
func TestCloseDuringBlockedRead(t *testing.T) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(p[1])
	f := AdoptHostFD(p[0])
	started := make(chan struct{})
	done := make(chan string)
	go func() {
		buf := make([]byte, 8)
		close(started)
		n, err := f.Read(buf)
		if err != nil {
			done <- "error: " + err.Error()
			return
		}
		done <- string(buf[:n])
	}()
	<-started
	// Wait until the reader holds the descriptor.
	for {
		hf := f.(*hostFile)
		hf.ref.mu.Lock()
		refs := hf.ref.refs
		hf.ref.mu.Unlock()
		if refs == 1 {
			break
		}
	}
	if err := f.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := f.Read(make([]byte, 1)); err != unix.EBADF {
		t.Fatalf("read after close: %v, want EBADF", err)
	}
	if _, err := unix.FcntlInt(uintptr(p[0]), unix.F_GETFD, 0); err != nil {
		t.Fatalf("descriptor closed under a running read: %v", err)
	}
	unix.Write(p[1], []byte("late"))
	if got := <-done; got != "late" {
		t.Fatalf("blocked read got %q", got)
	}
	if _, err := unix.FcntlInt(uintptr(p[0]), unix.F_GETFD, 0); err != unix.EBADF {
		t.Fatalf("descriptor still open after the last user: %v", err)
	}
	if err := f.Close(); err != unix.EBADF {
		t.Fatalf("second close: %v, want EBADF", err)
	}
}

func TestNewHostFileDuplicates(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := NewHostFile(int(w.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	w.Close() // the duplicate keeps the pipe open
	if _, err := f.Write([]byte("dup")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	buf := make([]byte, 8)
	n, _ := r.Read(buf)
	if string(buf[:n]) != "dup" {
		t.Fatalf("got %q", buf[:n])
	}
	if _, err := NewHostFile(-1); err == nil {
		t.Fatal("NewHostFile(-1) succeeded")
	}
}
