package store

import (
	"sync"

	"github.com/kilnrt/kiln/wasm"
)

// Types interns function types: equal types get equal IDs. It is safe for
// concurrent use.
type Types struct {
	mu  sync.Mutex
	ids map[string]uint32
}

// ID returns the canonical identifier of ft.
func (t *Types) ID(ft *wasm.FuncType) uint32 {
	key := make([]byte, 0, 4*(len(ft.Params)+len(ft.Results))+1)
	for _, p := range ft.Params {
		key = append(key, byte(p), byte(p>>8), byte(p>>16), byte(p>>24))
	}
	key = append(key, ':')
	for _, r := range ft.Results {
		key = append(key, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ids == nil {
		t.ids = make(map[string]uint32)
	}
	id, ok := t.ids[string(key)]
	if !ok {
		id = uint32(len(t.ids))
		t.ids[string(key)] = id
	}
	return id
}
