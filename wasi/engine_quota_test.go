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
