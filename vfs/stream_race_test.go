package vfs

import (
	"bytes"
	"sync"
	"testing"
)

// Guest threads share standard output: concurrent writes to a stream over
// a writer that is not safe for concurrent use (a bytes.Buffer) must not
// race (run with -race) nor lose bytes.
func TestStreamConcurrentWrites(t *testing.T) {
	var buf bytes.Buffer
	s := NewStream(nil, &buf)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				if _, err := s.Writev([][]byte{[]byte("ab"), []byte("c")}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if buf.Len() != 4*100*3 {
		t.Errorf("%d bytes written, want %d", buf.Len(), 4*100*3)
	}
}
