package amd64

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// Byte-exact encodings, hand-assembled from the Intel manual. The
// disassembler cross-check (internal/disasmtest) covers every form; these
// pin the choices a disassembler accepts either way: the shortest
// displacement, the imm8 form, REX only when needed.
func TestEncodingBytes(t *testing.T) {
	tests := []struct {
		name string
		emit func(a *Assembler)
		want []byte
	}{
		{"add rax, rbx", func(a *Assembler) { a.RR(ADD, W64, RAX, RBX) }, []byte{0x48, 0x01, 0xD8}},
		{"add eax, ebx (no REX)", func(a *Assembler) { a.RR(ADD, W32, RAX, RBX) }, []byte{0x01, 0xD8}},
		{"add ax, bx", func(a *Assembler) { a.RR(ADD, W16, RAX, RBX) }, []byte{0x66, 0x01, 0xD8}},
		{"mov eax, [rbp] needs disp8 0", func(a *Assembler) { a.RM(MOV, W32, RAX, Ptr(RBP, 0)) }, []byte{0x8B, 0x45, 0x00}},
		{"mov rax, [r13] needs disp8 0", func(a *Assembler) { a.RM(MOV, W64, RAX, Ptr(R13, 0)) }, []byte{0x49, 0x8B, 0x45, 0x00}},
		{"mov rax, [rsp] needs SIB", func(a *Assembler) { a.RM(MOV, W64, RAX, Ptr(RSP, 0)) }, []byte{0x48, 0x8B, 0x04, 0x24}},
		{"mov rax, [r12+8]", func(a *Assembler) { a.RM(MOV, W64, RAX, Ptr(R12, 8)) }, []byte{0x49, 0x8B, 0x44, 0x24, 0x08}},
		{"mov rax, [rbx+0x80] disp32", func(a *Assembler) { a.RM(MOV, W64, RAX, Ptr(RBX, 0x80)) }, []byte{0x48, 0x8B, 0x83, 0x80, 0, 0, 0}},
		{"mov ecx, [rax+r13*4]", func(a *Assembler) { a.RM(MOV, W32, RCX, Indexed(RAX, R13, 4, 0)) }, []byte{0x42, 0x8B, 0x0C, 0xA8}},
		{"mov ecx, [r13+rax] needs disp8", func(a *Assembler) { a.RM(MOV, W32, RCX, Indexed(R13, RAX, 1, 0)) }, []byte{0x41, 0x8B, 0x4C, 0x05, 0x00}},
		{"mov ecx, [rax*8+16]", func(a *Assembler) { a.RM(MOV, W32, RCX, IndexOnly(RAX, 8, 16)) }, []byte{0x8B, 0x0C, 0xC5, 0x10, 0, 0, 0}},
		{"mov eax, [rip+16]", func(a *Assembler) { a.RM(MOV, W32, RAX, RIPRel(16)) }, []byte{0x8B, 0x05, 0x10, 0, 0, 0}},
		{"mov [rax], sil needs REX", func(a *Assembler) { a.MR(MOV, W8, Ptr(RAX, 0), RSI) }, []byte{0x40, 0x88, 0x30}},
		{"mov [rax], bl no REX", func(a *Assembler) { a.MR(MOV, W8, Ptr(RAX, 0), RBX) }, []byte{0x88, 0x18}},
		{"mov word [rax], 0x1234", func(a *Assembler) { a.MI(MOV, W16, Ptr(RAX, 0), 0x1234) }, []byte{0x66, 0xC7, 0x00, 0x34, 0x12}},
		{"add eax, 1 uses imm8", func(a *Assembler) { a.RI(ADD, W32, RAX, 1) }, []byte{0x83, 0xC0, 0x01}},
		{"add eax, 0x1000", func(a *Assembler) { a.RI(ADD, W32, RAX, 0x1000) }, []byte{0x81, 0xC0, 0, 0x10, 0, 0}},
		{"cmp byte [rdi], 0xff", func(a *Assembler) { a.MI(CMP, W8, Ptr(RDI, 0), 0xFF) }, []byte{0x80, 0x3F, 0xFF}},
		{"shl eax, cl", func(a *Assembler) { a.RR(SHL, W32, RAX, RCX) }, []byte{0xD3, 0xE0}},
		{"sar r9, 3", func(a *Assembler) { a.RI(SAR, W64, R9, 3) }, []byte{0x49, 0xC1, 0xF9, 0x03}},
		{"sete sil", func(a *Assembler) { a.SetCC(CondE, RSI) }, []byte{0x40, 0x0F, 0x94, 0xC6}},
		{"cmovl r8d, eax", func(a *Assembler) { a.CMov(CondL, W32, R8, RAX) }, []byte{0x44, 0x0F, 0x4C, 0xC0}},
		{"movabs", func(a *Assembler) { a.MovImm(W64, RAX, 1<<40) }, []byte{0x48, 0xB8, 0, 0, 0, 0, 0, 1, 0, 0}},
		{"mov r10d, imm (zero-extends)", func(a *Assembler) { a.MovImm(W64, R10, 0xFFFFFFFF) }, []byte{0x41, 0xBA, 0xFF, 0xFF, 0xFF, 0xFF}},
		{"mov rax, -1 sign-extended", func(a *Assembler) { a.MovImm(W64, RAX, -1) }, []byte{0x48, 0xC7, 0xC0, 0xFF, 0xFF, 0xFF, 0xFF}},
		{"lock xadd [rdi], eax", func(a *Assembler) { a.MR(LOCKXADD, W32, Ptr(RDI, 0), RAX) }, []byte{0xF0, 0x0F, 0xC1, 0x07}},
		{"lock cmpxchg [rdi], r8", func(a *Assembler) { a.MR(LOCKCMPXCHG, W64, Ptr(RDI, 0), R8) }, []byte{0xF0, 0x4C, 0x0F, 0xB1, 0x07}},
		{"lzcnt ax, cx: 66 before F3", func(a *Assembler) { a.RR(LZCNT, W16, RAX, RCX) }, []byte{0x66, 0xF3, 0x0F, 0xBD, 0xC1}},
		{"push r12", func(a *Assembler) { a.R(PUSH, W64, R12) }, []byte{0x41, 0x54}},
		{"call [rax+8]", func(a *Assembler) { a.M(CALLIND, W64, Ptr(RAX, 8)) }, []byte{0xFF, 0x50, 0x08}},
		{"cqo", func(a *Assembler) { a.Op0(CQO, W64) }, []byte{0x48, 0x99}},
		{"mfence", func(a *Assembler) { a.Op0(MFENCE, WNone) }, []byte{0x0F, 0xAE, 0xF0}},
		{"andn rax, rbx, rcx", func(a *Assembler) { a.RRR(ANDN, W64, RAX, RBX, RCX) }, []byte{0xC4, 0xE2, 0xE0, 0xF2, 0xC1}},
		{"shlx eax, ecx, edx", func(a *Assembler) { a.RRR(SHLX, W32, RAX, RCX, RDX) }, []byte{0xC4, 0xE2, 0x69, 0xF7, 0xC1}},
		{"blsr r9, r10", func(a *Assembler) { a.RR(BLSR, W64, R9, R10) }, []byte{0xC4, 0xC2, 0xB0, 0xF3, 0xCA}},
		{"addsd xmm1, xmm9", func(a *Assembler) { a.VV(ADDSD, X1, X9) }, []byte{0xF2, 0x41, 0x0F, 0x58, 0xC9}},
		{"cvtsi2sd xmm0, rax", func(a *Assembler) { a.VR(CVTSI2SD, W64, X0, RAX) }, []byte{0xF2, 0x48, 0x0F, 0x2A, 0xC0}},
		{"movq rax, xmm0", func(a *Assembler) { a.RV(MOVQ, W64, RAX, X0) }, []byte{0x66, 0x48, 0x0F, 0x7E, 0xC0}},
		{"roundsd xmm0, xmm1, 3", func(a *Assembler) { a.VVI(ROUNDSD, X0, X1, 3) }, []byte{0x66, 0x0F, 0x3A, 0x0B, 0xC1, 0x03}},
		{"psrlq xmm2, 7", func(a *Assembler) { a.VI(PSRLQ, X2, 7) }, []byte{0x66, 0x0F, 0x73, 0xD2, 0x07}},
		{"vaddps ymm0, ymm1, ymm2 (2-byte VEX)", func(a *Assembler) { a.VVV(VADDPS, Y0, Y1, Y2) }, []byte{0xC5, 0xF4, 0x58, 0xC2}},
		{"vpaddb xmm0, xmm1, xmm8 (3-byte VEX for B)", func(a *Assembler) { a.VVV(VPADDB, X0, X1, X8) }, []byte{0xC4, 0xC1, 0x71, 0xFC, 0xC0}},
		{"vpblendvb is4", func(a *Assembler) {
			a.Inst(VPBLENDVB, WNone, X1, X2, X3, X12)
		}, []byte{0xC4, 0xE3, 0x69, 0x4C, 0xCB, 0xC0}},
	}
	for _, tt := range tests {
		a := NewAssembler(All)
		tt.emit(a)
		got, err := a.Finish()
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%s: got % x, want % x", tt.name, got, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		emit func(a *Assembler)
		want string
	}{
		{"feature", func(a *Assembler) { a.RR(LZCNT, W32, RAX, RBX) }, "needs lzcnt"},
		{"avx2 at 256", func(a *Assembler) { a.VVV(VPADDB, Y0, Y1, Y2) }, "needs avx2"},
		{"no form", func(a *Assembler) { a.RR(LEA, W64, RAX, RBX) }, "no form of lea"},
		{"width", func(a *Assembler) { a.RR(IMUL, W8, RAX, RBX) }, "no form of imul"},
		{"mixed lengths", func(a *Assembler) { a.VVV(VADDPS, Y0, X1, Y2) }, "no form of vaddps"},
		{"imm range", func(a *Assembler) { a.RI(ADD, W64, RAX, 1<<33) }, "no form of add"},
		{"rsp index", func(a *Assembler) { a.RM(MOV, W64, RAX, Indexed(RBX, RSP, 1, 0)) }, "rsp cannot be an index"},
		{"scale", func(a *Assembler) { a.RM(MOV, W64, RAX, Indexed(RBX, RCX, 3, 0)) }, "scale 3"},
		{"zero mem", func(a *Assembler) { a.RM(MOV, W64, RAX, Mem{}) }, "zero Mem"},
		{"bad reg", func(a *Assembler) { a.RR(MOV, W64, Reg(16), RAX) }, "bad register"},
		{"lock needs memory", func(a *Assembler) { a.RR(LOCKXADD, W64, RAX, RBX) }, "no form of xadd"},
		{"unbound", func(a *Assembler) { a.Jmp(a.NewLabel()) }, "never bound"},
		{"bound twice", func(a *Assembler) { l := a.NewLabel(); a.Bind(l); a.Bind(l) }, "bound twice"},
		{"unknown label", func(a *Assembler) { a.Jmp(Label{}) }, "unknown label"},
	}
	for _, tt := range tests {
		a := NewAssembler(Baseline | FeatAVX)
		tt.emit(a)
		_, err := a.Finish()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
	a := NewAssembler(Baseline)
	l := a.NewLabel()
	a.Bind(l)
	if _, err := a.Offset(l); err == nil {
		t.Error("Offset before Finish succeeded")
	}
	if _, err := a.Finish(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Finish(); err == nil {
		t.Error("second Finish succeeded")
	}
}

func TestUsedFeatures(t *testing.T) {
	a := NewAssembler(All)
	a.RR(ADD, W64, RAX, RBX)
	if a.Used() != 0 {
		t.Errorf("used after add: %v", a.Used())
	}
	a.RR(POPCNT, W64, RAX, RBX)
	a.VV(PTEST, X0, X1)
	a.VVV(VPADDB, Y0, Y1, Y2)
	if want := FeatPOPCNT | FeatSSE41 | FeatAVX2; a.Used() != want {
		t.Errorf("used = %v, want %v", a.Used(), want)
	}
}

// A chain of forward jumps where each becomes short only after the one
// after it has: relaxation must iterate to the fixed point.
func TestRelaxationCascade(t *testing.T) {
	a := NewAssembler(Baseline)
	const n = 8
	ls := make([]Label, n)
	for i := range ls {
		ls[i] = a.NewLabel()
	}
	// jmp i jumps over the jumps after it plus padding: with all long jumps
	// the first is too far, with all short ones everything fits.
	for i := 0; i < n; i++ {
		a.Jmp(ls[i])
	}
	a.Bytes(make([]byte, 100)...)
	for i := n - 1; i >= 0; i-- {
		a.Bind(ls[i])
		a.Op0(NOP, WNone)
	}
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if code[2*i] != 0xEB {
			t.Fatalf("jump %d not short: % x", i, code[:2*n])
		}
		target, _ := a.Offset(ls[i])
		if got := 2*i + 2 + int(int8(code[2*i+1])); got != target {
			t.Errorf("jump %d lands at %d, want %d", i, got, target)
		}
	}
	if len(code) != 2*n+100+n {
		t.Errorf("code is %d bytes, want %d", len(code), 2*n+100+n)
	}
}

func TestFeatures(t *testing.T) {
	if got := (FeatSSE41 | FeatBMI2).String(); got != "sse4.1,bmi2" {
		t.Errorf("String = %q", got)
	}
	if err := Check(FeatAVX2, Baseline); !errors.Is(err, ErrUnsupportedCPU) || !strings.Contains(err.Error(), "avx2") {
		t.Errorf("Check = %v", err)
	}
	if err := Check(Baseline, All); err != nil {
		t.Errorf("Check = %v", err)
	}
	host := Detect()
	if runtime.GOARCH == "amd64" && !host.Has(FeatSSE2) {
		t.Errorf("host features %v lack sse2, which every x86-64 CPU has", host)
	}
	if err := CheckHost(host); err != nil {
		t.Error(err)
	}
	t.Logf("host: %v", host)
}

func TestTable(t *testing.T) {
	seen := map[string]bool{}
	for _, op := range Ops() {
		forms := op.Forms()
		if len(forms) == 0 {
			t.Errorf("%v has no forms", op)
		}
		for _, f := range forms {
			if len(f.Widths) == 0 {
				t.Errorf("%v: %q takes no width", op, f.Text)
			}
			if seen[f.Text] {
				t.Errorf("%v: row %q appears twice", op, f.Text)
			}
			seen[f.Text] = true
		}
	}
	for _, bad := range []string{"", "v MR rm,r", "z MR rm,r 01 /r", "v MR rm,q 01 /r", "v RM r,m 0F", "v I iz 05", "x RVM x,x,xm 0F 58 /r", "v MR rm 01 /r"} {
		if _, err := parseRow(bad); err == nil {
			t.Errorf("parseRow(%q) succeeded", bad)
		}
	}
}
