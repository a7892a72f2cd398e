package validator

import (
	"errors"
	"sync"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// manyFuncs returns baseModule with n more functions of type [] -> [];
// the defined functions listed in bad get an ill-typed body.
func manyFuncs(n int, bad ...int) *wasm.Module {
	m := baseModule(nil, nil, nil, code())
	for i := 0; i < n; i++ {
		m.Funcs = append(m.Funcs, 1)
		m.Codes = append(m.Codes, wasm.Code{Body: code(i32c(int32(i)), blk(wasm.OpBlock, btI32), i32c(1), op(wasm.OpEnd), op(wasm.OpI32Add), op(wasm.OpDrop))})
	}
	for _, b := range bad {
		m.Codes[b] = wasm.Code{Body: code(i64c(1), op(wasm.OpDrop), op(wasm.OpI32Eqz))}
	}
	return m
}

func TestConcurrentValidation(t *testing.T) {
	m := manyFuncs(200)
	var mu sync.Mutex
	seen := map[uint32]*recorder{}
	newV := func(idx uint32) FuncVisitor {
		r := &recorder{}
		mu.Lock()
		seen[idx] = r
		mu.Unlock()
		return r
	}
	if err := Validate(m, Config{Features: wasm.Features2, Concurrency: 4}, newV); err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(m.Funcs) {
		t.Fatalf("visited %d functions, want %d", len(seen), len(m.Funcs))
	}
	for idx, r := range seen {
		if !r.ended || r.began == nil || r.began.Index != idx {
			t.Errorf("function %d: visitor not driven to the end", idx)
		}
	}

	// The error is the first invalid function's, whatever the schedule.
	for run := 0; run < 20; run++ {
		err := Validate(manyFuncs(200, 150, 40, 90), Config{Features: wasm.Features2, Concurrency: 3}, nil)
		var ve *Error
		if !errors.As(err, &ve) || ve.Func != 41 {
			t.Fatalf("got %v, want the error of function 41 (defined function 40)", err)
		}
	}
}
