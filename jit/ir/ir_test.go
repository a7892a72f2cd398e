package ir

import (
	"errors"
	"strings"
	"testing"
)

// sumTo builds: sum of 0..n-1 with a loop whose header carries i and acc.
func sumTo() *Func {
	f := NewFunc("sum", Signature{Params: []Type{I32}, Results: []Type{I32}})
	entry := f.Entry()
	n := entry.Params[0]
	head, body, exit := f.NewBlock(), f.NewBlock(), f.NewBlock()
	zero := entry.Const(I32, 0)
	entry.Jump(head, zero, zero)
	i, acc := head.AddParam(I32), head.AddParam(I32)
	done := head.Compare(OpGeU, i, n)
	head.Branch(done, Edge{To: exit, Args: []*Value{acc}}, Edge{To: body})
	acc2 := body.Binary(OpAdd, acc, i)
	i2 := body.Binary(OpAdd, i, body.Const(I32, 1))
	body.Jump(head, i2, acc2)
	r := exit.AddParam(I32)
	exit.Return(r)
	return f
}

func TestVerifyAndPrint(t *testing.T) {
	f := sumTo()
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	want := `func sum(i32) -> (i32)
b0(v0:i32):
  v1:i32 = const 0
  jump b1(v1, v1)
b1(v2:i32, v3:i32):
  v4:i32 = ge_u v2, v0
  br_if v4, b3(v3), b2()
b2():
  v5:i32 = add v3, v2
  v6:i32 = const 1
  v7:i32 = add v2, v6
  jump b1(v7, v5)
b3(v8:i32):
  return v8
`
	if got := f.String(); got != want {
		t.Errorf("printed:\n%s\nwant:\n%s", got, want)
	}
	cfg := ComputeCFG(f)
	if len(cfg.RPO) != 4 || cfg.RPO[0] != f.Entry() {
		t.Fatalf("RPO = %v", cfg.RPO)
	}
	head, body, exit := f.Blocks[1], f.Blocks[2], f.Blocks[3]
	if cfg.Idom[head.ID] != f.Entry() || cfg.Idom[body.ID] != head || cfg.Idom[exit.ID] != head {
		t.Errorf("idoms: head %v body %v exit %v", cfg.Idom[head.ID].ID, cfg.Idom[body.ID].ID, cfg.Idom[exit.ID].ID)
	}
	if !cfg.Dominates(head, body) || cfg.Dominates(body, exit) {
		t.Error("dominance relation wrong")
	}
	if len(cfg.Preds[head.ID]) != 2 {
		t.Errorf("head has %d predecessors", len(cfg.Preds[head.ID]))
	}
}

