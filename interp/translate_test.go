package interp

import (
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// translate compiles the WAT module and returns the code of its functions.
func translate(t *testing.T, src string) []*Code {
	t.Helper()
	bin, err := wast.ParseModule("t.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features2)
	if err != nil {
		t.Fatal(err)
	}
	c := NewCompiler(m)
	if err := validator.ValidateModule(m, wasm.Features2, c.Visitor); err != nil {
		t.Fatal(err)
	}
	return c.Codes()
}

// ops lists the instructions without the two trailing sentinels.
func ops(c *Code) []opcode {
	var out []opcode
	for _, in := range c.instrs[:len(c.instrs)-2] {
		out = append(out, in.op)
	}
	return out
}

func sameOps(got, want []opcode) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestTranslationShapes(t *testing.T) {
	cases := []struct {
		name string
		fn   string
		want []opcode
	}{
		{"local.get and const are operands", `(func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))`,
			[]opcode{opI32AddK, opReturn1}},
		{"local.set retargets the producer", `(func (param i32 i32) (local i32) (local.set 2 (i32.mul (local.get 0) (local.get 1))))`,
			[]opcode{opI32Mul, opReturn}},
		{"drop emits nothing", `(func (param i32) (drop (local.get 0)))`,
			[]opcode{opReturn}},
		{"compare and branch fuse", `(func (param i32) (block (br_if 0 (i32.lt_s (local.get 0) (i32.const 10)))))`,
			[]opcode{opBrI32LtSK, opReturn}},
		{"if on a comparison branches on its negation", `(func (param i32 i32) (result i32) (if (result i32) (i32.eq (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 2))))`,
			[]opcode{opBrI32Ne, opConstBr, opBr, opConst, opReturn1}},
		{"unreachable code emits nothing", `(func (result i32) (return (i32.const 1)) (i32.add (i32.const 1) (i32.const 2)) (block (drop (i32.const 3))))`,
			[]opcode{opReturnK}},
		{"loop back-edge", `(func (param i32) (loop (br_if 0 (local.get 0))))`,
			[]opcode{opBrIf, opReturn}},
		{"address add folded into the load", `(memory 1) (func (param i32) (result i32) (i32.load offset=8 (i32.add (local.get 0) (i32.const 4))))`,
			[]opcode{opI32Load, opReturn1}},
		{"scaled index", `(func (param i32 i32) (result i32) (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))))`,
			[]opcode{opI32AddShlK, opReturn1}},
		{"wrapped i64 address folded into the load", `(memory 1) (func (param i64) (result i32) (i32.load (i32.add (i32.wrap_i64 (local.get 0)) (i32.const 4))))`,
			[]opcode{opI32Load, opReturn1}},
		{"i64.eqz branch fuses", `(func (param i64) (block (br_if 0 (i64.eqz (local.get 0)))))`,
			[]opcode{opBrI64Eqz, opReturn}},
		{"constant conversions fold", `(func (result i64) (i64.extend_i32_s (i32.wrap_i64 (i64.const 0x1ffffffff))))`,
			[]opcode{opReturnK}},
		{"xor of a right shift fuses", `(func (param i32) (result i32) (i32.xor (local.get 0) (i32.shr_u (local.get 0) (i32.const 7))))`,
			[]opcode{opI32XorShrUK, opReturn1}},
		{"xor of a left shift fuses either way round", `(func (param i32 i32) (result i32) (i32.xor (i32.shl (local.get 0) (i32.const 13)) (local.get 1)))`,
			[]opcode{opI32XorShlK, opReturn1}},
		{"rotate of a xor fuses", `(func (param i32 i32) (result i32) (i32.rotr (i32.xor (local.get 0) (local.get 1)) (i32.const 8)))`,
			[]opcode{opI32XorRotlK, opReturn1}},
		{"multiply-add by a constant fuses", `(func (param i32 i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 31)) (local.get 1)))`,
			[]opcode{opI32AddMulK, opReturn1}},
		{"i64 rotate by a constant", `(func (param i64) (result i64) (i64.rotl (local.get 0) (i64.const 31)))`,
			[]opcode{opI64RotlK, opReturn1}},
		{"i64 xor of a shift fuses", `(func (param i64) (result i64) (i64.xor (local.get 0) (i64.shr_u (local.get 0) (i64.const 33))))`,
			[]opcode{opI64XorShrUK, opReturn1}},
		{"no fusion across a label", `(func (param i32) (result i32) (i32.shr_u (local.get 0) (i32.const 7)) (block (param i32) (result i32)) (local.get 0) (i32.xor))`,
			[]opcode{opI32ShrUK, opI32Xor, opReturn1}},
		{"zero store to an unwritten declared local emits nothing", `(func (param i32) (result i32) (local i32) (local.set 1 (i32.const 0)) (local.get 1))`,
			[]opcode{opReturn1}},
		{"zero store after a write is kept", `(func (param i32) (result i32) (local i32) (local.set 1 (local.get 0)) (local.set 1 (i32.const 0)) (local.get 1))`,
			[]opcode{opCopy, opConst, opReturn1}},
		{"zero store inside a loop is kept", `(func (param i32) (local i32) (loop (local.set 1 (i32.const 0))))`,
			[]opcode{opConst, opReturn}},
		{"loop counter increment fuses with its branch", `(func (param i32) (local i32) (loop (br_if 0 (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0)))))`,
			[]opcode{opI32AddKBrNe, opBrI32Ne, opReturn}},
		{"countdown fuses with br_if", `(func (param i32) (loop (br_if 0 (local.tee 0 (i32.add (local.get 0) (i32.const -1))))))`,
			[]opcode{opI32AddKBrIf, opBrIf, opReturn}},
		{"an increment of another value does not fuse", `(func (param i32 i32) (loop (local.set 1 (i32.add (local.get 1) (i32.const 1))) (br_if 0 (i32.lt_u (local.get 0) (i32.const 9)))))`,
			[]opcode{opI32AddK, opBrI32LtUK, opReturn}},
		{"a fused branch stays a jump target", `(func (param i32) (result i32) (local i32) (block (br_if 0 (i32.eqz (local.get 0))) (local.set 1 (i32.add (local.get 1) (i32.const 5)))) (block (br_if 0 (local.get 1)) (local.set 1 (i32.const 1))) (local.get 1))`,
			[]opcode{opBrI32Eqz, opI32AddKBrIf, opBrIf, opConst, opReturn1}},
		{"an increment compared on the right is swapped to fuse", `(func (param i32) (local i32) (loop (local.set 1 (i32.add (local.get 1) (i32.const 1))) (br_if 0 (i32.gt_u (local.get 0) (local.get 1)))))`,
			[]opcode{opI32AddKBrLtU, opBrI32LtU, opReturn}},
		{"xor then multiply by a constant fuses", `(func (param i32 i32) (result i32) (i32.mul (i32.xor (local.get 0) (local.get 1)) (i32.const 16777619)))`,
			[]opcode{opI32XorMulK, opReturn1}},
		{"subtracting a constant is adding its negation", `(func (param i32) (result i32) (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0)) (else (i32.add (call 0 (i32.sub (local.get 0) (i32.const 1))) (call 0 (i32.sub (local.get 0) (i32.const 2)))))))`,
			[]opcode{opBrI32GeUK, opCopyBr, opBr, opI32AddK, opCall, opI32AddK, opCall, opI32Add, opReturn1}},
		{"load with constant offset", `(memory 1) (func (param i32) (result i32) (i32.load offset=8 (local.get 0)))`,
			[]opcode{opI32Load, opReturn1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			codes := translate(t, "(module "+c.fn+")")
			code := codes[len(codes)-1]
			if got := ops(code); !sameOps(got, c.want) {
				t.Fatalf("got ops %v, want %v\n%s", got, c.want, code)
			}
		})
	}
}

func TestBackEdgeIsMarked(t *testing.T) {
	code := translate(t, `(module (func (param i32) (loop (br_if 0 (local.get 0)))))`)[0]
	if in := code.instrs[0]; in.a != 1 || in.imm != 0 {
		t.Fatalf("loop branch %+v is not a marked back-edge to pc 0", in)
	}
}

func TestFrameLayout(t *testing.T) {
	code := translate(t, `(module (func (param i32 v128) (result v128) (local f64 externref) (local.get 1)))`)[0]
	if code.numParams != 3 || code.numLocals != 5 || code.numResults != 2 || !code.refLocals {
		t.Fatalf("layout %+v", code)
	}
}

func TestStoreConstant(t *testing.T) {
	code := translate(t, `(module (memory 1) (func (param i32) (i32.store8 (local.get 0) (i32.const 7)) (i64.store (local.get 0) (i64.const -2))))`)[0]
	if got, want := ops(code), []opcode{opStore8K, opStore64K, opReturn}; !sameOps(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}
