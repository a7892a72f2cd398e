package amd64

import "fmt"

// Op is an instruction mnemonic. Its encodings (one per operand shape and
// width) are rows of the instruction table; the assembler picks the first
// row that accepts the operands.
type Op uint16

// The general-purpose instructions.
const (
	_ Op = iota // the zero Op is no instruction

	ADD
	OR
	ADC
	SBB
	AND
	SUB
	XOR
	CMP
	TEST
	MOV
	MOVABS // mov r64, imm64
	MOVZXB // movzx from 8 bits
	MOVZXW // movzx from 16 bits
	MOVSXB // movsx from 8 bits
	MOVSXW // movsx from 16 bits
	MOVSXD // movsxd r64, r/m32
	LEA
	IMUL  // imul r, r/m
	IMUL3 // imul r, r/m, imm
	NOT
	NEG
	MUL
	DIV
	IDIV
	INC
	DEC
	ROL
	ROR
	SHL
	SHR
	SAR
	SETCC // set<cc> r/m8; the condition is an argument
	CMOVCC
	BSF
	BSR
	LZCNT
	TZCNT
	POPCNT
	BSWAP
	XCHG
	LOCKXADD
	LOCKCMPXCHG
	CDQ
	CQO
	MFENCE
	LFENCE
	SFENCE
	UD2
	INT3
	NOP
	PAUSE
	RET
	PUSH
	POP
	JMPIND  // jmp r/m64
	CALLIND // call r/m64

	// FeatBMI1 and FeatBMI2
	ANDN
	BEXTR
	BLSI
	BLSMSK
	BLSR
	BZHI
	SHLX
	SHRX
	SARX
	RORX
	PDEP
	PEXT

	numIntOps
)

// opDef is one instruction: its mnemonic, the features it needs and its
// encoding rows in table notation (spec.go).
type opDef struct {
	name    string
	feat    Features // needed by every row
	feat256 Features // needed instead when a VEX row runs at 256 bits (default feat)
	rows    []string
}

// alu lists the eight classic ALU encodings of group 1 (/n and base n*8).
func alu(n byte) []string {
	return []string{
		fmt.Sprintf("v MR rm,r %02X /r", n*8+1),
		fmt.Sprintf("v RM r,m %02X /r", n*8+3),
		fmt.Sprintf("v MI rm,i8 83 /%d ib", n),
		fmt.Sprintf("v MI rm,iz 81 /%d iz", n),
		fmt.Sprintf("b MR rm,r %02X /r", n*8),
		fmt.Sprintf("b RM r,m %02X /r", n*8+2),
		fmt.Sprintf("b MI rm,b8 80 /%d ib", n),
	}
}

// unary lists the group 3 forms F7/F6 /n.
func unary(n byte) []string {
	return []string{fmt.Sprintf("v M rm F7 /%d", n), fmt.Sprintf("b M rm F6 /%d", n)}
}

// shift lists the group 2 forms by CL and by an immediate count.
func shift(n byte) []string {
	return []string{
		fmt.Sprintf("v M- rm,cl D3 /%d", n),
		fmt.Sprintf("v MI rm,u8 C1 /%d ib", n),
		fmt.Sprintf("b M- rm,cl D2 /%d", n),
		fmt.Sprintf("b MI rm,u8 C0 /%d ib", n),
	}
}