// Each case breaks one invariant of a valid function; Verify must say so.
func TestVerifyRejects(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(f *Func)
		want    string
	}{
		{"unterminated", func(f *Func) { f.Blocks[3].Term = Term{} }, "not terminated"},
		{"edge arity", func(f *Func) { f.Blocks[2].Term.Succs[0].Args = f.Blocks[2].Term.Succs[0].Args[:1] }, "passes 1 values"},
		{"edge type", func(f *Func) {
			e := &f.Blocks[0].Term.Succs[0]
			e.Args[0] = f.Blocks[0].Const(I64, 0)
		}, "argument 0 to b1"},
		{"binary types", func(f *Func) { f.Blocks[2].Insts[0].Type = I64 }, "want one integer type"},
		{"compare result", func(f *Func) { f.Blocks[1].Insts[0].Type = I64 }, "ge_u"},
		{"arity", func(f *Func) { f.Blocks[2].Insts[0].Args = f.Blocks[2].Insts[0].Args[:1] }, "has 1 arguments, want 2"},
		{"return type", func(f *Func) { f.Blocks[3].Term.Rets[0] = f.Blocks[3].Const(I64, 1) }, "return value 0"},
		{"return count", func(f *Func) { f.Blocks[3].Term.Rets = nil }, "returns 0 values"},
		{"use before def", func(f *Func) {
			b := f.Blocks[2]
			b.Insts[1], b.Insts[2] = b.Insts[2], b.Insts[1] // v7 = add v2, v6 before v6
		}, "before its definition"},
		{"not dominated", func(f *Func) {
			// exit uses a value defined in the loop body.
			f.Blocks[3].Term.Rets[0] = f.Blocks[2].Insts[0]
		}, "does not dominate"},
		{"entry target", func(f *Func) {
			f.Blocks[2].Term.Succs[0].To = f.Entry()
			f.Blocks[2].Term.Succs[0].Args = f.Blocks[2].Term.Succs[0].Args[:1]
		}, "edge to the entry"},
		{"branch on i64", func(f *Func) { f.Blocks[1].Term.Cond = f.Blocks[1].Params[0]; f.Blocks[1].Params[0].Type = I64 }, "br_if on a i64"},
		{"duplicate id", func(f *Func) { f.Blocks[2].Insts[1].ID = f.Blocks[2].Insts[0].ID }, "defined twice"},
		{"wide i32 const", func(f *Func) { f.Blocks[0].Insts[0].Aux = 1 << 40 }, "32-bit constant"},
		{"foreign value", func(f *Func) {
			g := sumTo()
			f.Blocks[3].Term.Rets[0] = g.Blocks[3].Params[0]
		}, "in no block"},
		{"call signature", func(f *Func) {
			b := f.Blocks[2]
			b.Call(7, &Signature{Params: []Type{I64}}, b.Insts[0])
		}, "argument 0 is i32, want i64"},
	}
	for _, tt := range tests {
		f := sumTo()
		tt.breakIt(f)
		err := Verify(f)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Verify = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

func TestUnreachableBlocksAreAllowed(t *testing.T) {
	f := sumTo()
	dead := f.NewBlock()
	dead.Trap(TrapUnreachable)
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	if ComputeCFG(f).Reachable(dead) {
		t.Error("a block without predecessors is reachable")
	}
}

type nilEnv struct{}

func (nilEnv) Call(uint32, []uint64) ([]uint64, error) { return nil, nil }
func (nilEnv) GlobalGet(uint32) (uint64, error)        { return 0, nil }
func (nilEnv) GlobalSet(uint32, uint64) error          { return nil }

func TestRun(t *testing.T) {
	f := sumTo()
	budget := 1000
	got, err := Run(f, nilEnv{}, []uint64{10}, &budget)
	if err != nil || len(got) != 1 || got[0] != 45 {
		t.Fatalf("sum(10) = %v, %v; want 45", got, err)
	}
	budget = 5
	if _, err := Run(f, nilEnv{}, []uint64{10}, &budget); err != ErrFuel {
		t.Errorf("with 5 steps: %v, want ErrFuel", err)
	}
	// Edge arguments are a parallel copy: head(a, b, k) loops once as
	// head(b, a, 0) and returns b, which must be the original a.
	g := NewFunc("swap", Signature{Params: []Type{I32, I32}, Results: []Type{I32}})
	head, exit := g.NewBlock(), g.NewBlock()
	g.Entry().Jump(head, g.Entry().Params[0], g.Entry().Params[1], g.Entry().Const(I32, 1))
	a, b, k := head.AddParam(I32), head.AddParam(I32), head.AddParam(I32)
	head.Branch(k, Edge{To: head, Args: []*Value{b, a, head.Const(I32, 0)}}, Edge{To: exit})
	exit.Return(b)
	if err := Verify(g); err != nil {
		t.Fatal(err)
	}
	budget = 10
	if got, _ := Run(g, nilEnv{}, []uint64{1, 7}, &budget); got[0] != 1 {
		t.Errorf("got %v, want 1", got)
	}
	div := NewFunc("div", Signature{Params: []Type{I32}, Results: []Type{I32}})
	div.Entry().Return(div.Entry().Binary(OpDivS, div.Entry().Const(I32, 0x8000_0000), div.Entry().Params[0]))
	for in, want := range map[uint64]string{0: "integer divide by zero", 0xFFFF_FFFF: "integer overflow"} {
		budget = 10
		_, err := Run(div, nilEnv{}, []uint64{in}, &budget)
		var te *TrapError
		if !errors.As(err, &te) || te.Message != want {
			t.Errorf("div by %#x: %v, want trap %q", in, err, want)
		}
	}
}

// A call with several results is read through OpCallResult values right
// after it; Run and the verifier agree on them.
func TestCallResults(t *testing.T) {
	sig := &Signature{Params: []Type{I32}, Results: []Type{I64, I32}}
	callee := NewFunc("callee", *sig)
	cb := callee.Entry()
	cb.Return(cb.Append(OpExtendU, I64, 0, cb.Params[0]), cb.Append(OpAdd, I32, 0, cb.Params[0], cb.Const(I32, 1)))
	f := NewFunc("f", Signature{Params: []Type{I32}, Results: []Type{I32, I64}})
	b := f.Entry()
	call := b.Call(0, sig, b.Params[0])
	r0 := b.Append(OpCallResult, I64, 0, call)
	r1 := b.Append(OpCallResult, I32, 1, call)
	b.Return(r1, r0)
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	budget := 100
	res, err := Run(f, callEnv{callee}, []uint64{41}, &budget)
	if err != nil || len(res) != 2 || res[0] != 42 || res[1] != 41 {
		t.Errorf("Run = %v, %v; want [42 41]", res, err)
	}
	// A result separated from its call is refused.
	g := NewFunc("g", Signature{Params: []Type{I32}, Results: []Type{I32}})
	gb := g.Entry()
	gc := gb.Call(0, sig, gb.Params[0])
	gb.Append(OpAdd, I32, 0, gb.Params[0], gb.Params[0])
	gb.Return(gb.Append(OpCallResult, I32, 1, gc))
	if err := Verify(g); err == nil || !strings.Contains(err.Error(), "does not follow") {
		t.Errorf("Verify of a separated result: %v", err)
	}
}

type callEnv struct{ f *Func }

func (e callEnv) Call(fn uint32, args []uint64) ([]uint64, error) {
	budget := 100
	return Run(e.f, e, args, &budget)
}
func (callEnv) GlobalGet(uint32) (uint64, error) { return 0, nil }
func (callEnv) GlobalSet(uint32, uint64) error   { return nil }
