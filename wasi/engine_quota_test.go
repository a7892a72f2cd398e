package wasi_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/sandbox"
)

// TestTablesChargeMemoryAccount grows a table until table.grow fails
// under a 1 MiB memory quota and no table-element quota: the elements'
// host memory (kiln.TableElementBytes each) is charged to the same
// account as linear memory, so the table stops once memory and table
// together fill the megabyte, and the refusal is audited.
func TestTablesChargeMemoryAccount(t *testing.T) {
	const bomb = `(module
	  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
	  (memory 1) (table $t 0 funcref)
	  (func (export "_start")
	    (loop $l
	      (br_if $l (i32.ne (table.grow $t (ref.null func) (i32.const 1000)) (i32.const -1))))
	    (call $exit (table.size $t))))`
	var log bytes.Buffer
	code, err := runWat(t, bomb, sandbox.Limits{MemoryBytes: 1 << 20}, sandbox.NewJSONAuditor(&log))
	want := uint32((1<<20-64<<10)/kiln.TableElementBytes) / 1000 * 1000
	if err != nil || code != want {
		t.Fatalf("table bomb under 1 MiB: exit %d, %v; want %d elements", code, err, want)
	}
	if !strings.Contains(log.String(), `"op":"quota","detail":"quota exceeded: linear memory bytes`) {
		t.Errorf("audit log lacks the memory quota record:\n%s", log.String())
	}
}

// TestEngineMemoryChargesAccount: the frame stack's growth and GC objects
// are charged to the memory account too (kiln.HeapLimiter): under 4 MiB,
// a recursion of big frames and live GC arrays trap, with quota records.
func TestEngineMemoryChargesAccount(t *testing.T) {
	const recursion = `(module (func $f (export "_start") (local i64 i64 i64 i64 i64 i64 i64 i64) call $f))`
	const arrays = `(module (type $a (array (mut i8))) (table $keep 100 (ref null $a))
	  (func (export "_start") (local $i i32)
	    (loop $l (table.set $keep (local.get $i) (array.new_default $a (i32.const 1048576)))
	      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))))`
	for _, tc := range []struct{ name, wat, trap string }{
		{"recursion", recursion, "call stack exhausted (the frame stack's memory was refused by the resource limiter)"},
		{"GC arrays", arrays, "GC heap exhausted"},
	} {
		var log bytes.Buffer
		_, err := runWat(t, tc.wat, sandbox.Limits{MemoryBytes: 4 << 20}, sandbox.NewJSONAuditor(&log))
		if err == nil || !strings.Contains(err.Error(), tc.trap) {
			t.Errorf("%s under 4 MiB: %v, want %q", tc.name, err, tc.trap)
		}
		if !strings.Contains(log.String(), `"op":"quota","detail":"quota exceeded: linear memory bytes`) {
			t.Errorf("%s: audit log lacks the memory quota record:\n%.500s", tc.name, log.String())
		}
	}
}