var intOps = [numIntOps]opDef{
	ADD:  {name: "add", rows: alu(0)},
	OR:   {name: "or", rows: alu(1)},
	ADC:  {name: "adc", rows: alu(2)},
	SBB:  {name: "sbb", rows: alu(3)},
	AND:  {name: "and", rows: alu(4)},
	SUB:  {name: "sub", rows: alu(5)},
	XOR:  {name: "xor", rows: alu(6)},
	CMP:  {name: "cmp", rows: alu(7)},
	TEST: {name: "test", rows: []string{"v MR rm,r 85 /r", "v MI rm,iz F7 /0 iz", "b MR rm,r 84 /r", "b MI rm,b8 F6 /0 ib"}},
	MOV: {name: "mov", rows: []string{
		"v MR rm,r 89 /r", "v RM r,m 8B /r",
		"d OI r,iz B8+r id", // 5 bytes instead of C7's 6
		"v MI rm,iz C7 /0 iz",
		"b MR rm,r 88 /r", "b RM r,m 8A /r", "b MI rm,b8 C6 /0 ib",
	}},
	MOVABS: {name: "movabs", rows: []string{"q OI r,i64 B8+r io"}},
	MOVZXB: {name: "movzx", rows: []string{"dq RM r,rm8 0F B6 /r"}},
	MOVZXW: {name: "movzx", rows: []string{"dq RM r,rm16 0F B7 /r"}},
	MOVSXB: {name: "movsx", rows: []string{"dq RM r,rm8 0F BE /r"}},
	MOVSXW: {name: "movsx", rows: []string{"dq RM r,rm16 0F BF /r"}},
	MOVSXD: {name: "movsxd", rows: []string{"q RM r,rm32 63 /r"}},
	LEA:    {name: "lea", rows: []string{"dq RM r,m 8D /r"}},
	IMUL:   {name: "imul", rows: []string{"v RM r,rm 0F AF /r"}},
	IMUL3:  {name: "imul", rows: []string{"v RMI r,rm,i8 6B /r ib", "v RMI r,rm,iz 69 /r iz"}},
	NOT:    {name: "not", rows: unary(2)},
	NEG:    {name: "neg", rows: unary(3)},
	MUL:    {name: "mul", rows: unary(4)},
	DIV:    {name: "div", rows: unary(6)},
	IDIV:   {name: "idiv", rows: unary(7)},
	INC:    {name: "inc", rows: []string{"v M rm FF /0", "b M rm FE /0"}},
	DEC:    {name: "dec", rows: []string{"v M rm FF /1", "b M rm FE /1"}},
	ROL:    {name: "rol", rows: shift(0)},
	ROR:    {name: "ror", rows: shift(1)},
	SHL:    {name: "shl", rows: shift(4)},
	SHR:    {name: "shr", rows: shift(5)},
	SAR:    {name: "sar", rows: shift(7)},
	SETCC:  {name: "set", rows: []string{"x M rm8 0F 90+cc /0"}},
	CMOVCC: {name: "cmov", rows: []string{"v RM r,rm 0F 40+cc /r"}},
	BSF:    {name: "bsf", rows: []string{"v RM r,rm 0F BC /r"}},
	BSR:    {name: "bsr", rows: []string{"v RM r,rm 0F BD /r"}},
	LZCNT:  {name: "lzcnt", feat: FeatLZCNT, rows: []string{"v RM r,rm F3 0F BD /r"}},
	TZCNT:  {name: "tzcnt", feat: FeatBMI1, rows: []string{"v RM r,rm F3 0F BC /r"}},
	POPCNT: {name: "popcnt", feat: FeatPOPCNT, rows: []string{"v RM r,rm F3 0F B8 /r"}},
	BSWAP:  {name: "bswap", rows: []string{"dq O r 0F C8+r"}},
	XCHG:   {name: "xchg", rows: []string{"v MR rm,r 87 /r", "b MR rm,r 86 /r"}},
	// The lock prefix is part of the atomic forms; they take memory only.
	LOCKXADD:    {name: "xadd", rows: []string{"v MR m,r F0 0F C1 /r", "b MR m,r F0 0F C0 /r"}},
	LOCKCMPXCHG: {name: "cmpxchg", rows: []string{"v MR m,r F0 0F B1 /r", "b MR m,r F0 0F B0 /r"}},
	CDQ:         {name: "cdq", rows: []string{"d ZO 99"}},
	CQO:         {name: "cqo", rows: []string{"q ZO 99"}},
	MFENCE:      {name: "mfence", rows: []string{"x ZO 0F AE F0"}},
	LFENCE:      {name: "lfence", rows: []string{"x ZO 0F AE E8"}},
	SFENCE:      {name: "sfence", rows: []string{"x ZO 0F AE F8"}},
	UD2:         {name: "ud2", rows: []string{"x ZO 0F 0B"}},
	INT3:        {name: "int3", rows: []string{"x ZO CC"}},
	NOP:         {name: "nop", rows: []string{"x ZO 90"}},
	PAUSE:       {name: "pause", rows: []string{"x ZO F3 90"}},
	RET:         {name: "ret", rows: []string{"x ZO C3"}},
	PUSH:        {name: "push", rows: []string{"p O r 50+r"}},
	POP:         {name: "pop", rows: []string{"p O r 58+r"}},
	JMPIND:      {name: "jmp", rows: []string{"p M rm FF /4"}},
	CALLIND:     {name: "call", rows: []string{"p M rm FF /2"}},

	ANDN:   {name: "andn", feat: FeatBMI1, rows: []string{"dq RVM r,r,rm VEX.LZ.0F38 F2 /r"}},
	BEXTR:  {name: "bextr", feat: FeatBMI1, rows: []string{"dq RMV r,rm,r VEX.LZ.0F38 F7 /r"}},
	BLSI:   {name: "blsi", feat: FeatBMI1, rows: []string{"dq VM r,rm VEX.LZ.0F38 F3 /3"}},
	BLSMSK: {name: "blsmsk", feat: FeatBMI1, rows: []string{"dq VM r,rm VEX.LZ.0F38 F3 /2"}},
	BLSR:   {name: "blsr", feat: FeatBMI1, rows: []string{"dq VM r,rm VEX.LZ.0F38 F3 /1"}},
	BZHI:   {name: "bzhi", feat: FeatBMI2, rows: []string{"dq RMV r,rm,r VEX.LZ.0F38 F5 /r"}},
	SHLX:   {name: "shlx", feat: FeatBMI2, rows: []string{"dq RMV r,rm,r VEX.LZ.66.0F38 F7 /r"}},
	SHRX:   {name: "shrx", feat: FeatBMI2, rows: []string{"dq RMV r,rm,r VEX.LZ.F2.0F38 F7 /r"}},
	SARX:   {name: "sarx", feat: FeatBMI2, rows: []string{"dq RMV r,rm,r VEX.LZ.F3.0F38 F7 /r"}},
	RORX:   {name: "rorx", feat: FeatBMI2, rows: []string{"dq RMI r,rm,u8 VEX.LZ.F2.0F3A F0 /r ib"}},
	PDEP:   {name: "pdep", feat: FeatBMI2, rows: []string{"dq RVM r,r,rm VEX.LZ.F2.0F38 F5 /r"}},
	PEXT:   {name: "pext", feat: FeatBMI2, rows: []string{"dq RVM r,r,rm VEX.LZ.F3.0F38 F5 /r"}},
}
