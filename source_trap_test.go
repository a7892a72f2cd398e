package kiln_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
)

// testdata/dwarf/divide.wasm is C built with -g (see its build.sh): run
// without arguments it divides by zero in divide(), called by average(),
// called by main(). The trap's frames carry the source positions.
func TestTrapSourcePositions(t *testing.T) {
	bin, err := os.ReadFile("testdata/dwarf/divide.wasm")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	_, err = wasi.Run(ctx, rt, cm, wasi.Config{Args: []string{"divide"}})
	var trap *kiln.Trap
	if !errors.As(err, &trap) || trap.Code != kiln.TrapIntegerDivideByZero {
		t.Fatalf("want an integer divide by zero trap, got %v", err)
	}
	want := []kiln.SourcePos{
		{Function: "divide", File: "divide.c", Line: 7, Column: 11},
		{Function: "average", File: "divide.c", Line: 11, Column: 9},
		{Function: "main", File: "divide.c", Line: 16, Column: 17},
	}
	if len(trap.Frames) < len(want) {
		t.Fatalf("backtrace too short: %+v", trap.Frames)
	}
	for i, w := range want {
		if got := trap.Frames[i].Source; got == nil || *got != w {
			t.Errorf("frame %d (%s): source %+v, want %+v", i, trap.Frames[i].Name, got, w)
		}
	}
	if msg := trap.Error(); !strings.Contains(msg, "integer divide by zero (in divide at divide.c:7:11)") {
		t.Errorf("Error() = %q lacks the source position", msg)
	}
	if s := trap.Frames[1].String(); !strings.HasSuffix(s, " - average at divide.c:11:9") {
		t.Errorf("frame 1 prints as %q", s)
	}
}

// A module without debug information has no source positions, and its
// trap message is the specification's alone.
func TestTrapWithoutSourcePositions(t *testing.T) {
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	bin, err := os.ReadFile("testdata/backtrace.wasm")
	if err != nil {
		t.Fatal(err)
	}
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = inst.Func("outer").Call(ctx)
	var trap *kiln.Trap
	if !errors.As(err, &trap) || len(trap.Frames) != 2 {
		t.Fatalf("want a trap two frames deep, got %v", err)
	}
	for _, f := range trap.Frames {
		if f.Source != nil {
			t.Errorf("frame %v has a source position without DWARF", f)
		}
	}
	if strings.Contains(trap.Error(), " at ") {
		t.Errorf("Error() = %q", trap.Error())
	}
}
