package wasi_test

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/kilnrt/kiln/vfs"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// FuzzCall calls one WASI function with arguments and memory contents
// taken from the input, against an in-memory file system: whatever the
// input, the call returns an errno and never panics.
func FuzzCall(f *testing.F) {
	f.Add(uint8(27), []byte{3, 0, 0, 0, 0, 1, 0, 0, 8, 0, 0, 0}, []byte("file\x00data"))
	f.Add(uint8(21), []byte{3, 0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0}, []byte{})
	f.Add(uint8(31), []byte{3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 1}, []byte("dir/../f"))
	fns := wasi.Functions()
	f.Fuzz(func(t *testing.T, which uint8, argBytes, memInit []byte) {
		fn := fns[int(which)%len(fns)]
		if fn.Name == "proc_exit" || fn.Name == "proc_raise" {
			return
		}
		mfs := vfs.NewMemFS()
		if err := mfs.WriteFile("f", []byte("contents")); err != nil {
			t.Fatal(err)
		}
		sys, err := wasi.New(context.Background(), wasi.Config{
			Args: []string{"prog", "arg"}, Env: []string{"K=v"},
			Mounts: []wasi.Mount{{FS: mfs, GuestPath: "/m"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		defer sys.Close()
		mem := make([]byte, 4096)
		copy(mem, memInit)
		stack := make([]uint64, len(fn.Type.Params)+1)
		for i, p := range fn.Type.Params {
			var b [8]byte
			if len(argBytes) > 0 {
				n := copy(b[:], argBytes)
				argBytes = argBytes[n:]
			}
			stack[i] = binary.LittleEndian.Uint64(b[:])
			if p == wasm.I32 {
				// Mostly small values, so pointers land in memory.
				stack[i] = uint64(uint32(stack[i]) % 8192)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 0)
		defer cancel()
		if err := sys.Call(ctx, fn.Name, mem, stack); err != nil {
			t.Fatalf("%s: %v", fn.Name, err)
		}
	})
}
